import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseConnectionOptions {
  url: string;
  poolSize: number;
  /** Name shown in pg_stat_activity, so operators can tell api, worker and migrate apart. */
  applicationName: string;
  /**
   * Longest a statement may run (and a client wait for its answer) before it is cancelled:
   * a frozen or overloaded database costs a request this long at most, then a 503. Unset for
   * migrations, which may legitimately run long.
   */
  statementTimeoutMs?: number;
}

export function buildDataSourceOptions(options: DatabaseConnectionOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: options.poolSize,
    applicationName: options.applicationName,
    extra: {
      // Fail fast instead of queueing forever when the database is gone; readiness reports it.
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      ...(options.statementTimeoutMs !== undefined && {
        // Server-side cancel, and a client-side bound for a server that does not answer at all.
        statement_timeout: options.statementTimeoutMs,
        query_timeout: options.statementTimeoutMs + 2_000,
        idle_in_transaction_session_timeout: options.statementTimeoutMs * 2,
      }),
    },
  };
}
