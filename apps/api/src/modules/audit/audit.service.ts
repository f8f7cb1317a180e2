import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from './audit-event.entity';

export interface AuditEntry {
  actorId?: string | null;
  action: string;
  target?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  metadata?: Record<string, unknown>;
}

/** Appends to `audit_events` (reading it comes with the admin API). */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.dataSource.getRepository(AuditEventEntity).save(
      Object.assign(new AuditEventEntity(), {
        actorId: entry.actorId ?? null,
        action: entry.action,
        target: entry.target ?? null,
        ip: entry.ip ?? null,
        userAgent: entry.userAgent?.slice(0, 512) ?? null,
        metadata: entry.metadata ?? {},
      }),
    );
  }

  async search(query: {
    actor?: string;
    action?: string;
    target?: string;
    from?: string;
    to?: string;
    page: number;
    perPage: number;
  }): Promise<{
    items: Array<{
      id: string;
      actorId: string | null;
      action: string;
      target: string | null;
      ip: string | null;
      userAgent: string | null;
      metadata: Record<string, unknown>;
      at: string;
    }>;
    total: number;
  }> {
    const qb = this.dataSource.getRepository(AuditEventEntity).createQueryBuilder('a');
    if (query.actor) qb.andWhere('a.actor_id = :actor', { actor: query.actor });
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.target) qb.andWhere('a.target = :target', { target: query.target });
    if (query.from) qb.andWhere('a.created_at >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('a.created_at < :to', { to: new Date(query.to) });
    const [rows, total] = await qb
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .skip((query.page - 1) * query.perPage)
      .take(query.perPage)
      .getManyAndCount();
    return {
      total,
      items: rows.map((row) => ({
        id: row.id,
        actorId: row.actorId,
        action: row.action,
        target: row.target,
        ip: row.ip,
        userAgent: row.userAgent,
        metadata: row.metadata,
        at: row.createdAt.toISOString(),
      })),
    };
  }
}
