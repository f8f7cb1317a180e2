import { Injectable } from '@nestjs/common';
import { requestContext } from '../../common/context/request-context';
import { AuditRepository, type AuditFilter } from './audit.repository';

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
      userAgent: context?.userAgent?.slice(0, 512) ?? null,
      metadata: entry.metadata ?? {},
    });
  }

  async search(
    query: AuditFilter & { page: number; perPage: number },
  ): Promise<{ items: AuditEventView[]; total: number }> {
    const [rows, total] = await this.audit.search(query, {
      offset: (query.page - 1) * query.perPage,
      limit: query.perPage,
    });
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
