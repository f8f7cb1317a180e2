import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { answerMethodNotAllowed } from './common/http/method-not-allowed';
import { BadRequestException, Logger as NestLogger, ModuleMetadata, NotFoundException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join, relative, sep } from 'node:path';
import { ErrorCode, RuntimeMode } from '@atrium/contracts';
import { AppModule } from './app.module';
import { sendError } from './common/filters/all-exceptions.filter';
import { requestContext, type RequestContext } from './common/context/request-context';
import { ApiException } from './common/http/api.exception';
import { envelopeMarker, envelopeNestRoutes } from './common/http/envelope';
import { markNestRoutes, nestRoutes } from './common/http/nest-routes';
import { assertInputsValidated } from './common/http/validation';
import { httpCacheMarker, registerHttpCache } from './common/http-cache';
import { AUTH_BODY_LIMIT_BYTES, parseBoundedJson } from './common/http/bounded-json';
import { requestIdFor } from './common/http/request-id';
import { securityHeaders } from './common/http/security-headers';
import { DatabaseProbe } from './database/database-probe.repository';
import { ReadinessService } from './modules/health/readiness.service';
import { registerAccessLog } from './common/logging/access-log';
import type { AppConfig } from './config/app-config';
import { EmbeddedPostgres } from './database/embedded-postgres';
import { MetricsService } from './modules/metrics/metrics.service';
import { SystemService } from './modules/system/system.service';
import { buildOpenApiDocument, DOCS_PATH, setupSwagger } from './openapi';
import { REFERENCE_PATH, setupApiReference } from './reference';

export const API_PREFIX = 'api/v1';
const PROBES = ['health', 'readiness', 'metrics'];
/** What the API serves at the site's root besides the probes: feeds and the sitemap. */
const ROOT_FILES = ['feed.xml', 'feed.json', 'sitemap.xml'];
const SPA_FALLBACK_ROUTE = '/*';
/** The route template a request matched, for metrics and the access log; none for the SPA's fallback. */
const routeOf = (request: FastifyRequest): string | undefined =>
  request.routeOptions.url === SPA_FALLBACK_ROUTE ? undefined : request.routeOptions.url;
/** Paths that name a static file (a missing one is a 404, not the SPA): the build's assets and known file types. */
const STATIC_FILE =
  /^\/assets\/|\.(js|mjs|css|map|json|txt|xml|webmanifest|ico|png|jpe?g|gif|svg|webp|avif|woff2?|ttf|eot|pdf|zip)$/i;

/** The Content-Security-Policy of everything the API serves: the SPA, Swagger UI and JSON. */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // Mantine and Swagger UI set inline styles; no inline script is allowed anywhere.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
};

export interface CreateAppOptions {
  /** Extra modules mounted beside the app's own (tests use this for pipeline fixtures). */
  imports?: ModuleMetadata['imports'];
  /** Skip the `system_instance` boot record (spec generation). */
  recordBoot?: boolean;
}

export interface AtriumApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** Stops accepting, lets in-flight requests finish, closes pools, then stops embedded Postgres. */
  close: () => Promise<void>;
}

