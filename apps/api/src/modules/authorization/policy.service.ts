import { subject as asSubject } from '@casl/ability';
import { rulesToQuery } from '@casl/ability/extra';
import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth';
import { Errors } from '../../common/http/errors';
import type { AppAbility } from './ability.service';
import { AuthorizationService } from './authorization.service';

/** A SQL condition with named parameters, ready for `queryBuilder.andWhere(sql, params)`. */
export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

/** Which column each condition field is stored in, for one resource: `{ id: 'u.id', authorId: 'p.author_id' }`. */
export type ColumnMap = Readonly<Record<string, string>>;

type Conditions = Record<string, unknown>;

/**
 * Object-level access (docs/ARCHITECTURE.md, "Ownership policies"). The route guard only knows
 * whether the caller holds a permission at all; a grant limited by conditions ("own posts") is
 * checked here, against the row:
 * - `assert` for one row: 404 when the caller may not even read it (nothing tells it exists),
 *   403 when they may read it but not do this;
 * - `accessibleWhere` for lists: the caller's rules as a SQL condition, so a list shows exactly
 *   the rows `assert` would let through.
 * A condition this service cannot translate denies (fail closed), never grants.
 */
@Injectable()
export class PolicyService {
  constructor(private readonly authorization: AuthorizationService) {}

  async can(actor: AuthUser, action: string, type: string, row: object): Promise<boolean> {
    const ability = await this.authorization.abilityOf(actor);
    return ability.can(action, asSubject(type, { ...row }));
  }

  async assert(actor: AuthUser, action: string, type: string, row: object, what = 'resource'): Promise<void> {
    const ability = await this.authorization.abilityOf(actor);
    const target = asSubject(type, { ...row });
    if (ability.can(action, target)) return;
    if (action !== 'read' && ability.can('read', target)) {
      throw Errors.forbidden(`You may not ${action} this ${what}`);
    }
    throw Errors.notFound(what);
  }

  /** The rows of `type` the caller may `action`, as SQL over `columns`; `FALSE` when none. */
  async accessibleWhere(actor: AuthUser, action: string, type: string, columns: ColumnMap): Promise<SqlCondition> {
    return toSql(await this.authorization.abilityOf(actor), action, type, columns);
  }
}

export function toSql(ability: AppAbility, action: string, type: string, columns: ColumnMap): SqlCondition {
  const query = rulesToQuery(ability, action, type, (rule) =>
    rule.inverted ? { $nor: [rule.conditions ?? {}] } : (rule.conditions ?? {}),
  );
  if (query === null) return { sql: 'FALSE', params: {} };
  const builder = new SqlBuilder(columns);
  const any = query.$or?.map((c) => builder.conditions(c));
  const all = query.$and?.map((c) => builder.conditions(c)) ?? [];
  const parts = [...(any ? [`(${any.join(' OR ')})`] : []), ...all];
  return { sql: parts.length > 0 ? parts.join(' AND ') : 'TRUE', params: builder.params };
}

const prefix = `p${Math.random().toString(36).slice(2, 6)}`;

class SqlBuilder {
  readonly params: Record<string, unknown> = {};
  private next = 0;

  constructor(private readonly columns: ColumnMap) {}

  private param(value: unknown): string {
    const name = `${prefix}_${this.next++}`;
    this.params[name] = value;
    return `:${name}`;
  }

  private paramList(value: unknown): string | null {
    if (!Array.isArray(value) || value.some((v) => !isScalar(v))) return null;
    const name = `${prefix}_${this.next++}`;
    this.params[name] = value;
    return `(:...${name})`;
  }

  /** Every field condition holds (an empty object matches every row). */
  conditions(conditions: Conditions): string {
    const parts = Object.entries(conditions).map(([field, value]) => {
      if (field === '$nor' && Array.isArray(value)) {
        return `NOT (${value.map((c) => this.conditions(c as Conditions)).join(' OR ') || 'FALSE'})`;
      }
      return this.field(field, value);
    });
    return parts.length === 0 ? 'TRUE' : `(${parts.join(' AND ')})`;
  }

  private field(field: string, value: unknown): string {
    const column = this.columns[field];
    if (!column) return 'FALSE';
    if (isScalar(value)) return value === null ? `${column} IS NULL` : `${column} = ${this.param(value)}`;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return 'FALSE';
    const parts = Object.entries(value as Record<string, unknown>).map(([op, operand]) => {
      switch (op) {
        case '$eq':
          return isScalar(operand) ? this.field(field, operand) : 'FALSE';
        case '$ne':
          return isScalar(operand)
            ? operand === null
              ? `${column} IS NOT NULL`
              : `${column} IS DISTINCT FROM ${this.param(operand)}`
            : 'FALSE';
        case '$in': {
          const list = this.paramList(operand);
          return list && (operand as unknown[]).length > 0 ? `${column} IN ${list}` : 'FALSE';
        }
        case '$nin': {
          const list = this.paramList(operand);
          if (!list) return 'FALSE';
          return (operand as unknown[]).length > 0 ? `${column} NOT IN ${list}` : 'TRUE';
        }
        default:
          return 'FALSE';
      }
    });
    return parts.length === 0 ? 'FALSE' : `(${parts.join(' AND ')})`;
  }
}

const isScalar = (value: unknown): value is string | number | boolean | null =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);
