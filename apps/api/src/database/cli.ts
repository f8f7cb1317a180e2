import 'reflect-metadata';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { ConfigValidationError } from '../config/app-config';
import { loadConfigFromEnvironment, loadDotEnvFile } from '../config/config.module';
import { buildDataSourceOptions } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';
import { type OpenDatabase, openDatabase } from './open-database';
import { seed } from './seed';

const USAGE = `Usage: node apps/api/dist/database/cli.js <command>
  migrate            apply pending migrations (DATABASE_URL, or the embedded database in DATA_DIR)
  revert             revert the last applied migration
  generate <Name>    write a migration with the SQL that brings the migrated schema to the entities
  check              fail when entities and migrations disagree (CI's drift check)
  seed [--posts N]   add realistic content (default 100000 posts) to the migrated database, set-based`;

// Both src/database and dist/database sit two levels below apps/api; migrations are source files.
const MIGRATIONS_DIR = resolve(__dirname, '../../src/database/migrations');

/** A database for the command: DATABASE_URL, or the embedded one under DATA_DIR. */
function openTarget(): Promise<OpenDatabase> {
  return openDatabase(loadConfigFromEnvironment(), 'atrium-migrate');
}

/**
 * A throw-away, empty database with every migration applied: generation and the drift check
 * compare the entities with what the migrations build, never with a developer's local database.
 */
async function openScratch(): Promise<{ dataSource: DataSource; close: () => Promise<void> }> {
  const config = loadConfigFromEnvironment();
  if (config.databaseUrl) {
    const name = `atrium_scratch_${process.pid}_${Date.now()}`;
    const admin = await new DataSource({ type: 'postgres', url: config.databaseUrl }).initialize();
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(config.databaseUrl);
    url.pathname = `/${name}`;
    const dataSource = await new DataSource(
      buildDataSourceOptions({ url: url.toString(), poolSize: 1, applicationName: 'atrium-scratch' }),
    ).initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    return {
      dataSource,
      close: async () => {
        await dataSource.destroy();
        await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
        await admin.destroy();
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'atrium-scratch-'));
  const embedded = await EmbeddedPostgres.start(dir, 2);
  const dataSource = await new DataSource(
    buildDataSourceOptions({ url: embedded.url, poolSize: 1, applicationName: 'atrium-scratch' }),
  ).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Generated files are written as the repository's Prettier settings would (a dev-only dependency). */
async function writeFormatted(path: string, text: string): Promise<void> {
  const prettier = await import('prettier').catch(() => undefined);
  const options = prettier ? await prettier.resolveConfig(path) : null;
  await writeFile(path, prettier ? await prettier.format(text, { ...options, filepath: path }) : text);
}

/** A statement of a migration, with its parameters (TypeORM's bookkeeping of generated columns has some). */
interface Statement {
  query: string;
  parameters?: unknown[];
}

async function pendingSchemaChanges(dataSource: DataSource): Promise<{ up: Statement[]; down: Statement[] }> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  const statement = (q: { query: string; parameters?: unknown[] }): Statement => ({
    query: q.query,
    ...(q.parameters?.length ? { parameters: q.parameters } : {}),
  });
  return {
    up: sql.upQueries.map(statement),
    down: sql.downQueries.map(statement).reverse(),
  };
}

const quote = (query: string): string =>
  '`' + query.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';

async function generate(name: string | undefined): Promise<number> {
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    console.error('Give the migration a PascalCase name: npm run db:migration:generate -- AddPosts');
    return 2;
  }
  const scratch = await openScratch();
  try {
    const { up, down } = await pendingSchemaChanges(scratch.dataSource);
    if (up.length === 0) {
      console.log('Entities and migrations already agree; no migration written.');
      return 0;
    }
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const file = `${timestamp}-${name}`;
    const body = (statements: Statement[]): string =>
      statements
        .map(
          (q) =>
            `    await queryRunner.query(${quote(q.query)}${q.parameters ? `, ${JSON.stringify(q.parameters)}` : ''});`,
        )
        .join('\n');
    await writeFormatted(
      join(MIGRATIONS_DIR, `${file}.ts`),
      `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${body(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${body(down)}
  }
}
`,
    );
    const indexPath = join(MIGRATIONS_DIR, 'index.ts');
    const index = await readFile(indexPath, 'utf8');
    const lines = index.split('\n');
    const lastImport = lines.reduce((last, line, i) => (line.startsWith('import ') ? i : last), -1);
    lines.splice(lastImport + 1, 0, `import { ${className} } from './${file}';`);
    const updated = lines
      .join('\n')
      .replace(/(export const MIGRATIONS: MigrationClass\[\] = \[)([^\]]*)\];/, (_all, head: string, list: string) => {
        const items = list
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        return `${head}${[...items, className].join(', ')}];`;
      });
    await writeFormatted(indexPath, updated);
    console.log(`Wrote src/database/migrations/${file}.ts (${up.length} statement(s)) and registered it in index.ts.`);
    console.log('Rebuild (npm run build -w @atrium/api) before running it.');
    return 0;
  } finally {
    await scratch.close();
  }
}

async function check(): Promise<number> {
  const scratch = await openScratch();
  try {
    const { up } = await pendingSchemaChanges(scratch.dataSource);
    if (up.length === 0) {
      console.log(
        `Schema check passed: ${scratch.dataSource.migrations.length} migration(s) build exactly the entities' schema.`,
      );
      return 0;
    }
    console.error('Schema drift: the entities differ from what the migrations build. Missing SQL:');
    for (const { query } of up) console.error(`  ${query};`);
    console.error('Run "npm run db:migration:generate -- <Name>" and commit the migration.');
    return 1;
  } finally {
    await scratch.close();
  }
}

async function run(command: string | undefined, arg: string | undefined): Promise<number> {
  switch (command) {
    case 'migrate': {
      const target = await openTarget();
      try {
        const applied = await target.dataSource.runMigrations({ transaction: 'each' });
        console.log(applied.length ? `Applied: ${applied.map((m) => m.name).join(', ')}` : 'No pending migrations.');
        return 0;
      } finally {
        await target.close();
      }
    }
    case 'revert': {
      const target = await openTarget();
      try {
        await target.dataSource.undoLastMigration({ transaction: 'each' });
        console.log('Reverted the last migration.');
        return 0;
      } finally {
        await target.close();
      }
    }
    case 'generate':
      return generate(arg);
    case 'check':
      return check();
    case 'seed': {
      const args = process.argv.slice(3);
      const flag = (name: string): string | undefined => {
        const at = args.indexOf(`--${name}`);
        return at >= 0 ? args[at + 1] : undefined;
      };
      const posts = Number(flag('posts') ?? 100_000);
      if (!Number.isInteger(posts) || posts < 1 || posts > 10_000_000) {
        console.error('--posts takes a whole number from 1 to 10000000');
        return 2;
      }
      const password = flag('password') ?? 'seeded harbour lantern 42';
      const target = await openTarget();
      try {
        const summary = await seed(target.dataSource, { posts, password, log: (line) => console.log(`  ${line}`) });
        console.log(
          `Seeded ${summary.posts} posts, ${summary.comments} comments, ${summary.users} users (${summary.authors} authors), ${summary.categories} categories and ${summary.tags} tags in ${(summary.ms / 1000).toFixed(1)} s. Every seeded account signs in with the password "${password}".`,
        );
        return 0;
      } finally {
        await target.close();
      }
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

loadDotEnvFile();
run(process.argv[2], process.argv[3]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigValidationError ? error.message : error);
    process.exit(1);
  },
);
