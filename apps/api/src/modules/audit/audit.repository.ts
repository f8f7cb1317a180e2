import { Injectable } from '@nestjs/common';
import { newId } from '../../database/ids';
import { Transactions } from '../../database/transactions';
import { AuditEventEntity } from './audit-event.entity';

export interface AuditRow {
  actorId: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: Record<string, unknown>;
}

/** The time column as lists order and cursors compare it (millisecond precision). */
export const AUDIT_TIME = `date_trunc('milliseconds', a.created_at)`;

export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  from?: string;
  to?: string;
}

/** `audit_events`: appended to in the caller's transaction, so an entry exists exactly when its change does. */
@Injectable()
export class AuditRepository {
  constructor(private readonly tx: Transactions) {}

  async append(row: AuditRow): Promise<void> {
    await this.tx.insert(AuditEventEntity, [Object.assign(new AuditEventEntity(), { id: newId(), ...row })]);
  }

  private filtered(filter: AuditFilter) {
    const qb = this.tx.repository(AuditEventEntity).createQueryBuilder('a');
    if (filter.actor) qb.andWhere('a.actor_id = :actor', { actor: filter.actor });
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.target) qb.andWhere('a.target = :target', { target: filter.target });
    if (filter.from) qb.andWhere('a.created_at >= :from', { from: new Date(filter.from) });
    if (filter.to) qb.andWhere('a.created_at < :to', { to: new Date(filter.to) });
    return qb.orderBy(AUDIT_TIME, 'DESC').addOrderBy('a.id', 'DESC');
  }

  /** Newest first, one page by offset, with the total. */
  page(filter: AuditFilter, offset: number, limit: number): Promise<[AuditEventEntity[], number]> {
    return this.filtered(filter).offset(offset).limit(limit).getManyAndCount();
  }

  /** Newest first, up to `limit` entries after the keyset condition (no count). */
  slice(filter: AuditFilter, limit: number, after?: { sql: string; params: Record<string, unknown> }) {
    const qb = this.filtered(filter);
    if (after) qb.andWhere(after.sql, after.params);
    return qb.limit(limit).getMany();
  }
}
