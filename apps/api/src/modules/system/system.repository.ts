import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { newId } from '../../database/ids';
import { Transactions } from '../../database/transactions';
import { SystemInstanceEntity } from './entities/system-instance.entity';

export interface SystemInstanceRow {
  id: string;
  installedAt: Date;
  bootCount: number;
  siteName: string | null;
}

/** How many pending setup codes are kept: one per process start while no admin exists, the newest win. */
export const SETUP_CODES_KEPT = 20;

@Injectable()
export class SystemRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: Transactions,
  ) {}

  private get table(): string {
    return this.dataSource.getMetadata(SystemInstanceEntity).tableName;
  }

  /** Creates the instance row on first boot, counts every later one; atomic across replicas starting together. */
  async recordBoot(): Promise<SystemInstanceRow> {
    const table = this.table;
    const rows = await this.dataSource.query<SystemInstanceRow[]>(
      `INSERT INTO "${table}" ("id", "singleton", "boot_count", "last_booted_at")
       VALUES ($1, true, 1, now())
       ON CONFLICT ("singleton") DO UPDATE
         SET "boot_count" = "${table}"."boot_count" + 1, "last_booted_at" = now(), "updated_at" = now()
       RETURNING "id", "created_at" AS "installedAt", "boot_count" AS "bootCount", "site_name" AS "siteName"`,
      [newId()],
    );
    return rows[0];
  }

  async find(): Promise<SystemInstanceRow | null> {
    const row = await this.dataSource.getRepository(SystemInstanceEntity).findOne({
      where: { singleton: true },
      select: { id: true, createdAt: true, bootCount: true, siteName: true },
    });
    return row && { id: row.id, installedAt: row.createdAt, bootCount: row.bootCount, siteName: row.siteName };
  }

  /** Joins the caller's transaction (first-run setup). */
  async setSiteName(siteName: string | null): Promise<void> {
    await this.tx.manager.query(`UPDATE "${this.table}" SET "site_name" = $1, "updated_at" = now() WHERE "singleton"`, [
      siteName,
    ]);
  }

  /** Adds one pending setup code's hash, keeping the newest SETUP_CODES_KEPT. */
  async addSetupCodeHash(hash: string): Promise<void> {
    await this.tx.manager.query(
      `UPDATE "${this.table}"
          SET "setup_code_hashes" = (array_append("setup_code_hashes", $1::text))[greatest(cardinality("setup_code_hashes") + 2 - $2::int, 1):]
        WHERE "singleton"`,
      [hash, SETUP_CODES_KEPT],
    );
  }

  async setupCodeHashes(): Promise<string[]> {
    const [row] = await this.tx.manager.query<Array<{ hashes: string[] }>>(
      `SELECT "setup_code_hashes" AS "hashes" FROM "${this.table}" WHERE "singleton"`,
    );
    return row?.hashes ?? [];
  }

  /** Joins the caller's transaction: the codes are spent once setup is done. */
  async clearSetupCodeHashes(): Promise<void> {
    await this.tx.manager.query(
      `UPDATE "${this.table}" SET "setup_code_hashes" = '{}', "updated_at" = now() WHERE "singleton"`,
    );
  }
}
