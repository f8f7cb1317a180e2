import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { databaseUrl, TEMPLATE_DATABASE, TEST_DATABASE_URL } from './test-env';

/** Builds the migrated template database that every e2e file clones (`CREATE DATABASE … TEMPLATE`). */
export default async function globalSetup(): Promise<void> {
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  } finally {
    await admin.end();
  }
  const dataSource = await new DataSource(
    buildDataSourceOptions({ url: databaseUrl(TEMPLATE_DATABASE), poolSize: 1, applicationName: 'atrium-test-setup' }),
  ).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
