import { RuntimeMode } from '@atrium/contracts';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * The typed configuration of one Atrium process. `loadConfig` is the only place in the
 * code base that reads `process.env`.
 */
export const COMMENT_MODERATIONS = ['all', 'first', 'none'] as const;
export type CommentModeration = (typeof COMMENT_MODERATIONS)[number];

export interface AppConfig {
  readonly serviceName: string;
  readonly version: string;
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly isProduction: boolean;
  readonly port: number;
  readonly host: string;
  readonly mode: RuntimeMode;
  /** Postgres URL; undefined in embedded mode, where PGlite is started in-process. */
  readonly databaseUrl: string | undefined;
  readonly databasePoolSize: number;
  /** Longest a query may run before it is cancelled and the request answers 503. */
  readonly databaseStatementTimeoutMs: number;
  /** Longest one Redis command may take before it counts as failed (the feature's outage policy applies). */
  readonly redisCommandTimeoutMs: number;
  readonly redisUrl: string | undefined;
  /** Prefix of every Redis key this process writes, so environments and test files can share a server. */
  readonly redisPrefix: string;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  readonly appUrl: string;
  readonly corsOrigins: readonly string[];
  readonly jwtAccessSecret: string;
  /**
   * Key for secrets sealed at rest (TOTP seeds, pending domain events). Separate from the JWT key,
   * so rotating that one signs everybody out but breaks no second factor.
   */
  readonly dataEncryptionKey: string;
  readonly logLevel: LogLevel;
  readonly throttle: { readonly limit: number; readonly ttlSeconds: number };
  readonly bodyLimitBytes: number;
  readonly dataDir: string;
  readonly serveSpa: boolean;
  readonly spaDir: string;
  readonly trustProxy: boolean;
  readonly shutdownTimeoutMs: number;
  /**
   * At SIGTERM, how long the replica keeps serving (readiness 503, `Connection: close` on every
   * response) before it stops accepting connections, so load balancers move traffic away first.
   */
  readonly shutdownDrainMs: number;
  /**
   * How far V8 lets the heap grow past what survived its last full collection before the next
   * one, in percent (0: V8's own heuristics, which let it grow several times over under load).
   * Set for the API and the worker process at start (runtime-heap.ts, decision 88).
   */
  readonly heapGrowthPercent: number;
  readonly readinessMinFreeDiskMb: number;
  /** Revisions kept per post (the oldest go first). */
  readonly postRevisionsMax: number;
  /** Which new comments wait for a moderator: all, a commenter's first, or none. */
  readonly commentModeration: CommentModeration;
  /** How long after writing it an author may edit their comment (moderators: always). */
  readonly commentEditWindowMinutes: number;
  /**
   * Comment mail to a post's author: at most one per this many seconds, listing what came in that
   * time (0: one mail per comment, at once). Decision 116.
   */
  readonly commentMailDigestSeconds: number;
  /** URLs per sitemap file (sitemaps.org allows 50 000); past it `/sitemap.xml` is an index of pages. */
  readonly sitemapMaxUrls: number;
  /** Who may see operator details: `/readiness` checks and `/metrics` (API and worker). */
  readonly probes: ProbesConfig;
  readonly jobs: JobsConfig;
  readonly auth: AuthConfig;
  /** First admin, created at start-up when no admin exists (ADMIN_EMAIL + ADMIN_PASSWORD). */
  readonly bootstrapAdmin: { email: string; username: string; password: string } | undefined;
  /** ADMIN_PASSWORD, also read by `npm run cli -- create-admin` instead of a prompt. */
  readonly adminPassword: string | undefined;
  /** Port of the worker's own /health and /metrics (the worker serves nothing else). */
  readonly workerPort: number;
  /** Where avatar images are kept: local disk under DATA_DIR, or an S3-compatible bucket (S3_BUCKET set). */
  readonly avatarStorage: AvatarStorageConfig;
}

/** The avatar store: `local` (`DATA_DIR/uploads/avatars`) unless `S3_BUCKET` is set. */
export type AvatarStorageConfig = { readonly driver: 'local' } | S3StorageConfig;

/** An S3 bucket, on AWS or any S3-compatible service (MinIO, R2, …) named by `endpoint`. */
export interface S3StorageConfig {
  readonly driver: 's3';
  readonly bucket: string;
  readonly region: string;
  /** Base URL of an S3-compatible service; undefined = AWS S3 of `region`. */
  readonly endpoint: string | undefined;
  /** Static keys; undefined = the AWS SDK's default credential chain (AWS_* variables, profiles, instance roles). */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
  /** `endpoint/bucket/key` URLs instead of `bucket.endpoint/key` (most self-hosted services need it). */
  readonly forcePathStyle: boolean;
  /** Prepended to every object key, e.g. `avatars/`. */
  readonly prefix: string;
}

