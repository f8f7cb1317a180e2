import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { databaseUrl, TEST_DATABASE_URL } from './test-env';

/** Whether the test run (process) that created a database is still alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Builds this run's migrated template database that every e2e file clones (`CREATE DATABASE …
 * TEMPLATE`), and drops databases that runs killed before their teardown left behind. Test
 * databases are named `atrium_test_<pid>_…`, so a run never touches another live run's.
 */
export default async function globalSetup(): Promise<void> {
  const template = `atrium_test_${process.pid}_template`;
  // Each Jest project that needs the database (e2e, medium) runs this hook in the same process:
  // the first one builds the template, the others use it.
  if (process.env.ATRIUM_TEST_TEMPLATE === template) return;
  process.env.ATRIUM_TEST_TEMPLATE = template;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname ~ '^atrium_test_[0-9]+_'`,
    );
    for (const { datname } of rows) {
      const pid = Number(/^atrium_test_(\d+)_/.exec(datname)?.[1]);
      if (pid === process.pid || !alive(pid)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE "${template}"`);
  } finally {
    await admin.end();
  }
  const dataSource = await new DataSource(
    buildDataSourceOptions({ url: databaseUrl(template), poolSize: 1, applicationName: 'atrium-test-setup' }),
  ).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
