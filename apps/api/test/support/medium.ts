import 'reflect-metadata';
import type { INestApplicationContext, ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import type { AppConfig } from '../../src/config/app-config';
import { newId } from '../../src/database/ids';
import { unique } from './factories';
import { testConfig, TestResources } from './test-app';

/**
 * The medium tier (`*.medium-spec.ts`): services and repositories of the real application on a real
 * database of the file's own, without HTTP. The whole AppModule is assembled as `createApp` does
 * (same `AppModule.forRoot`, same configuration), but as an application context: no listener,
 * no routes, no guards in the way; a spec takes what it tests with `app.get(SomeService)` and
 * calls its public methods. Cheaper than e2e for the combinatorial cases (one case, one call).
 */
export interface MediumApp {
  app: INestApplicationContext;
  config: AppConfig;
  resources: TestResources;
  /** SQL on the file's database, to arrange rows a case needs and to look at what a call left. */
  sql: <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;
  close: () => Promise<void>;
}

/** Boots the application context on `resources` (created, not yet dropped). */
export async function startMediumApp(
  resources: TestResources,
  env: Record<string, string | undefined> = {},
  imports: ModuleMetadata['imports'] = [],
): Promise<MediumApp> {
  const config = testConfig(resources, env);
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config, databaseUrl: resources.databaseUrl, imports }),
    { logger: false, abortOnError: false },
  );
  const dataSource = app.get(DataSource);
  return {
    app,
    config,
    resources,
    sql: <T>(text: string, params: unknown[] = []) => dataSource.query<T[]>(text, params),
    close: () => app.close(),
  };
}

/**
 * A medium spec's app for the whole file: a database cloned from the template and an application
 * context on it before the first test, both gone after the last. Call it at the top of `describe`;
 * read its fields inside tests (they exist from `beforeAll` on).
 */
export function mediumTier(env: Record<string, string | undefined> = {}): MediumApp {
  const resources = new TestResources();
  let current: MediumApp | undefined;
  beforeAll(async () => {
    await resources.create();
    current = await startMediumApp(resources, env);
  });
  afterAll(async () => {
    await current?.close();
    await resources.drop();
  });
  const started = (): MediumApp => {
    if (!current) throw new Error('the medium app starts in beforeAll: use it inside a test or a hook');
    return current;
  };
  return {
    get app() {
      return started().app;
    },
    get config() {
      return started().config;
    },
    resources,
    sql: (text, params) => started().sql(text, params),
    close: () => started().close(),
  };
}

/**
 * A user row written straight into `users` (there is no HTTP here to sign up through): for
 * services that only need an account to exist. Returns its id and names.
 */
export async function insertUser(
  medium: MediumApp,
  fields: { username?: string; email?: string } = {},
): Promise<{ id: string; username: string; email: string }> {
  const username = fields.username ?? unique('user');
  const email = fields.email ?? `${username}@example.com`;
  const id = newId();
  await medium.sql(
    `INSERT INTO "users" ("id", "email", "email_normalized", "username", "username_normalized", "password_hash")
     VALUES ($1, $2, lower($2), $3, lower($3), $4)`,
    [id, email, username, `not-a-hash-${randomUUID()}`],
  );
  return { id, username, email };
}
