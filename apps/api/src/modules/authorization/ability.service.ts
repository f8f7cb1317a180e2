import { createMongoAbility, type MongoAbility, type RawRuleOf } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { InjectRedis } from '../../redis/redis.module';

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

interface CachedGrants {
  roles: HeldRole[];
  rules: Array<{ action: string; subject: string; conditions?: Record<string, unknown> }>;
}

const CACHE_TTL_SECONDS = 300;

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
 * CASL abilities from a user's unexpired role assignments. The grants are cached per user in
 * Redis (memory without REDIS_URL) and dropped when the user's roles or any role's permissions
 * change, so a change takes effect on the next request.
 */
@Injectable()
export class AbilityService {
  private readonly memory = new Map<string, { value: string; expiresAt: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRedis() private readonly redis: Redis | null,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  private key(userId: string, generation: string): string {
    return `${this.config.redisPrefix}ability:${generation}:${userId}`;
  }

  private generationKey(): string {
    return `${this.config.redisPrefix}ability:generation`;
  }

  private async generation(): Promise<string> {
    if (this.redis) return (await this.redis.get(this.generationKey())) ?? '0';
    return this.memory.get('generation')?.value ?? '0';
  }

  async abilityFor(subject: AbilitySubject): Promise<AppAbility> {
    const grants = await this.grantsOf(subject.id);
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

  private async grantsOf(userId: string): Promise<CachedGrants> {
    const generation = await this.generation().catch(() => 'uncached');
    const key = this.key(userId, generation);
    const cached = generation === 'uncached' ? null : await this.read(key);
    if (cached) return JSON.parse(cached) as CachedGrants;
    const grants = await this.load(userId);
    if (generation !== 'uncached') await this.write(key, JSON.stringify(grants)).catch(() => undefined);
    return grants;
  }

  private async load(userId: string): Promise<CachedGrants> {
    const roles = await this.dataSource.query<HeldRole[]>(
      `SELECT r.id, r.name, r.level FROM user_roles ur JOIN roles r ON r.id = ur.role_id
        WHERE ur.user_id = $1 AND (ur.expires_at IS NULL OR ur.expires_at > now())
        ORDER BY r.level DESC, r.name`,
      [userId],
    );
    const permissions =
      roles.length === 0
        ? []
        : await this.dataSource.query<Array<{ resource: string; action: string; conditions: unknown }>>(
            `SELECT resource, action, conditions FROM permissions WHERE role_id = ANY($1::uuid[])`,
            [roles.map((r) => r.id)],
          );
    // The cache must also expire when the earliest assignment does.
    return {
      roles,
      rules: permissions.map((p) => ({
        action: p.action,
        subject: p.resource,
        ...(p.conditions ? { conditions: interpolate(p.conditions, userId) as Record<string, unknown> } : {}),
      })),
    };
  }

  private async read(key: string): Promise<string | null> {
    if (this.redis) return this.redis.get(key).catch(() => null);
    const entry = this.memory.get(key);
    return entry && entry.expiresAt > Date.now() ? entry.value : null;
  }

  private async write(key: string, value: string): Promise<void> {
    const ttlMs = await this.ttlFor(key);
    if (this.redis) {
      await this.redis.set(key, value, 'PX', ttlMs);
      return;
    }
    this.memory.set(key, { value, expiresAt: Date.now() + ttlMs });
  }

  /** At most five minutes, and never past the next expiry of one of the user's role assignments. */
  private async ttlFor(key: string): Promise<number> {
    const userId = key.slice(key.lastIndexOf(':') + 1);
    const [next] = await this.dataSource.query<Array<{ ms: number | null }>>(
      `SELECT floor(extract(epoch FROM min(expires_at) - clock_timestamp()) * 1000)::int AS ms
         FROM user_roles WHERE user_id = $1 AND expires_at > clock_timestamp()`,
      [userId],
    );
    return Math.max(1, Math.min(CACHE_TTL_SECONDS * 1000, next?.ms ?? CACHE_TTL_SECONDS * 1000));
  }

  /** A user's roles changed. */
  async invalidateUser(userId: string): Promise<void> {
    const generation = await this.generation();
    if (this.redis) await this.redis.del(this.key(userId, generation));
    else this.memory.delete(this.key(userId, generation));
  }

  /** A role's permissions changed: every cached ability is stale. */
  async invalidateAll(): Promise<void> {
    if (this.redis) {
      await this.redis.incr(this.generationKey());
      return;
    }
    const next = String(Number(this.memory.get('generation')?.value ?? '0') + 1);
    this.memory.clear();
    this.memory.set('generation', { value: next, expiresAt: Number.POSITIVE_INFINITY });
  }
}
