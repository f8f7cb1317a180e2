import { RuntimeMode } from '@atrium/contracts';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigValidationError,
  DEV_DATA_ENCRYPTION_KEY,
  DEV_JWT_ACCESS_SECRET,
  type InstallationSecrets,
  type InstallationSecretsStore,
  installationSecretsFile,
  loadConfig,
  SECRETS_FILE,
} from './app-config';

/** The installation keys a development config gets, kept in memory per data directory (no file is written). */
const GENERATED: InstallationSecrets = {
  jwtAccessSecret: 'generated-jwt-key-of-this-installation-000001',
  dataEncryptionKey: 'generated-data-key-of-this-installation-00002',
};
const askedFor: string[] = [];
const memorySecrets: InstallationSecretsStore = (dataDir) => {
  askedFor.push(dataDir);
  return GENERATED;
};
const defaults = { version: '1.2.3', spaDir: '/srv/spa', installationSecrets: memorySecrets };
const load = (env: Record<string, string>) => loadConfig(env, defaults);
const problemsOf = (
  env: Record<string, string>,
  secrets: InstallationSecretsStore = memorySecrets,
): readonly string[] => {
  try {
    loadConfig(env, { ...defaults, installationSecrets: secrets });
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
};

describe('loadConfig', () => {
  it('runs on embedded defaults with no environment at all', () => {
    const config = load({});
    expect(config.mode).toBe(RuntimeMode.EMBEDDED);
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.throttle).toEqual({ limit: 100, ttlSeconds: 60 });
    expect(config.bodyLimitBytes).toBe(1_048_576);
    expect(config.corsOrigins).toEqual(['http://localhost:3000']);
    expect(config.serveSpa).toBe(true);
    expect(config.version).toBe('1.2.3');
  });

  it('allows the origin of APP_URL by default, also when APP_URL has a path', () => {
    expect(load({ APP_URL: 'https://example.com/atrium/' }).corsOrigins).toEqual(['https://example.com']);
  });

  it('reads the job settings, with Bull-like defaults', () => {
    expect(load({}).jobs).toEqual({
      concurrency: 5,
      attempts: 5,
      backoffMs: 10_000,
      stalledIntervalMs: 5_000,
      lockDurationMs: 10_000,
      recoveryCheckSeconds: 60,
    });
    expect(load({ JOB_RECOVERY_CHECK_SECONDS: '10' }).jobs.recoveryCheckSeconds).toBe(10);
    expect(() => load({ JOB_ATTEMPTS: '0', JOB_BACKOFF_MS: 'soon', JOB_RECOVERY_CHECK_SECONDS: '1' })).toThrow(
      /JOB_ATTEMPTS must be between 1 and 50[\s\S]*JOB_BACKOFF_MS must be a whole number[\s\S]*JOB_RECOVERY_CHECK_SECONDS must be between 5 and 3600/,
    );
  });

  it('switches to services mode when DATABASE_URL is set', () => {
    const config = load({ DATABASE_URL: 'postgres://u:p@db:5432/atrium', REDIS_URL: 'redis://cache:6379' });
    expect(config.mode).toBe(RuntimeMode.SERVICES);
    expect(config.redisUrl).toBe('redis://cache:6379');
  });

  it('bounds the heap growth at 50 % by default; 0 leaves it to V8; out of range is refused', () => {
    expect(load({}).heapGrowthPercent).toBe(50);
    expect(load({ HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0);
    expect(load({ HEAP_GROWTH_PERCENT: '120' }).heapGrowthPercent).toBe(120);
    expect(problemsOf({ HEAP_GROWTH_PERCENT: '-5' })).toEqual([expect.stringContaining('HEAP_GROWTH_PERCENT')]);
    expect(problemsOf({ HEAP_GROWTH_PERCENT: 'half' })).toEqual([expect.stringContaining('HEAP_GROWTH_PERCENT')]);
  });

  it('lists every problem in one error instead of stopping at the first', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db/atrium',
      REDIS_URL: 'not a url',
      CORS_ORIGINS: 'https://ok.example.com,ftp//bad',
      LOG_LEVEL: 'loud',
      THROTTLE_LIMIT: '0',
      MAIL_FROM: 'nobody',
      NODE_ENV: 'staging',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('PORT must be a whole number'),
        expect.stringContaining('DATABASE_URL must use postgres: or postgresql:'),
        expect.stringContaining('REDIS_URL is not a valid URL'),
        expect.stringContaining('CORS_ORIGINS entry "ftp//bad"'),
        expect.stringContaining('LOG_LEVEL must be one of'),
        expect.stringContaining('THROTTLE_LIMIT must be between 1 and'),
        expect.stringContaining('MAIL_FROM must be an address'),
        expect.stringContaining('NODE_ENV must be development, production or test'),
      ]),
    );
    expect(problems).toHaveLength(8);
  });

  it('puts every problem in the message that stops the boot', () => {
    expect(() => load({ PORT: '-1', LOG_LEVEL: 'x' })).toThrow(
      /Invalid configuration:\n {2}- PORT.*\n {2}- LOG_LEVEL/s,
    );
  });

  it('keeps avatars on local disk unless S3_BUCKET is set', () => {
    expect(load({}).avatarStorage).toEqual({ driver: 'local' });
    expect(load({ S3_BUCKET: ' ' }).avatarStorage).toEqual({ driver: 'local' });
  });

  it('switches avatars to S3 with S3_BUCKET: AWS defaults, the SDK credential chain, prefix avatars/', () => {
    expect(load({ S3_BUCKET: 'atrium-avatars' }).avatarStorage).toEqual({
      driver: 's3',
      bucket: 'atrium-avatars',
      region: 'us-east-1',
      endpoint: undefined,
      credentials: undefined,
      forcePathStyle: false,
      prefix: 'avatars/',
    });
  });

  it('reads an S3-compatible endpoint (path-style by default there), static keys and a prefix', () => {
    const env = {
      S3_BUCKET: 'avatars',
      S3_REGION: 'auto',
      S3_ENDPOINT: 'https://minio.internal:9000',
      S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      S3_PREFIX: 'prod/avatars/',
    };
    expect(load(env).avatarStorage).toEqual({
      driver: 's3',
      bucket: 'avatars',
      region: 'auto',
      endpoint: 'https://minio.internal:9000',
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      forcePathStyle: true,
      prefix: 'prod/avatars/',
    });
    expect(load({ ...env, S3_FORCE_PATH_STYLE: 'false' }).avatarStorage).toMatchObject({ forcePathStyle: false });
    expect(load({ S3_BUCKET: 'avatars', S3_FORCE_PATH_STYLE: 'yes' }).avatarStorage).toMatchObject({
      forcePathStyle: true,
    });
  });

  it('reports every S3 problem at once: bad endpoint, half a key pair, bad flag, bucket, region and prefix', () => {
    expect(
      problemsOf({
        S3_BUCKET: 's3://atrium/avatars',
        S3_REGION: 'EU West',
        S3_ENDPOINT: 'minio:9000',
        S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        S3_FORCE_PATH_STYLE: 'sometimes',
        S3_PREFIX: '/avatars/',
      }),
    ).toEqual([
      'S3_BUCKET must be a bare bucket name such as "atrium-avatars" (no scheme, path or spaces), got "s3://atrium/avatars"',
      'S3_REGION must be a region name such as "eu-west-1" (or "auto" for R2), got "EU West"',
      'S3_ENDPOINT must use http: or https:, got "minio:"',
      "S3_ACCESS_KEY_ID needs S3_SECRET_ACCESS_KEY: set both, or neither to use the AWS SDK's default credentials",
      'S3_PREFIX must be a key prefix such as "avatars/" (no leading slash, backslash or control characters, at most 512 characters), got "/avatars/"',
      'S3_FORCE_PATH_STYLE must be true or false, got "sometimes"',
    ]);
    expect(problemsOf({ S3_BUCKET: 'avatars', S3_ENDPOINT: 'not a url', S3_SECRET_ACCESS_KEY: 'secret' })).toEqual([
      'S3_ENDPOINT is not a valid URL',
      "S3_SECRET_ACCESS_KEY needs S3_ACCESS_KEY_ID: set both, or neither to use the AWS SDK's default credentials",
    ]);
  });

  it('refuses S3 settings without S3_BUCKET instead of quietly keeping avatars on local disk', () => {
    expect(
      problemsOf({ S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'x', S3_SECRET_ACCESS_KEY: 'y' }),
    ).toEqual([
      'S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY are set but S3_BUCKET is not: set S3_BUCKET to store avatars in S3, or unset the S3_* variables to keep them on local disk',
    ]);
    expect(problemsOf({ S3_PREFIX: 'avatars/' })).toEqual([
      'S3_PREFIX is set but S3_BUCKET is not: set S3_BUCKET to store avatars in S3, or unset the S3_* variables to keep them on local disk',
    ]);
  });

  describe('in production', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/atrium',
      REDIS_URL: 'redis://cache:6379',
      CORS_ORIGINS: 'https://atrium.example.com',
    };

    it('refuses to start without a JWT secret', () => {
      expect(problemsOf(production)).toContain('JWT_ACCESS_SECRET is required in production');
    });

    it('refuses the development default secret', () => {
      expect(problemsOf({ ...production, JWT_ACCESS_SECRET: DEV_JWT_ACCESS_SECRET })).toContain(
        'JWT_ACCESS_SECRET must not be the development default in production',
      );
    });

    it('refuses short and repetitive secrets', () => {
      expect(problemsOf({ ...production, JWT_ACCESS_SECRET: 'short-secret' })).toContain(
        'JWT_ACCESS_SECRET must be at least 32 characters',
      );
      expect(problemsOf({ ...production, JWT_ACCESS_SECRET: 'ab'.repeat(20) })).toContain(
        'JWT_ACCESS_SECRET is too repetitive to be a secret',
      );
    });

    it('requires its own data encryption key, apart from the JWT key', () => {
      const secret = 'Zq8#w1Lr9!tYb2Xk5@Vn7$Pm3^Hd6&Jc4*Gf0';
      expect(problemsOf({ ...production, JWT_ACCESS_SECRET: secret })).toContain(
        'DATA_ENCRYPTION_KEY is required in production',
      );
      expect(problemsOf({ ...production, JWT_ACCESS_SECRET: secret, DATA_ENCRYPTION_KEY: secret })).toContain(
        'DATA_ENCRYPTION_KEY must differ from JWT_ACCESS_SECRET (each can then be rotated alone)',
      );
      expect(
        problemsOf({ ...production, JWT_ACCESS_SECRET: secret, DATA_ENCRYPTION_KEY: DEV_DATA_ENCRYPTION_KEY }),
      ).toContain('DATA_ENCRYPTION_KEY must not be the development default in production');
    });

    it('requires Postgres and Redis, and does not serve the SPA', () => {
      const secret = 'Zq8#w1Lr9!tYb2Xk5@Vn7$Pm3^Hd6&Jc4*Gf0';
      const dataKey = 'Mv3!pQ8@zR1#kT6$wY9%bN2^cL5&dF7*hJ4';
      expect(problemsOf({ NODE_ENV: 'production', JWT_ACCESS_SECRET: secret, DATA_ENCRYPTION_KEY: dataKey })).toEqual([
        'DATABASE_URL is required in production',
        'REDIS_URL is required in production',
      ]);
      const config = load({ ...production, JWT_ACCESS_SECRET: secret, DATA_ENCRYPTION_KEY: dataKey });
      expect(config.isProduction).toBe(true);
      expect(config.serveSpa).toBe(false);
      expect(config.corsOrigins).toEqual(['https://atrium.example.com']);
    });
  });

  describe('keys outside production', () => {
    const explicit = {
      JWT_ACCESS_SECRET: 'an-explicit-jwt-key-0123456789-abcdefghij',
      DATA_ENCRYPTION_KEY: 'an-explicit-data-key-0123456789-abcdefghij',
    };

    it('development without keys uses the keys generated for its DATA_DIR, never the published ones', () => {
      askedFor.length = 0;
      const config = load({ DATA_DIR: '/srv/atrium-data' });
      expect(askedFor).toEqual(['/srv/atrium-data']);
      expect(config.jwtAccessSecret).toBe(GENERATED.jwtAccessSecret);
      expect(config.dataEncryptionKey).toBe(GENERATED.dataEncryptionKey);
    });

    it('keys that are set win, and with both set nothing is generated', () => {
      askedFor.length = 0;
      const config = load(explicit);
      expect(askedFor).toEqual([]);
      expect(config.jwtAccessSecret).toBe(explicit.JWT_ACCESS_SECRET);
      expect(config.dataEncryptionKey).toBe(explicit.DATA_ENCRYPTION_KEY);
      // One of the two set: the other comes from the installation.
      const half = load({ JWT_ACCESS_SECRET: explicit.JWT_ACCESS_SECRET });
      expect(half.jwtAccessSecret).toBe(explicit.JWT_ACCESS_SECRET);
      expect(half.dataEncryptionKey).toBe(GENERATED.dataEncryptionKey);
    });

    it('tests keep the published keys (deterministic) and write nothing', () => {
      askedFor.length = 0;
      const config = load({ NODE_ENV: 'test' });
      expect(askedFor).toEqual([]);
      expect(config.jwtAccessSecret).toBe(DEV_JWT_ACCESS_SECRET);
      expect(config.dataEncryptionKey).toBe(DEV_DATA_ENCRYPTION_KEY);
    });

    it('development refuses the published keys when they are set explicitly (e.g. an old .env)', () => {
      expect(problemsOf({ ...explicit, JWT_ACCESS_SECRET: DEV_JWT_ACCESS_SECRET })).toEqual([
        expect.stringMatching(/^JWT_ACCESS_SECRET must not be the development default: it is published in the source/),
      ]);
      expect(problemsOf({ ...explicit, DATA_ENCRYPTION_KEY: DEV_DATA_ENCRYPTION_KEY })).toEqual([
        expect.stringMatching(/^DATA_ENCRYPTION_KEY must not be the development default/),
      ]);
    });

    it('reports keys that cannot be kept as one problem that says what to do', () => {
      const failing: InstallationSecretsStore = () => {
        throw new Error('EACCES: permission denied');
      };
      expect(problemsOf({ DATA_DIR: '/srv/read-only' }, failing)).toEqual([
        'JWT_ACCESS_SECRET or DATA_ENCRYPTION_KEY is unset and the keys of this installation could not be kept in /srv/read-only/secrets.json (EACCES: permission denied): make DATA_DIR writable, or set both',
      ]);
      expect(() => loadConfig(explicit, { ...defaults, installationSecrets: failing })).not.toThrow();
    });
  });

  describe('DATA_DIR/secrets.json', () => {
    let dir: string;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'atrium-secrets-'));
    });

    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('is created once with two distinct random keys, mode 0600, and read back on every later start', () => {
      const dataDir = join(dir, 'nested', '.data');
      const first = installationSecretsFile(dataDir);
      const file = join(dataDir, SECRETS_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(first.jwtAccessSecret).toMatch(/^[A-Za-z0-9_-]{64}$/);
      expect(first.dataEncryptionKey).toMatch(/^[A-Za-z0-9_-]{64}$/);
      expect(first.jwtAccessSecret).not.toBe(first.dataEncryptionKey);
      const written = readFileSync(file, 'utf8');

      expect(installationSecretsFile(dataDir)).toEqual(first);
      expect(readFileSync(file, 'utf8')).toBe(written);
      // Another installation gets other keys.
      expect(installationSecretsFile(join(dir, 'other')).jwtAccessSecret).not.toBe(first.jwtAccessSecret);
    });

    it('takes a file made readable by others back to 0600', () => {
      installationSecretsFile(dir);
      chmodSync(join(dir, SECRETS_FILE), 0o644);
      installationSecretsFile(dir);
      expect(statSync(join(dir, SECRETS_FILE)).mode & 0o777).toBe(0o600);
    });

    it('refuses a symlink or a file it did not write, rather than replacing the keys', () => {
      writeFileSync(join(dir, 'elsewhere.json'), '{}');
      symlinkSync(join(dir, 'elsewhere.json'), join(dir, SECRETS_FILE));
      expect(() => installationSecretsFile(dir)).toThrow(/is not a regular file/);
      rmSync(join(dir, SECRETS_FILE));
      writeFileSync(join(dir, SECRETS_FILE), JSON.stringify({ jwtAccessSecret: 'short' }), { mode: 0o600 });
      expect(() => installationSecretsFile(dir)).toThrow(/is not a keys file Atrium wrote/);
    });
  });

  describe('probes', () => {
    it('default: /metrics open, readiness details for loopback and the token', () => {
      expect(load({}).probes).toEqual({ metricsToken: undefined, readinessDetails: 'loopback' });
    });

    it('reads METRICS_TOKEN and READINESS_DETAILS', () => {
      const token = 'prometheus-bearer-token-0123456789abcdef';
      expect(load({ METRICS_TOKEN: token, READINESS_DETAILS: 'token' }).probes).toEqual({
        metricsToken: token,
        readinessDetails: 'token',
      });
      expect(load({ READINESS_DETAILS: 'NEVER' }).probes.readinessDetails).toBe('never');
    });

    it('refuses a short or header-unsafe token, an unknown mode, and token mode without a token', () => {
      expect(problemsOf({ METRICS_TOKEN: 'short', READINESS_DETAILS: 'sometimes' })).toEqual([
        expect.stringMatching(/^METRICS_TOKEN must be at least 32 characters/),
        'READINESS_DETAILS must be one of loopback, token, always, never, got "sometimes"',
      ]);
      expect(problemsOf({ METRICS_TOKEN: `${'x'.repeat(40)} y` })).toEqual([
        expect.stringMatching(/^METRICS_TOKEN must be/),
      ]);
      expect(problemsOf({ READINESS_DETAILS: 'token' })).toEqual([
        'READINESS_DETAILS=token needs METRICS_TOKEN: the details would be shown to nobody',
      ]);
    });
  });
});
