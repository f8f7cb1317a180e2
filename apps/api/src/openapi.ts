import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from './config/app-config';
import { ErrorResponseDto, ResponseMetaDto } from './common/dto/envelope.dto';
import { applyValidationConstraints } from './openapi-constraints';

export const DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs/openapi.json';

/** The introduction at the top of `/docs`: what an integrator needs before the first call. */
export const API_INTRODUCTION = [
  'REST API of Atrium, an open content platform. The machine-readable spec: [`/docs/openapi.json`](/docs/openapi.json) (also [YAML](/docs/openapi.yaml)); a typed TypeScript client is in `libs/api-client`.',
  '',
  '## Authentication',
  'Send `Authorization: Bearer <token>` with either a **personal access token** (create one in the app under Settings → Tokens, or `POST /api/v1/me/tokens`; limited to the scopes you pick) or an **access token** from `POST /api/v1/auth/login` (15 minutes; renew it with `POST /api/v1/auth/refresh`, which takes the refresh cookie or, for clients without cookies, `refreshToken` in the body when you signed in with `refreshTokenInBody: true`). Every operation lists who may call it (`x-access`: public, signed-in, session, permissions; `x-permissions`). To try calls here, paste the token under **Authorize** (Swagger UI, [`/docs`](/docs)) or **Authentication** (the reference, [`/reference`](/reference): readable at phone width and with a screen reader).',
  '',
  '## Envelope',
  'Resources live under `/api/v1`. A success is `{ "status": "success", "data": …, "meta": { "requestId", "timestamp" } }`; an error is `{ "status": "error", "error": { "code", "message", "details"? }, "meta": { … } }`. Branch on `error.code` (the `ErrorCode` schema), never on the message; `details` lists the offending fields of a 400 (`field`, `code`, `message`). Send `X-Request-ID` to correlate your calls with our logs; every response echoes it. Probes (`/health`, `/readiness`, `/metrics`) are outside `/api/v1` and outside the envelope.',
  '',
  '## Requests',
  'Bodies are JSON (`application/json`; uploads `multipart/form-data`) of at most 16 KB under `/api/v1/auth` and `BODY_LIMIT` (1 MB) elsewhere; unknown fields are refused (`UNKNOWN_FIELD`), `null` only where a field says nullable. A path that exists under another method answers `405` with `Allow`.',
  '',
  '## Lists',
  'Offset pages `?page=&perPage=` (20 by default, at most 100; totals in `meta.pagination`) or keyset pages `?cursor=&limit=` for deep reads (`meta.cursor.next`, passed back as `cursor`). `sort` takes comma-separated fields, `-` for descending.',
  '',
  '## Rate limits and caching',
  'Every client has a budget per window (`X-RateLimit-Limit`, `-Remaining`, `-Reset`); the credential and account-mail routes share a smaller per-IP budget. Past it: `429 RATE_LIMITED` with `Retry-After`. During a brief database outage: `503 SERVICE_UNAVAILABLE` with `Retry-After`. Cacheable reads carry an `ETag`: send `If-None-Match` to get `304`.',
].join('\n');

/** The OpenAPI document of the running app; also what `npm run api:generate` writes to apps/api/openapi.json. */
export function buildOpenApiDocument(app: INestApplication, config: Pick<AppConfig, 'version'>): OpenAPIObject {
  const options = new DocumentBuilder()
    .setTitle('Atrium API')
    .setDescription(API_INTRODUCTION)
    .setVersion(config.version)
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token or personal access token' },
      'bearer',
    )
    .build();
  const document = SwaggerModule.createDocument(app, options, {
    extraModels: [ErrorResponseDto, ResponseMetaDto],
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey}_${methodKey}`,
  });
  applyValidationConstraints(app, document);
  markOptionalAuthentication(document);
  return document;
}

/** Public routes that identify a caller who sends a credential: the bearer scheme is optional there. */
function markOptionalAuthentication(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Array<Record<string, unknown>>) {
      if (operation && typeof operation === 'object' && operation['x-identifies'] === true) {
        operation.security = [{}, { bearer: [] }];
      }
    }
  }
}

export function setupSwagger(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: 'docs/openapi.yaml',
    customSiteTitle: 'Atrium API',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}
