import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from './config/app-config';
import { ErrorResponseDto, ResponseMetaDto } from './common/dto/envelope.dto';
import { applyValidationConstraints } from './openapi-constraints';

export const DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs/openapi.json';

/** The OpenAPI document of the running app; also what `npm run api:generate` writes to apps/api/openapi.json. */
export function buildOpenApiDocument(app: INestApplication, config: Pick<AppConfig, 'version'>): OpenAPIObject {
  const options = new DocumentBuilder()
    .setTitle('Atrium API')
    .setDescription(
      [
        'REST API of Atrium, an open content platform.',
        '',
        'Resources live under `/api/v1`. Successful responses are wrapped as `{ "status": "success", "data": …, "meta": { "requestId", "timestamp" } }`;',
        'errors as `{ "status": "error", "error": { "code", "message", "details"? }, "meta": { … } }` with a stable `code` (see the `ErrorCode` schema).',
        'Send `X-Request-ID` to correlate your calls with our logs; every response echoes it (or a generated one).',
        'Probes (`/health`, `/readiness`, `/metrics`) are outside `/api/v1` and outside the envelope.',
      ].join('\n'),
    )
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
  return document;
}

export function setupSwagger(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: 'docs/openapi.yaml',
    customSiteTitle: 'Atrium API',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}
