import { createMongoAbility, type MongoAbility, type RawRuleOf } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { CacheService, decodedOnce } from '../../common/cache';
import { RoleDeletedEvent, RolePermissionsChangedEvent, UserRolesChangedEvent } from './authorization.events';
import { GrantsRepository } from './grants.repository';

export type AppAbility = MongoAbility;
type Rule = RawRuleOf<AppAbility>;

/** What the ability of a request is built for. */
export interface AbilitySubject {
  id: string;
  /** Set for a personal access token: its scopes narrow the user's rules. */
  scopes?: readonly string[];
}

export interface HeldRole {
  id: string;
  name: string;
  level: number;
}

export interface CachedGrants {
  roles: HeldRole[];
  rules: Array<{ action: string; subject: string; conditions?: Record<string, unknown> }>;
  /** When the earliest of the user's expiring assignments ends (epoch ms); null when none expires. */
  validUntil: number | null;
}

/** The cache namespace of users' grants (roles and rules), keyed by user id. */
export const GRANTS_CACHE = 'grants';
const GRANTS_TTL_SECONDS = 300;

/**
 * The grants' form in the cache: JSON, each text decoded once and shared, frozen (decision 118), so
 * the ability built from it is too (`abilityFrom`). At most 1 000 users' texts are kept.
 */
const GRANTS_CODEC = decodedOnce<CachedGrants>(1_000);

/** Replaces `${user.id}` (the only placeholder today) in condition values, recursively. */
function interpolate(value: unknown, userId: string): unknown {
  if (typeof value === 'string') return value.replace(/\$\{user\.id\}/g, userId);
  if (Array.isArray(value)) return value.map((v) => interpolate(v, userId));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, userId)]));
  }
  return value;
}

/**
 * CASL abilities from a user's unexpired role assignments. The grants are cached per user in the
 * one cache (`CacheService`, namespace `grants`) for at most five minutes and never past the next
 * expiry of one of the user's assignments. A change takes effect on the next request on every
 * replica: the domain events below (or the direct calls) invalidate, and the cache's versioning
 * keeps a request that loaded the grants before the change from writing them back.
 */
@Injectable()
export class AbilityService {
  /** The ability of grants decoded from the cache, for callers without scopes: built once per grants. */
  private readonly abilities = new WeakMap<CachedGrants, AppAbility>();

  constructor(
    private readonly grants: GrantsRepository,
    private readonly cache: CacheService,
  ) {}

  async abilityFor(subject: AbilitySubject): Promise<AppAbility> {
    return this.abilityFrom(await this.grantsOf(subject.id), subject);
  }

  /** The ability of `subject` from grants already loaded (see `grantsOf`). */
  abilityFrom(grants: CachedGrants, subject: AbilitySubject): AppAbility {
    // The rules hold the user's id already (interpolated when loaded): without scopes the ability
    // depends on the grants alone. Only decoded (frozen) grants are shared between requests.
    if (!subject.scopes && Object.isFrozen(grants)) {
      let ability = this.abilities.get(grants);
      if (ability === undefined) {
        ability = this.build(grants, subject);
        this.abilities.set(grants, ability);
      }
      return ability;
    }
    return this.build(grants, subject);
  }

  private build(grants: CachedGrants, subject: AbilitySubject): AppAbility {
    let rules: Rule[] = grants.rules.map((r) => ({ ...r, conditions: r.conditions }) as Rule);
    if (subject.scopes) {
      // A token may only use the permissions named in its scopes, and only as far as the user holds them.
      const scopes = new Set(subject.scopes);
      rules = rules.flatMap((rule) => {
        if (rule.subject === 'all' && rule.action === 'manage') {
          return [...scopes].map((scope) => {
            const [resource, action] = scope.split(':');
            return { action, subject: resource } as Rule;
          });
        }
        return scopes.has(`${String(rule.subject)}:${String(rule.action)}`) ? [rule] : [];
      });
    }
    return createMongoAbility(rules);
  }

  /** The roles a user holds now (unexpired), highest level first. */
  async rolesOf(userId: string): Promise<HeldRole[]> {
    return (await this.grantsOf(userId)).roles;
  }

  /** The highest level among the user's roles (0 without any). */
  async levelOf(userId: string): Promise<number> {
    return Math.max(0, ...(await this.rolesOf(userId)).map((r) => r.level));
  }

  /** A user's roles changed (call after the commit). */
  async invalidateUser(userId: string): Promise<void> {
    await this.cache.invalidate(GRANTS_CACHE, userId);
  }

  /** A role's permissions, level or existence changed: every cached ability is stale (call after the commit). */
  async invalidateAll(): Promise<void> {
    await this.cache.invalidateNamespace(GRANTS_CACHE);
  }

  /**
   * An invalidation that did not reach the cache fails the delivery, so the outbox delivers the
   * event again (the cache also retries it by itself while this process runs).
   */
  @OnEvent(UserRolesChangedEvent.eventName, { suppressErrors: false })
  async onUserRolesChanged(event: Pick<UserRolesChangedEvent, 'userId'>): Promise<void> {
    if (!(await this.cache.invalidate(GRANTS_CACHE, event.userId))) throw new Error('Grants cache unreachable');
  }

  @OnEvent(RolePermissionsChangedEvent.eventName, { suppressErrors: false })
  @OnEvent(RoleDeletedEvent.eventName, { suppressErrors: false })
  async onRoleChanged(): Promise<void> {
    if (!(await this.cache.invalidateNamespace(GRANTS_CACHE))) throw new Error('Grants cache unreachable');
  }

  /** The user's roles and rules, from the cache (loaded and cached on a miss). */
  grantsOf(userId: string): Promise<CachedGrants> {
    return this.cache.getOrLoad(GRANTS_CACHE, userId, () => this.load(userId), {
      codec: GRANTS_CODEC,
      ttlSeconds: (grants) =>
        Math.min(GRANTS_TTL_SECONDS, grants.validUntil === null ? Infinity : (grants.validUntil - Date.now()) / 1000),
    });
  }

  private async load(userId: string): Promise<CachedGrants> {
    // Measured before the query, so the cached entry ends no later than the assignment does.
    const startedAt = Date.now();
    const held = await this.grants.rolesHeldBy(userId);
    const permissions = await this.grants.permissionsOf(held.map((r) => r.id));
    const expiries = held.flatMap((r) => (r.expiresInMs === null ? [] : [r.expiresInMs]));
    return {
      roles: held.map(({ id, name, level }) => ({ id, name, level })),
      rules: permissions.map((p) => ({
        action: p.action,
        subject: p.resource,
        ...(p.conditions ? { conditions: interpolate(p.conditions, userId) as Record<string, unknown> } : {}),
      })),
      validUntil: expiries.length === 0 ? null : startedAt + Math.min(...expiries),
    };
  }
}