/** Builds the fully configured HTTP application: the one code path for `main.ts`, e2e tests and spec generation. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<AtriumApp> {
  const embedded =
    config.databaseUrl === undefined
      ? await EmbeddedPostgres.start(config.dataDir, config.databasePoolSize + 4)
      : undefined;
  const databaseUrl = config.databaseUrl ?? (embedded as EmbeddedPostgres).url;

  let app: NestFastifyApplication;
  try {
    const adapter = new FastifyAdapter({
      bodyLimit: config.bodyLimitBytes,
      trustProxy: config.trustProxy,
      requestIdHeader: false,
      genReqId: (raw: IncomingMessage) => requestIdFor(raw),
      return503OnClosing: true,
      // No Express-style middleware runs here (the access log is a Fastify hook): no middie engine
      // on every request.
      skipMiddie: true,
      forceCloseConnections: 'idle',
      // Errors Fastify's router answers itself, in the envelope too: a path parameter longer than
      // any name we issue names nothing (404), a malformed URL is a 400.
      frameworkErrors: (error: { code?: string }, request: FastifyRequest, reply: FastifyReply) =>
        sendError(
          error.code === 'FST_ERR_MAX_PARAM_LENGTH'
            ? new NotFoundException()
            : new BadRequestException('Malformed URL'),
          request,
          reply,
          new NestLogger('Http'),
        ),
    });
    app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot({ config, databaseUrl, imports: options.imports }),
      adapter,
      // Bodies are parsed by our own bounded JSON parser (configureHttp), not Nest's.
      { bufferLogs: true, abortOnError: false, bodyParser: false },
    );
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.flushLogs();

  try {
    await configureHttp(app, config);
    if (config.mode === RuntimeMode.EMBEDDED) {
      const applied = await app.get(DatabaseProbe).migrate();
      if (applied > 0) logger.log(`Applied ${applied} migration(s) to the embedded database`, 'Database');
    }
    await app.init();
    if (options.recordBoot !== false) await app.get(SystemService).recordBoot();
  } catch (error) {
    await app.close().catch(() => undefined);
    await embedded?.stop();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    app,
    config,
    close: () =>
      (closing ??= (async () => {
        try {
          // 1. Out of rotation: readiness answers 503, and every response tells keep-alive
          //    clients to hang up, so no connection is left holding unsent requests at close.
          app.get(ReadinessService).startDraining();
          draining.add(app);
          if (config.shutdownDrainMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
          // 2. Stop accepting and finish every request in flight, with the queues, Redis and the
          //    database still there for them (their follow-up work included).
          await stopAccepting(app.getHttpAdapter().getInstance().server, () =>
            logger.log('Listener closed: new connections are refused; finishing the requests in flight', 'Shutdown'),
          );
          await app.getHttpAdapter().getInstance().close();
          // 3. Then the rest: the relay, job runners, Redis clients and pools.
          await app.close();
        } finally {
          await embedded?.stop();
        }
      })()),
  };
}

/** How long a connection accepted just before the listener closed has to send its request. */
const LATE_REQUEST_GRACE_MS = 1_000;

/**
 * Closes the listener (new connections are refused by the kernel: nothing accepted is lost),
 * gives connections accepted a moment ago LATE_REQUEST_GRACE_MS to deliver their request — Node's
 * `server.close()` would otherwise reset them at once as "idle" while their bytes are in flight —
 * then closes the connections still idle and waits for every response in flight.
 *
 * One race is the kernel's, not ours: a connection whose handshake the kernel completed in the
 * instant before the listener closed, and which Node had not yet taken from the accept queue, is
 * reset by the kernel, unread (docs/ARCHITECTURE.md, "Shutdown"). `closing` is told just before,
 * so the log line's time bounds those resets from below.
 */
async function stopAccepting(server: import('node:http').Server, closing: () => void): Promise<void> {
  if (!server.listening) return;
  const closeIdle = server.closeIdleConnections.bind(server);
  server.closeIdleConnections = () => undefined;
  closing();
  const allClosed = new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise((resolve) => setTimeout(resolve, LATE_REQUEST_GRACE_MS));
  server.closeIdleConnections = closeIdle;
  closeIdle();
  await allClosed;
}

/** Apps that are shutting down: their responses carry `Connection: close`. */
const draining = new WeakSet<NestFastifyApplication>();

