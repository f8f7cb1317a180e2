import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { newId } from '../../database/ids';
import { SystemInstanceEntity } from './entities/system-instance.entity';

export interface SystemInstanceRow {
  id: string;
  installedAt: Date;
  bootCount: number;
}

@Injectable()
export class SystemRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates the instance row on first boot, counts every later one; atomic across replicas starting together. */
  async recordBoot(): Promise<SystemInstanceRow> {
    const table = this.dataSource.getMetadata(SystemInstanceEntity).tableName;
    const rows = await this.dataSource.query<SystemInstanceRow[]>(
      `INSERT INTO "${table}" ("id", "singleton", "boot_count", "last_booted_at")
       VALUES ($1, true, 1, now())
       ON CONFLICT ("singleton") DO UPDATE
         SET "boot_count" = "${table}"."boot_count" + 1, "last_booted_at" = now(), "updated_at" = now()
       RETURNING "id", "created_at" AS "installedAt", "boot_count" AS "bootCount"`,
      [newId()],
    );
    return rows[0];
  }

  async find(): Promise<SystemInstanceRow | null> {
    const row = await this.dataSource.getRepository(SystemInstanceEntity).findOne({
      where: { singleton: true },
      select: { id: true, createdAt: true, bootCount: true },
    });
    return row && { id: row.id, installedAt: row.createdAt, bootCount: row.bootCount };
  }
}
