import { randomBytes } from 'node:crypto';

/** Admin connection of the Postgres the e2e suite runs on; `TEST_DATABASE_URL` overrides it. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * Migrated once per run by the global setup; every test file clones it. The name is the run's
 * own (set by the global setup), so two runs on one Postgres never drop each other's template.
 */
export const TEMPLATE_DATABASE = process.env.ATRIUM_TEST_TEMPLATE ?? 'atrium_test_template';

export function databaseUrl(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export const uniqueSuffix = (): string => `${process.pid}_${randomBytes(4).toString('hex')}`;
