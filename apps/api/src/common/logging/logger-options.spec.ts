import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type DestinationStream } from 'pino';
import { pinoHttp, type Options } from 'pino-http';
import { loadConfig } from '../../config/app-config';
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
 * The logger the app really uses: nestjs-pino builds pino-http from these options, and both the
 * access log and every `Logger` call in the app write through its `logger`.
 */
function appLogger() {
  const memory = memoryStream();
  const http = pinoHttp(httpOptions, memory.stream);
  return { ...memory, http, logger: http.logger };
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
  it('writes an access log line with method, url, status and request id, but no credential header', async () => {
    const { http, lines, text } = appLogger();
    const server: Server = createServer((req, res) => {
      http(req, res);
      res.setHeader('set-cookie', SECRETS.setCookie);
      res.statusCode = 200;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/api/v1/me?page=2',
            headers: {
              authorization: SECRETS.authorization,
              cookie: SECRETS.cookie,
              'x-api-key': SECRETS.apiKey,
              'x-request-id': 'log-req-1',
              'user-agent': 'atrium-log-test/1.0',
            },
          },
          (res) => {
            res.resume();
            res.on('end', resolve);
          },
        );
        req.on('error', reject);
        req.end();
      });
      // pino-http writes the line when the response is done; wait for it (bounded, not timed).
      const deadline = Date.now() + 5_000;
      while (lines().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }

    const [line] = lines();
    expect(line).toEqual(
      expect.objectContaining({
        level: 30,
        service: 'atrium-api',
        version: '9.9.9',
        requestId: 'log-req-1',
        req: expect.objectContaining({ method: 'GET', url: '/api/v1/me?page=2', userAgent: 'atrium-log-test/1.0' }),
        res: { statusCode: 200 },
        durationMs: expect.any(Number),
      }),
    );
    expectNoSecrets(text());
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
