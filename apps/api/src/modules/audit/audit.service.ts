import { Injectable } from '@nestjs/common';
import { requestContext } from '../../common/context/request-context';
import { CursorPage, encodeCursor, keysetCondition, type ListQueryDto, pageRequest } from '../../common/http/list';
import { Paginated } from '../../common/http/pagination';
import type { AuditEventEntity } from './audit-event.entity';
import { AUDIT_TIME, AuditRepository, type AuditFilter } from './audit.repository';

export interface AuditEntry {
  action: string;
  target?: string | null;
  metadata?: Record<string, unknown>;
  /**
   * Who acted; defaults to the request's authenticated caller. Pass it for actions taken before
   * anyone is signed in (a sign-in, a registration) and `null` for the system.
   */
  actorId?: string | null;
}

/** Control characters (line breaks, escapes, NUL) become spaces. */
const printable = (text: string): string =>
  Array.from(text, (ch) => (ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127 ? ' ' : ch)).join('');

export interface AuditEventView {
  id: string;
  actorId: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: Record<string, unknown>;
  at: string;
}

/**
 * The audit trail. The client's IP, user agent and the acting user come from the request context
 * by themselves, so no use case threads them through its signature.
 */
@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  async record(entry: AuditEntry): Promise<void> {
    const context = requestContext.current();
    await this.audit.append({
      actorId: entry.actorId !== undefined ? entry.actorId : (context?.actor?.id ?? null),
      action: entry.action,
      target: entry.target ?? null,
      ip: context?.ip ?? null,
      // Stored as text to be shown later: no control characters (line breaks, escapes, NUL).
      userAgent: context?.userAgent ? printable(context.userAgent).slice(0, 512) : null,
      metadata: entry.metadata ?? {},
    });
  }

  /** The log, newest first: offset pages (`page`/`perPage`) or keyset pages (`cursor`/`limit`). */
  async search(query: AuditFilter & ListQueryDto): Promise<Paginated<AuditEventView> | CursorPage<AuditEventView>> {
    const paging = pageRequest(query);
    if (paging.mode === 'offset') {
      const [rows, total] = await this.audit.page(query, (paging.page - 1) * paging.perPage, paging.perPage);
      return new Paginated(rows.map(toView), paging.page, paging.perPage, total);
    }
    const after = paging.cursor
      ? keysetCondition([
          { column: AUDIT_TIME, direction: 'DESC', value: new Date(String(paging.cursor.at)) },
          { column: 'a.id', direction: 'DESC', value: paging.cursor.id },
        ])
      : undefined;
    const rows = await this.audit.slice(query, paging.limit + 1, after);
    const page = rows.slice(0, paging.limit);
    const last = page.at(-1);
    const next =
      rows.length > paging.limit && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id }) : null;
    return new CursorPage(page.map(toView), next);
  }
}

const toView = (row: AuditEventEntity): AuditEventView => ({
  id: row.id,
  actorId: row.actorId,
  action: row.action,
  target: row.target,
  ip: row.ip,
  userAgent: row.userAgent,
  metadata: row.metadata,
  at: row.createdAt.toISOString(),
});