async function configureHttp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(MetricsService);

  // No route takes input unchecked: the validation pipe is bound per parameter, not globally.
  assertInputsValidated(nestRoutes(app));
  markNestRoutes(app, envelopeMarker, httpCacheMarker);
  // The HTTP cache's tag is of the route's data: its hook runs before the envelope's.
  registerHttpCache(fastify);
  envelopeNestRoutes(fastify);
  // A response sent once shutdown began closes its connection (a plain hook: no promise per request).
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (draining.has(app)) void reply.header('connection', 'close');
    done(null, payload);
  });

  // The request context (docs/ARCHITECTURE.md): opened for each request, entered again once the
  // body is parsed (body parsing runs outside the hook's async context), so guards, services and
  // the audit log see it.
  const contexts = new WeakMap<object, RequestContext>();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    const context: RequestContext = {
      requestId: request.id,
      ip: request.ip ?? null,
      userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null,
    };
    contexts.set(request, context);
    requestContext.run(context, done);
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const context = contexts.get(request);
    // Still in it when no body was read (a GET): entering again would cost a context switch for nothing.
    if (context && requestContext.current() !== context) requestContext.run(context, done);
    else done();
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(request.method, routeOf(request), reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  registerAccessLog(fastify, PinoLogger.root, { skip: new Set(PROBES.map((probe) => `/${probe}`)), routeOf });

  // JSON bodies parsed with bounded cost (common/http/bounded-json.ts), and JSON only: a form on
  // another site can send form-encoded or text/plain bodies without a CORS preflight (login CSRF),
  // so those get 415 instead of being read as a request.
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const limit = (request.routeOptions.url ?? '').startsWith(`/${API_PREFIX}/auth/`)
      ? AUTH_BODY_LIMIT_BYTES
      : config.bodyLimitBytes;
    try {
      done(null, parseBoundedJson(body as string, limit));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  answerMethodNotAllowed(fastify, (url) => url === SPA_FALLBACK_ROUTE);
  // A NUL byte in the path or query reaches no route: Postgres refuses it in text.
  fastify.addHook('onRequest', (request, _reply, done) => {
    done(
      /%00/.test(request.url)
        ? new ApiException(400, ErrorCode.VALIDATION_ERROR, 'The URL may not contain NUL characters')
        : undefined,
    );
  });

  await app.register(fastifyCookie);
  // Uploads are streamed, so BODY_LIMIT (JSON) does not apply to them: these limits do, for every
  // multipart route that sets none of its own (one file of about 2 MB, the avatar size, no fields).
  await app.register(fastifyMultipart, { limits: { fileSize: 2 * 1024 * 1024 + 64 * 1024, files: 1, fields: 0 } });
  // Helmet's headers, the same for every response: computed once, set by one hook.
  const headers = securityHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });

  const allowed = new Set(config.corsOrigins);
  app.enableCors({
    origin: (origin, callback) => callback(null, origin === undefined ? false : allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    exposedHeaders: ['X-Request-ID', 'Retry-After', 'Content-Disposition', 'ETag'],
    maxAge: 600,
  });

  applyRouting(app);
  setupSwagger(app, buildOpenApiDocument(app, config));
  setupApiReference(app);
  if (config.serveSpa) await serveSpa(app, config);
}

/** Resources under /api/v1; probes at the root, where load balancers and Prometheus expect them. */
export function applyRouting(app: NestFastifyApplication): void {
  app.setGlobalPrefix(API_PREFIX, { exclude: [...PROBES, ...ROOT_FILES] });
}

/** The built SPA at `/`, with history fallback to index.html for client-side routes (embedded/dev delivery). */
async function serveSpa(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const logger = new NestLogger('Spa');
  const indexPath = join(config.spaDir, 'index.html');
  if (!existsSync(indexPath)) {
    logger.warn(`No built SPA at ${config.spaDir}; run "npm run build" to serve it at /`);
    return;
  }
  const indexHtml = readFileSync(indexPath, 'utf8');
  await app.register(fastifyStatic, {
    root: config.spaDir,
    prefix: '/',
    index: false,
    wildcard: false,
    decorateReply: false,
    setHeaders: (reply, path) => {
      // Vite puts a content hash in every file under assets/: cache those for good, never the rest.
      const hashed = relative(config.spaDir, path).split(sep)[0] === 'assets';
      void reply.header('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const fastify = app.getHttpAdapter().getInstance();
  const reserved = new RegExp(`^/(${[API_PREFIX, DOCS_PATH, REFERENCE_PATH.slice(1), ...PROBES].join('|')})(/|$)`);
  fastify.get(SPA_FALLBACK_ROUTE, (request, reply) => {
    const path = request.url.split('?')[0];
    // Unknown API routes and missing files stay 404s; app routes (also /users/jane.doe) get the SPA.
    if (reserved.test(path) || STATIC_FILE.test(path)) {
      sendError(new NotFoundException(), request, reply, logger);
      return;
    }
    void reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
  });
  fastify.get('/', (_request, reply) => {
    void reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
  });
}