/** Sessions, tokens and brute-force protection (docs/API.md, "Accounts and authentication"). */
export interface AuthConfig {
  /** Lifetime of an access JWT. */
  readonly accessTtlSeconds: number;
  /** A session ends this long after sign-in, however active. */
  readonly refreshTtlDays: number;
  /** A session unused this long ends. */
  readonly refreshIdleDays: number;
  /**
   * A refresh token presented again within this many seconds of its rotation (two tabs, a client
   * retry) gets the same successor; later, it counts as reuse and ends the session. 0 turns it off.
   */
  readonly refreshReuseGraceSeconds: number;
  /** Requests per client IP to the auth routes per `throttleTtlSeconds`. */
  readonly throttleLimit: number;
  readonly throttleTtlSeconds: number;
  /** Failed sign-ins of one account within 15 minutes that lock it. */
  readonly lockoutThreshold: number;
  readonly lockoutMinutes: number;
  /** Secure cookies (always in production). */
  readonly secureCookies: boolean;
}

/**
 * Who sees the per-dependency `checks` of `/readiness` (everyone gets `status` and the status code):
 * `loopback` — requests from this machine that came through no proxy, and requests carrying
 * METRICS_TOKEN; `token` — only requests carrying METRICS_TOKEN; `always`; `never`.
 */
export const READINESS_DETAILS = ['loopback', 'token', 'always', 'never'] as const;
export type ReadinessDetails = (typeof READINESS_DETAILS)[number];

export interface ProbesConfig {
  /** `Authorization: Bearer <token>` that `/metrics` then requires and that shows readiness details; unset = `/metrics` open. */
  readonly metricsToken: string | undefined;
  readonly readinessDetails: ReadinessDetails;
}

/** Background job defaults (Bull on Redis, or the in-process runner in embedded mode). */
export interface JobsConfig {
  /** Jobs one process runs at once, per queue. */
  readonly concurrency: number;
  /** Tries per job before it lands in `failed`. */
  readonly attempts: number;
  /** First retry delay; each later one doubles it (exponential backoff). */
  readonly backoffMs: number;
  /** How often a worker looks for jobs whose worker died (stalled) and requeues them. */
  readonly stalledIntervalMs: number;
  /** How long a job's lock lives without renewal before the job counts as stalled. */
  readonly lockDurationMs: number;
  /**
   * How long a job handed to the queue may go unreported before the API's outbox relay asks the
   * queue whether it still holds it, and how often the relay registers the recurring schedules
   * again: the longest a loss of Redis's data holds up a queued job or a schedule.
   */
  readonly recoveryCheckSeconds: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The signing key of `NODE_ENV=test` when JWT_ACCESS_SECRET is unset (tests stay deterministic).
 * It is public (it is in the source): every other environment refuses it, and development without
 * JWT_ACCESS_SECRET uses a key of its own installation (`DATA_DIR/secrets.json`).
 */
export const DEV_JWT_ACCESS_SECRET = 'atrium-dev-only-access-secret-change-me-0000';
/** The data key of `NODE_ENV=test` when DATA_ENCRYPTION_KEY is unset; public, refused everywhere else. */
export const DEV_DATA_ENCRYPTION_KEY = 'atrium-dev-only-data-encryption-key-change-me-0';
const MIN_SECRET_LENGTH = 32;

/** The file in DATA_DIR that keeps the keys generated for one development installation. */
export const SECRETS_FILE = 'secrets.json';

/** Keys generated once per installation, for development without JWT_ACCESS_SECRET / DATA_ENCRYPTION_KEY. */
export interface InstallationSecrets {
  readonly jwtAccessSecret: string;
  readonly dataEncryptionKey: string;
}

/** The installation's keys for a data directory, created on first use; throws when they cannot be read or kept. */
export type InstallationSecretsStore = (dataDir: string) => InstallationSecrets;

/**
 * `DATA_DIR/secrets.json` (mode 0600, a regular file of this user): read when it exists, else
 * written once with two random keys. Creation is atomic (written aside, then hard-linked into
 * place), so an API and a worker starting together agree on one pair of keys.
 */
export const installationSecretsFile: InstallationSecretsStore = (dataDir) => {
  const path = join(dataDir, SECRETS_FILE);
  const existing = readSecretsFile(path);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const body = `${JSON.stringify(
    {
      note: 'Keys of this Atrium installation (development without JWT_ACCESS_SECRET / DATA_ENCRYPTION_KEY). Keep private; deleting this file signs everyone out and makes two-factor seeds unreadable.',
      createdAt: new Date().toISOString(),
      jwtAccessSecret: randomBytes(48).toString('base64url'),
      dataEncryptionKey: randomBytes(48).toString('base64url'),
    },
    null,
    2,
  )}\n`;
  const aside = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(aside, 'wx', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, body);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(aside, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // EEXIST: another process created it first, and its keys win. Without hard links, create in place.
    if (code !== 'EEXIST') writeFileSync(path, body, { flag: 'wx', mode: 0o600 });
  } finally {
    unlinkSync(aside);
  }
  const created = readSecretsFile(path);
  if (!created) throw new Error(`${path} vanished while it was being created`);
  return created;
};

function readSecretsFile(path: string): InstallationSecrets | undefined {
  let stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!stats.isFile()) throw new Error(`${path} is not a regular file`);
  if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) {
    throw new Error(`${path} belongs to another user`);
  }
  // Readable by others means no longer private; tighten it (the keys may have to be rotated).
  if ((stats.mode & 0o077) !== 0) chmodSync(path, 0o600);
  let parsed: Partial<Record<keyof InstallationSecrets, unknown>> | undefined;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  const valid = (value: unknown): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH;
  if (!parsed || !valid(parsed.jwtAccessSecret) || !valid(parsed.dataEncryptionKey)) {
    throw new Error(
      `${path} is not a keys file Atrium wrote (jwtAccessSecret and dataEncryptionKey of at least ${MIN_SECRET_LENGTH} characters)`,
    );
  }
  return { jwtAccessSecret: parsed.jwtAccessSecret, dataEncryptionKey: parsed.dataEncryptionKey };
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url; // APP_URL's own check reports it
  }
}

