import Fastify from 'fastify';
import pino, { type DestinationStream } from 'pino';
import { pinoHttp, type Options } from 'pino-http';
import { loadConfig } from '../../config/app-config';
import { requestContext } from '../context/request-context';
import { registerAccessLog } from './access-log';
import { buildLoggerOptions, redactUrl } from './logger-options';

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info' }, { version: '9.9.9', spaDir: '/srv/spa' });
const options = buildLoggerOptions(config);
const httpOptions = options.pinoHttp as Options;

/** Every line the logger writes, kept in memory. */
function memoryStream(): { stream: DestinationStream; lines: () => Record<string, unknown>[]; text: () => string } {
  const written: string[] = [];
  return {
    stream: { write: (line: string) => void written.push(line) },
    lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => written.join(''),
  };
}

/**
 * The logger the app really uses: nestjs-pino builds its root logger with pino-http from these
 * options (its middleware is not mounted), and the access log and every `Logger` call of the app
 * write through it.
 */
function appLogger() {
  const memory = memoryStream();
  return { ...memory, logger: pinoHttp(httpOptions, memory.stream).logger };
}

const SECRETS = {
  authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.secret-access-jwt.sig',
  cookie: 'refresh_token=secret-refresh-cookie-value',
  apiKey: 'atr_pat_secret-api-key-value',
  setCookie: 'refresh_token=secret-set-cookie-value; HttpOnly',
  password: 'Secret-Password-1!',
  currentPassword: 'Secret-Current-2!',
  newPassword: 'Secret-New-3!',
  passwordConfirmation: 'Secret-Confirm-4!',
  accessToken: 'secret-access-token-5',
  refreshToken: 'secret-refresh-token-6',
  token: 'secret-email-token-7',
  totpCode: '918273',
  secret: 'secret-totp-seed-8',
  recoveryCode: 'secret-recovery-code-9',
};

const expectNoSecrets = (output: string): void => {
  for (const [name, value] of Object.entries(SECRETS)) {
    expect({ name, leaked: output.includes(value) }).toEqual({ name, leaked: false });
  }
};

