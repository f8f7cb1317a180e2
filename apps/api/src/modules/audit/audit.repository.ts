import { Injectable } from '@nestjs/common';
import { newId } from '../../database/ids';
import { insertable, Transactions } from '../../database/transactions';
import { AuditEventEntity } from './audit-event.entity';

export interface AuditRow {
  actorId: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: Record<string, unknown>;
}

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
    await this.tx
      .repository(AuditEventEntity)
      .insert(insertable(Object.assign(new AuditEventEntity(), { id: newId(), ...row })));
  }

  async search(filter: AuditFilter, page: { offset: number; limit: number }): Promise<[AuditEventEntity[], number]> {
    const qb = this.tx.repository(AuditEventEntity).createQueryBuilder('a');
    if (filter.actor) qb.andWhere('a.actor_id = :actor', { actor: filter.actor });
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.target) qb.andWhere('a.target = :target', { target: filter.target });
    if (filter.from) qb.andWhere('a.created_at >= :from', { from: new Date(filter.from) });
    if (filter.to) qb.andWhere('a.created_at < :to', { to: new Date(filter.to) });
    return qb
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .offset(page.offset)
      .limit(page.limit)
      .getManyAndCount();
  }
}