export interface ConfigDefaults {
  version: string;
  spaDir: string;
  /**
   * Where development keeps the keys it generates when JWT_ACCESS_SECRET or DATA_ENCRYPTION_KEY is
   * unset; `DATA_DIR/secrets.json` unless given (unit specs pass one in memory).
   */
  installationSecrets?: InstallationSecretsStore;
}

/**
 * Reads every variable, collects every problem, and throws one error listing them all. The only
 * side effect: in development without JWT_ACCESS_SECRET or DATA_ENCRYPTION_KEY, the installation's
 * keys are read from (first time: written to) `DATA_DIR/secrets.json`.
 */
export function loadConfig(env: Env, defaults: ConfigDefaults): AppConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw)) {
      problems.push(`${name} must be a whole number, got "${raw}"`);
      return fallback;
    }
    const value = Number(raw);
    if (value < min || value > max) problems.push(`${name} must be between ${min} and ${max}, got ${value}`);
    return value;
  };

  const bool = (name: string, fallback: boolean): boolean => {
    const raw = read(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw)) return true;
    if (['false', '0', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };

  const url = (name: string, protocols: readonly string[]): string | undefined => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const nodeEnvRaw = read('NODE_ENV') ?? 'development';
  let nodeEnv: AppConfig['nodeEnv'] = 'development';
  if (nodeEnvRaw === 'development' || nodeEnvRaw === 'production' || nodeEnvRaw === 'test') nodeEnv = nodeEnvRaw;
  else problems.push(`NODE_ENV must be development, production or test, got "${nodeEnvRaw}"`);
  const isProduction = nodeEnv === 'production';

  const port = int('PORT', 3000, 0, 65535);
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = url('REDIS_URL', ['redis:', 'rediss:']);
  const smtpUrl = url('SMTP_URL', ['smtp:', 'smtps:']);
  const appUrl = url('APP_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;

  const mailFrom = read('MAIL_FROM') ?? 'Atrium <no-reply@atrium.local>';
  if (!/^([^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(mailFrom)) {
    problems.push(`MAIL_FROM must be an address such as "Atrium <no-reply@example.com>", got "${mailFrom}"`);
  }

  // APP_URL may carry a path (an app under /atrium); CORS speaks origins only.
  const corsOrigins = (read('CORS_ORIGINS') ?? (isProduction ? '' : originOf(appUrl)))
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin.replace(/\/$/, '')) {
      problems.push(`CORS_ORIGINS entry "${origin}" must be an origin such as https://app.example.com`);
    }
  }

  const dataDirRaw = read('DATA_DIR') ?? '.data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(process.cwd(), dataDirRaw);

  // Unset keys: production refuses to start, tests use the public constants (deterministic), and
  // development uses keys generated for this installation — never a key anyone can read in the source.
  const explicitJwtSecret = read('JWT_ACCESS_SECRET');
  const explicitDataKey = read('DATA_ENCRYPTION_KEY');
  let installation: InstallationSecrets | undefined;
  let installationFailed = false;
  if (nodeEnv === 'development' && (explicitJwtSecret === undefined || explicitDataKey === undefined)) {
    try {
      installation = (defaults.installationSecrets ?? installationSecretsFile)(dataDir);
    } catch (error) {
      installationFailed = true;
      problems.push(
        `JWT_ACCESS_SECRET or DATA_ENCRYPTION_KEY is unset and the keys of this installation could not be kept in ${join(dataDir, SECRETS_FILE)} (${error instanceof Error ? error.message : String(error)}): make DATA_DIR writable, or set both`,
      );
    }
  }
  /** The first problem of a key, if any; an unset key whose installation file failed is reported above. */
  const keyProblem = (name: string, value: string, publicDefault: string, explicit: boolean): string | undefined => {
    if (installationFailed && !explicit) return undefined;
    if (isProduction && value === '') return `${name} is required in production`;
    if (value.length < MIN_SECRET_LENGTH) return `${name} must be at least ${MIN_SECRET_LENGTH} characters`;
    if (nodeEnv !== 'test' && value === publicDefault) {
      return isProduction
        ? `${name} must not be the development default in production`
        : `${name} must not be the development default: it is published in the source. Unset it (this installation's own key is then kept in DATA_DIR/${SECRETS_FILE}) or set a secret of your own`;
    }
    if (isProduction && name === 'DATA_ENCRYPTION_KEY' && value === jwtAccessSecret) {
      return 'DATA_ENCRYPTION_KEY must differ from JWT_ACCESS_SECRET (each can then be rotated alone)';
    }
    if (isProduction && new Set(value).size < 10) return `${name} is too repetitive to be a secret`;
    return undefined;
  };
  const jwtAccessSecret =
    explicitJwtSecret ?? installation?.jwtAccessSecret ?? (nodeEnv === 'test' ? DEV_JWT_ACCESS_SECRET : '');
  const dataEncryptionKey =
    explicitDataKey ?? installation?.dataEncryptionKey ?? (nodeEnv === 'test' ? DEV_DATA_ENCRYPTION_KEY : '');
  for (const problem of [
    keyProblem('JWT_ACCESS_SECRET', jwtAccessSecret, DEV_JWT_ACCESS_SECRET, explicitJwtSecret !== undefined),
    keyProblem('DATA_ENCRYPTION_KEY', dataEncryptionKey, DEV_DATA_ENCRYPTION_KEY, explicitDataKey !== undefined),
  ]) {
    if (problem !== undefined) problems.push(problem);
  }

  const logLevelRaw = read('LOG_LEVEL') ?? (nodeEnv === 'test' ? 'silent' : 'info');
  let logLevel: LogLevel = 'info';
  if ((LOG_LEVELS as readonly string[]).includes(logLevelRaw)) logLevel = logLevelRaw as LogLevel;
  else problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevelRaw}"`);

  const throttle = {
    limit: int('THROTTLE_LIMIT', 100, 1, 1_000_000),
    ttlSeconds: int('THROTTLE_TTL', 60, 1, 86_400),
  };
  const bodyLimitBytes = int('BODY_LIMIT', 1_048_576, 1024, 100 * 1_048_576);
  const shutdownTimeoutMs = int('SHUTDOWN_TIMEOUT_MS', 25_000, 0, 600_000);
  const shutdownDrainMs = int('SHUTDOWN_DRAIN_MS', isProduction ? 5_000 : 0, 0, 300_000);
  const heapGrowthPercent = int('HEAP_GROWTH_PERCENT', 50, 0, 1000);
  const readinessMinFreeDiskMb = int('READINESS_MIN_FREE_DISK_MB', 100, 0, 10_000_000);
  const postRevisionsMax = int('POST_REVISIONS_MAX', 50, 1, 10_000);
  const commentModerationRaw = read('COMMENT_MODERATION') ?? 'first';
  let commentModeration: CommentModeration = 'first';
  if ((COMMENT_MODERATIONS as readonly string[]).includes(commentModerationRaw)) {
    commentModeration = commentModerationRaw as CommentModeration;
  } else {
    problems.push(`COMMENT_MODERATION must be one of ${COMMENT_MODERATIONS.join(', ')}, got "${commentModerationRaw}"`);
  }
  const commentEditWindowMinutes = int('COMMENT_EDIT_WINDOW_MINUTES', 15, 0, 525_600);
  const commentMailDigestSeconds = int('COMMENT_MAIL_DIGEST_SECONDS', 300, 0, 86_400);
  const sitemapMaxUrls = int('SITEMAP_MAX_URLS', 50_000, 3, 50_000);
  const metricsToken = read('METRICS_TOKEN');
  if (metricsToken !== undefined && !/^[A-Za-z0-9._~+/=-]{32,}$/.test(metricsToken)) {
    problems.push(
      `METRICS_TOKEN must be at least ${MIN_SECRET_LENGTH} characters of A-Z a-z 0-9 . _ ~ + / = - (it is sent as a bearer token)`,
    );
  }
  const readinessDetailsRaw = read('READINESS_DETAILS')?.toLowerCase() ?? 'loopback';
  let readinessDetails: ReadinessDetails = 'loopback';
  if ((READINESS_DETAILS as readonly string[]).includes(readinessDetailsRaw)) {
    readinessDetails = readinessDetailsRaw as ReadinessDetails;
  } else {
    problems.push(`READINESS_DETAILS must be one of ${READINESS_DETAILS.join(', ')}, got "${readinessDetailsRaw}"`);
  }
  if (readinessDetails === 'token' && metricsToken === undefined) {
    problems.push('READINESS_DETAILS=token needs METRICS_TOKEN: the details would be shown to nobody');
  }
  const jobs: JobsConfig = {
    concurrency: int('JOB_CONCURRENCY', 5, 1, 100),
    attempts: int('JOB_ATTEMPTS', 5, 1, 50),
    backoffMs: int('JOB_BACKOFF_MS', 10_000, 10, 3_600_000),
    // A dead worker's job runs again once its lock expires and a stalled check sees it: about
    // 15 s with these defaults (the window in which its mail may go out twice).
    stalledIntervalMs: int('JOB_STALLED_INTERVAL_MS', 5_000, 100, 3_600_000),
    lockDurationMs: int('JOB_LOCK_DURATION_MS', 10_000, 100, 3_600_000),
    recoveryCheckSeconds: int('JOB_RECOVERY_CHECK_SECONDS', 60, 5, 3_600),
  };
  const workerPort = int('WORKER_PORT', 3001, 0, 65535);
  const adminEmail = read('ADMIN_EMAIL');
  const adminPassword = env.ADMIN_PASSWORD; // not trimmed: spaces may be part of a passphrase
  if (adminEmail !== undefined && !adminPassword) {
    problems.push('ADMIN_EMAIL needs ADMIN_PASSWORD: set both to create the first admin at start-up, or neither');
  }
  const bootstrapAdmin =
    adminEmail && adminPassword
      ? { email: adminEmail, username: read('ADMIN_USERNAME') ?? 'admin', password: adminPassword }
      : undefined;
  const auth: AuthConfig = {
    accessTtlSeconds: int('JWT_ACCESS_TTL', 900, 60, 86_400),
    refreshTtlDays: int('REFRESH_TTL_DAYS', 30, 1, 365),
    refreshIdleDays: int('REFRESH_IDLE_DAYS', 7, 1, 365),
    refreshReuseGraceSeconds: int('REFRESH_REUSE_GRACE_SECONDS', 10, 0, 300),
    throttleLimit: int('AUTH_THROTTLE_LIMIT', 20, 1, 1_000_000),
    throttleTtlSeconds: int('AUTH_THROTTLE_TTL', 60, 1, 86_400),
    lockoutThreshold: int('LOCKOUT_THRESHOLD', 5, 1, 1000),
    lockoutMinutes: int('LOCKOUT_MINUTES', 15, 1, 1440),
    secureCookies: isProduction || appUrl.startsWith('https:'),
  };

  const redisPrefix = read('REDIS_PREFIX') ?? 'atrium:';
  // Embedded PGlite is one session behind a multiplexer: a few pooled connections are plenty.
  const databasePoolSize = int('DB_POOL_SIZE', databaseUrl === undefined ? 4 : 10, 1, 200);
  const databaseStatementTimeoutMs = int('DB_STATEMENT_TIMEOUT_MS', 10_000, 100, 600_000);
  const redisCommandTimeoutMs = int('REDIS_COMMAND_TIMEOUT_MS', 500, 50, 60_000);
  const serveSpa = bool('SERVE_SPA', !isProduction);
  const trustProxy = bool('TRUST_PROXY', false);
  const avatarStorage = s3Storage(read, url, bool, problems);
  if (isProduction && databaseUrl === undefined) problems.push('DATABASE_URL is required in production');
  if (isProduction && redisUrl === undefined) problems.push('REDIS_URL is required in production');

  if (problems.length > 0) throw new ConfigValidationError(problems);

  return {
    serviceName: 'atrium-api',
    version: defaults.version,
    nodeEnv,
    isProduction,
    port,
    host: read('HOST') ?? '0.0.0.0',
    mode: databaseUrl === undefined ? RuntimeMode.EMBEDDED : RuntimeMode.SERVICES,
    databaseUrl,
    databasePoolSize,
    databaseStatementTimeoutMs,
    redisCommandTimeoutMs,
    redisUrl,
    redisPrefix,
    smtpUrl,
    mailFrom,
    appUrl,
    corsOrigins,
    jwtAccessSecret,
    dataEncryptionKey,
    logLevel,
    throttle,
    bodyLimitBytes,
    dataDir,
    serveSpa,
    spaDir: read('SPA_DIR') ?? defaults.spaDir,
    trustProxy,
    shutdownTimeoutMs,
    shutdownDrainMs,
    heapGrowthPercent,
    readinessMinFreeDiskMb,
    postRevisionsMax,
    commentModeration,
    commentEditWindowMinutes,
    commentMailDigestSeconds,
    sitemapMaxUrls,
    probes: { metricsToken, readinessDetails },
    jobs,
    auth,
    bootstrapAdmin,
    adminPassword: adminPassword || undefined,
    workerPort,
    avatarStorage,
  };
}

