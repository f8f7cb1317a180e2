import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';

export interface OpenDatabase {
  dataSource: DataSource;
  close: () => Promise<void>;
}

/**
 * The installation's database for a command-line tool: DATABASE_URL, or the embedded one under
 * DATA_DIR (then the API must not be running: PGlite serves one process).
 */
export async function openDatabase(config: AppConfig, applicationName: string): Promise<OpenDatabase> {
  const embedded = config.databaseUrl ? undefined : await EmbeddedPostgres.start(config.dataDir, 2);
  const url = config.databaseUrl ?? (embedded as EmbeddedPostgres).url;
  try {
    const dataSource = await new DataSource(buildDataSourceOptions({ url, poolSize: 1, applicationName })).initialize();
    return {
      dataSource,
      close: async () => {
        await dataSource.destroy();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
