import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** What the probes ask of the database: does it answer, and is its schema up to date? */
@Injectable()
export class DatabaseProbe {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  async pendingMigrationCount(): Promise<number> {
    const known = this.dataSource.migrations.length;
    if (known === 0) return 0;
    const rows = (await this.dataSource
      .query(`SELECT count(*)::int AS applied FROM "typeorm_migrations"`)
      .catch(() => [{ applied: 0 }])) as [{ applied: number }];
    return Math.max(known - rows[0].applied, 0);
  }

  /** Applies pending migrations (embedded mode, at start-up); how many were applied. */
  async migrate(): Promise<number> {
    return (await this.dataSource.runMigrations({ transaction: 'each' })).length;
  }
}