const S3_VARIABLES = [
  'S3_REGION',
  'S3_ENDPOINT',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'S3_FORCE_PATH_STYLE',
  'S3_PREFIX',
] as const;

/** The S3_* variables: S3_BUCKET switches the avatar store to S3; without it, none of the others may be set. */
function s3Storage(
  read: (name: string) => string | undefined,
  url: (name: string, protocols: readonly string[]) => string | undefined,
  bool: (name: string, fallback: boolean) => boolean,
  problems: string[],
): AvatarStorageConfig {
  const bucket = read('S3_BUCKET');
  if (bucket === undefined) {
    // Silently keeping avatars on local disk when S3 was meant would lose them on the next deploy.
    const stray = S3_VARIABLES.filter((name) => read(name) !== undefined);
    if (stray.length > 0) {
      problems.push(
        `${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set but S3_BUCKET is not: set S3_BUCKET to store avatars in S3, or unset the S3_* variables to keep them on local disk`,
      );
    }
    return { driver: 'local' };
  }
  if (!/^[^\s/:]{3,255}$/.test(bucket)) {
    problems.push(
      `S3_BUCKET must be a bare bucket name such as "atrium-avatars" (no scheme, path or spaces), got "${bucket}"`,
    );
  }
  const region = read('S3_REGION') ?? 'us-east-1';
  if (!/^[a-z0-9][a-z0-9-]*$/.test(region)) {
    problems.push(`S3_REGION must be a region name such as "eu-west-1" (or "auto" for R2), got "${region}"`);
  }
  const endpoint = url('S3_ENDPOINT', ['http:', 'https:']);
  const accessKeyId = read('S3_ACCESS_KEY_ID');
  const secretAccessKey = read('S3_SECRET_ACCESS_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    problems.push(
      `${accessKeyId === undefined ? 'S3_SECRET_ACCESS_KEY needs S3_ACCESS_KEY_ID' : 'S3_ACCESS_KEY_ID needs S3_SECRET_ACCESS_KEY'}: set both, or neither to use the AWS SDK's default credentials`,
    );
  }
  const prefix = read('S3_PREFIX') ?? 'avatars/';
  if (prefix.startsWith('/') || prefix.length > 512 || /[\\\p{Cc}]/u.test(prefix)) {
    problems.push(
      `S3_PREFIX must be a key prefix such as "avatars/" (no leading slash, backslash or control characters, at most 512 characters), got "${prefix}"`,
    );
  }
  return {
    driver: 's3',
    bucket,
    region,
    endpoint,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    forcePathStyle: bool('S3_FORCE_PATH_STYLE', endpoint !== undefined),
    prefix,
  };
}
