import 'reflect-metadata';
import type { ModuleMetadata } from '@nestjs/common';
import Redis from 'ioredis';
import { Client } from 'pg';
import { AtriumApp, createApp } from '../../src/bootstrap';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfigFromEnvironment } from '../../src/config/config.module';
import { databaseUrl, TEMPLATE_DATABASE, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueSuffix } from './test-env';

async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * A database and a Redis key prefix of a test file's own: cloned from the migrated template,
 * dropped (and the keys deleted) by `drop()`, so files run in parallel and leave nothing behind.
 */
export class TestResources {
  readonly database = `atrium_test_${uniqueSuffix()}`;
  readonly redisPrefix = `atrium-test:${uniqueSuffix()}:`;
  readonly databaseUrl = databaseUrl(this.database);

  async create(): Promise<this> {
    await admin((c) => c.query(`CREATE DATABASE "${this.database}" TEMPLATE "${TEMPLATE_DATABASE}"`));
    return this;
  }

  async redisKeys(): Promise<string[]> {
    const redis = new Redis(TEST_REDIS_URL);
    try {
      return await redis.keys(`${this.redisPrefix}*`);
    } finally {
      redis.disconnect();
    }
  }

  async drop(): Promise<void> {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`));
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const keys = await redis.keys(`${this.redisPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  }
}

/** The configuration a test app runs with: the file's database and key prefix, quiet logs, no SPA. */
export function testConfig(resources: TestResources, env: Record<string, string | undefined> = {}): AppConfig {
  return loadConfigFromEnvironment({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: resources.databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: resources.redisPrefix,
    SERVE_SPA: 'false',
    CORS_ORIGINS: 'https://app.atrium.test',
    THROTTLE_LIMIT: '1000',
    // Test files sign many accounts up and in from one address; the auth budget has its own tests.
    AUTH_THROTTLE_LIMIT: '1000',
    ...env,
  });
}

/** Boots the real application (same `createApp` as `main.ts`) and readies it for `app.inject`. */
export async function startTestApp(
  resources: TestResources,
  env: Record<string, string | undefined> = {},
  imports: ModuleMetadata['imports'] = [],
): Promise<AtriumApp> {
  const atrium = await createApp(testConfig(resources, env), { imports });
  await atrium.app.getHttpAdapter().getInstance().ready();
  return atrium;
}