describe('logger options', () => {
  it('writes an access log line with method, url, status, route and request id, but no credential header', async () => {
    const { lines, text, logger } = appLogger();
    const fastify = Fastify({ genReqId: (req) => String(req.headers['x-request-id']) });
    registerAccessLog(fastify, logger, { skip: new Set(['/health']), routeOf: (request) => request.routeOptions.url });
    fastify.get('/api/v1/me', (_request, reply) => reply.header('set-cookie', SECRETS.setCookie).send('ok'));
    fastify.get('/health', (_request, reply) => reply.send('ok'));
    try {
      const headers = {
        authorization: SECRETS.authorization,
        cookie: SECRETS.cookie,
        'x-api-key': SECRETS.apiKey,
        'x-request-id': 'log-req-1',
        'user-agent': 'atrium-log-test/1.0',
      };
      expect((await fastify.inject({ url: '/api/v1/me?page=2', headers })).statusCode).toBe(200);
      expect((await fastify.inject({ url: '/health', headers: { 'x-request-id': 'probe-1' } })).statusCode).toBe(200);
      expect(
        (await fastify.inject({ url: '/nothing?token=abc', headers: { 'x-request-id': 'log-req-2' } })).statusCode,
      ).toBe(404);
    } finally {
      await fastify.close();
    }

    // The probe is not logged; the 404 is a warning with its one-use secret hidden.
    expect(lines().map((line) => [line.requestId, line.level])).toEqual([
      ['log-req-1', 30],
      ['log-req-2', 40],
    ]);
    const [line, notFound] = lines();
    expect(line).toEqual(
      expect.objectContaining({
        service: 'atrium-api',
        version: '9.9.9',
        req: { method: 'GET', url: '/api/v1/me?page=2', userAgent: 'atrium-log-test/1.0' },
        res: { statusCode: 200 },
        route: '/api/v1/me',
        durationMs: expect.any(Number),
        msg: 'request completed',
      }),
    );
    expect(notFound).toEqual(
      expect.objectContaining({ req: expect.objectContaining({ url: '/nothing?token=[REDACTED]' }), route: null }),
    );
    expectNoSecrets(text());
  });

  it('below the level, a request builds nothing: no child logger, no serialized request', async () => {
    const memory = memoryStream();
    const logger = pinoHttp({ ...httpOptions, level: 'warn' }, memory.stream).logger;
    const child = jest.spyOn(logger, 'child');
    const isLevelEnabled = jest.spyOn(logger, 'isLevelEnabled');
    const fastify = Fastify();
    registerAccessLog(fastify, logger, { skip: new Set(), routeOf: (request) => request.routeOptions.url });
    fastify.get('/ok', (_request, reply) => reply.send('ok'));
    try {
      for (let i = 0; i < 5; i += 1) expect((await fastify.inject({ url: '/ok' })).statusCode).toBe(200);
      expect((await fastify.inject({ url: '/missing' })).statusCode).toBe(404);
    } finally {
      await fastify.close();
    }
    expect(isLevelEnabled).toHaveBeenCalledTimes(6);
    expect(child).not.toHaveBeenCalled();
    // Only the 404 reached the log.
    expect(memory.lines().map((line) => line.level)).toEqual([40]);
  });

  it('a line written while a request is served carries its request id', () => {
    const { logger, lines } = appLogger();
    requestContext.run({ requestId: 'ctx-req-1', ip: null, userAgent: null }, () => logger.warn('inside'));
    logger.warn('outside');
    logger.warn({ requestId: 'explicit-1' }, 'explicit');
    expect(lines().map((line) => [line.msg, line.requestId])).toEqual([
      ['inside', 'ctx-req-1'],
      ['outside', undefined],
      ['explicit', 'explicit-1'],
    ]);
  });

  it('hides one-use secrets in logged URLs (links from mails) and keeps the rest of the query', () => {
    expect(redactUrl('/verify-email?token=abc123&next=%2Fhome')).toBe('/verify-email?token=[REDACTED]&next=%2Fhome');
    expect(redactUrl('/reset-password?lang=en&token=s3cr3t')).toBe('/reset-password?lang=en&token=[REDACTED]');
    expect(redactUrl('/api/v1/posts?page=2&tokenizer=x')).toBe('/api/v1/posts?page=2&tokenizer=x');
  });

  it('censors credential headers at the redacted paths even when a raw request or response is logged', () => {
    // The serializers above drop headers; redaction is the second line if something logs them raw.
    const memory = memoryStream();
    const logger = pino({ level: 'info', redact: httpOptions.redact }, memory.stream);
    logger.info({
      req: {
        headers: {
          authorization: SECRETS.authorization,
          cookie: SECRETS.cookie,
          'x-api-key': SECRETS.apiKey,
          'user-agent': 'atrium-log-test/1.0',
        },
      },
      res: { headers: { 'set-cookie': SECRETS.setCookie, 'content-type': 'application/json' } },
    });

    expectNoSecrets(memory.text());
    const [line] = memory.lines();
    expect(line.req).toEqual({
      headers: {
        authorization: '[REDACTED]',
        cookie: '[REDACTED]',
        'x-api-key': '[REDACTED]',
        'user-agent': 'atrium-log-test/1.0',
      },
    });
    expect(line.res).toEqual({ headers: { 'set-cookie': '[REDACTED]', 'content-type': 'application/json' } });
  });

  it('censors password and token fields of logged objects, at the top level and nested two levels deep', () => {
    const { logger, lines, text } = appLogger();
    logger.info(
      {
        password: SECRETS.password,
        token: SECRETS.token,
        body: {
          email: 'ada@example.com',
          currentPassword: SECRETS.currentPassword,
          newPassword: SECRETS.newPassword,
          passwordConfirmation: SECRETS.passwordConfirmation,
        },
        auth: { session: { accessToken: SECRETS.accessToken, refreshToken: SECRETS.refreshToken, userId: 'u-1' } },
        twoFactor: { totpCode: SECRETS.totpCode, secret: SECRETS.secret, recoveryCodes: [SECRETS.recoveryCode] },
        users: [{ name: 'Ada', password: SECRETS.password }],
      },
      'password changed',
    );

    expectNoSecrets(text());
    const [line] = lines();
    expect(line).toEqual(
      expect.objectContaining({
        msg: 'password changed',
        password: '[REDACTED]',
        token: '[REDACTED]',
        body: {
          email: 'ada@example.com',
          currentPassword: '[REDACTED]',
          newPassword: '[REDACTED]',
          passwordConfirmation: '[REDACTED]',
        },
        auth: { session: { accessToken: '[REDACTED]', refreshToken: '[REDACTED]', userId: 'u-1' } },
        twoFactor: { totpCode: '[REDACTED]', secret: '[REDACTED]', recoveryCodes: '[REDACTED]' },
        users: [{ name: 'Ada', password: '[REDACTED]' }],
      }),
    );
  });

  it('censors secrets carried by a logged error while keeping its message', () => {
    const { logger, lines, text } = appLogger();
    const error = Object.assign(new Error('refresh failed for session s-1'), {
      refreshToken: SECRETS.refreshToken,
      accessToken: SECRETS.accessToken,
    });
    logger.error({ err: error, requestId: 'log-err-1' }, 'Unhandled error while serving a request');

    expectNoSecrets(text());
    const [line] = lines();
    expect(line).toEqual(
      expect.objectContaining({
        level: 50,
        requestId: 'log-err-1',
        err: expect.objectContaining({
          message: 'refresh failed for session s-1',
          refreshToken: '[REDACTED]',
          accessToken: '[REDACTED]',
        }),
      }),
    );
  });
});
