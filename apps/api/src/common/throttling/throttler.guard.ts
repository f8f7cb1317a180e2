import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { normalizeIp, ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerOptions } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface.js';
import {
  THROTTLER_BLOCK_DURATION,
  THROTTLER_KEY_GENERATOR,
  THROTTLER_LIMIT,
  THROTTLER_SKIP,
  THROTTLER_TRACKER,
  THROTTLER_TTL,
} from '@nestjs/throttler/dist/throttler.constants.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '@atrium/contracts';
import { ApiException } from '../http/api.exception';

/** The stricter per-IP budget shared by every `@AuthThrottled()` route. */
export const AUTH_THROTTLER = 'auth';

/** One throttler as it applies to one route, its values read once (decision 98). */
interface RouteThrottler {
  readonly name: string;
  readonly limit: number;
  readonly ttl: number;
  readonly blockDuration: number;
  readonly skipIf: ((context: ExecutionContext) => boolean) | undefined;
  readonly ignoreUserAgents: readonly RegExp[] | undefined;
  /** Undefined: the client's IP (the library's own tracker), taken without a promise. */
  readonly getTracker: ThrottlerOptions['getTracker'];
  readonly generateKey: NonNullable<ThrottlerOptions['generateKey']>;
  /**
   * The keys the guard's own generator made, by tracker: it hashes the route's and throttler's
   * names with the tracker (SHA-256) on every call, and they are the same for a route. None for a
   * generator of the route's, the throttler's or the module's, which may read the request.
   */
  readonly keys: Map<string, string> | undefined;
  readonly setHeaders: boolean;
  /** The header names' suffix: none for the default throttler, `-<name>` for the others (as the library names them). */
  readonly suffix: string;
}

/** The library's own tracker (the client's IP, normalised), as long as no subclass replaces it. */
const LIBRARY_TRACKER = (ThrottlerGuard.prototype as unknown as { getTracker: unknown }).getTracker;

/**
 * Keys kept per route before the memo starts again (one per client address seen): ~150 bytes each,
 * so a route's memo stays under ~150 KB however many addresses come; a busy client is what it is for.
 */
const MAX_KEYS = 1_000;

/** The storage's hit counted in this process without a round trip, where it can be (RedisThrottlerStorage). */
interface CountsHere {
  countHere(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    name: string,
  ): ThrottlerStorageRecord | undefined;
}

const countsHere = (storage: unknown): storage is CountsHere =>
  typeof (storage as Partial<CountsHere>).countHere === 'function';

/** A value the library resolves on every request; a number here when it is one (or a numeric string). */
function staticNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && !Number.isNaN(number) ? number : undefined;
}

/**
 * The throttler guard, adjusted so that limits behave as documented:
 * - the `auth` limit is ONE budget per client IP across all auth routes (the library keys a
 *   counter per route, which would give an IP the limit on every auth route);
 * - a 429 carries a plain `Retry-After` and `X-RateLimit-*` headers describing the limit that was
 *   hit (the library names them after non-default throttlers, which no client reads);
 * - the 429 body is our error envelope, without the library's name;
 * - a route's limits, windows, skips, trackers and key generators are read from its metadata once,
 *   not on every request (the library makes six reflector lookups and about a dozen promises per
 *   throttler per request: decision 98). A route whose values are functions of the request keeps
 *   the library's own path.
 */
@Injectable()
export class AtriumThrottlerGuard extends ThrottlerGuard {
  /** Per controller class, per handler: its throttlers, or null when a value must be resolved per request. */
  private readonly routes = new WeakMap<object, Map<object, readonly RouteThrottler[] | null>>();

  /** The library's contract (a promise): `decide`'s answer. */
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    return this.decide(context);
  }

  /**
   * Whether the request may go on: a boolean when that is known without a round trip (no throttler
   * applies, or every hit is counted in this process), which Nest does not await, where a promise
   * costs a request several (decision 117). What `RateLimitGuard`, the app's global guard, asks.
   */
  decide(context: ExecutionContext): boolean | Promise<boolean> {
    const route = this.routeOf(context);
    if (route === null) return super.canActivate(context);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const userAgent = request.headers['user-agent'] as string;
    const applying = route.filter(
      (throttler) =>
        !throttler.skipIf?.(context) && !throttler.ignoreUserAgents?.some((pattern) => pattern.test(userAgent)),
    );
    // A request no throttler counts (probes, metrics) passes at once.
    if (applying.length === 0) return true;
    let counted = 0;
    if (countsHere(this.storageService)) {
      for (const throttler of applying) {
        if (throttler.getTracker !== undefined) break;
        const key = this.keyOf(throttler, context, normalizeIp(request.ip, this.ipv6SubnetPrefix));
        const { limit, ttl, blockDuration, name } = throttler;
        const record = this.storageService.countHere(key, ttl, limit, blockDuration, name);
        if (record === undefined) break;
        this.report(context, throttler, record);
        counted += 1;
      }
    }
    return counted === applying.length ? true : this.hit(context, request, applying.slice(counted));
  }

  private async hit(
    context: ExecutionContext,
    request: FastifyRequest,
    throttlers: readonly RouteThrottler[],
  ): Promise<boolean> {
    for (const throttler of throttlers) {
      const tracker =
        throttler.getTracker === undefined
          ? normalizeIp(request.ip, this.ipv6SubnetPrefix)
          : await throttler.getTracker(request, context);
      const key = this.keyOf(throttler, context, tracker);
      const { limit, ttl, blockDuration, name } = throttler;
      const record = await this.storageService.increment(key, ttl, limit, blockDuration, name);
      if (record.isBlocked) {
        if (throttler.setHeaders) {
          const reply = context.switchToHttp().getResponse<FastifyReply>();
          this.setResponseHeader(reply, `Retry-After${throttler.suffix}`, record.timeToBlockExpire);
        }
        await this.throwThrottlingException(context, { limit, ttl, key, tracker, ...record });
      }
      this.report(context, throttler, record);
    }
    return true;
  }

  /** The `X-RateLimit-*` headers of a hit that passed. */
  private report(
    context: ExecutionContext,
    throttler: RouteThrottler,
    record: { totalHits: number; timeToExpire: number },
  ): void {
    if (!throttler.setHeaders) return;
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const remaining = Math.max(0, throttler.limit - record.totalHits);
    this.setResponseHeader(reply, `${this.headerPrefix}-Limit${throttler.suffix}`, throttler.limit);
    this.setResponseHeader(reply, `${this.headerPrefix}-Remaining${throttler.suffix}`, remaining);
    this.setResponseHeader(reply, `${this.headerPrefix}-Reset${throttler.suffix}`, record.timeToExpire);
  }

  /** The storage key of a hit: the guard's own keys made once per route and tracker. */
  private keyOf(throttler: RouteThrottler, context: ExecutionContext, tracker: string): string {
    const { keys } = throttler;
    if (keys === undefined) return throttler.generateKey(context, tracker, throttler.name);
    let key = keys.get(tracker);
    if (key === undefined) {
      if (keys.size >= MAX_KEYS) keys.clear();
      key = throttler.generateKey(context, tracker, throttler.name);
      keys.set(tracker, key);
    }
    return key;
  }

  /** The route's throttlers as the library would read them on each request, read once. */
  private routeOf(context: ExecutionContext): readonly RouteThrottler[] | null {
    const classRef = context.getClass();
    const handler = context.getHandler();
    let handlers = this.routes.get(classRef);
    if (handlers === undefined)
      this.routes.set(classRef, (handlers = new Map<object, readonly RouteThrottler[] | null>()));
    let route = handlers.get(handler);
    if (route === undefined) {
      route = this.readRoute(handler, classRef);
      handlers.set(handler, route);
    }
    return route;
  }

  private readRoute(handler: object, classRef: object): readonly RouteThrottler[] | null {
    const targets = [handler, classRef] as Parameters<typeof this.reflector.getAllAndOverride>[1];
    const read = <T>(key: string, name: string): T | undefined =>
      this.reflector.getAllAndOverride<T | undefined>(key + name, targets);
    const route: RouteThrottler[] = [];
    for (const throttler of this.throttlers) {
      const name = throttler.name as string;
      if (read<boolean>(THROTTLER_SKIP, name)) continue;
      const limit = staticNumber(read(THROTTLER_LIMIT, name) ?? throttler.limit);
      const ttl = staticNumber(read(THROTTLER_TTL, name) ?? throttler.ttl);
      if (limit === undefined || ttl === undefined) return null;
      const blockDuration = staticNumber(read(THROTTLER_BLOCK_DURATION, name) ?? throttler.blockDuration ?? ttl);
      if (blockDuration === undefined) return null;
      const getTracker =
        read<ThrottlerOptions['getTracker']>(THROTTLER_TRACKER, name) ??
        throttler.getTracker ??
        (Array.isArray(this.options) ? undefined : this.options.getTracker) ??
        // The library's tracker (the client's IP) is taken without a promise unless a subclass replaced it.
        (this.getTracker === LIBRARY_TRACKER ? undefined : this.commonOptions.getTracker);
      const ownKeys =
        read(THROTTLER_KEY_GENERATOR, name) === undefined &&
        throttler.generateKey === undefined &&
        (Array.isArray(this.options) || this.options.generateKey === undefined);
      route.push({
        name,
        limit,
        ttl,
        blockDuration,
        skipIf: throttler.skipIf ?? this.commonOptions.skipIf,
        ignoreUserAgents: throttler.ignoreUserAgents ?? this.commonOptions.ignoreUserAgents,
        getTracker,
        generateKey:
          read<ThrottlerOptions['generateKey']>(THROTTLER_KEY_GENERATOR, name) ??
          throttler.generateKey ??
          (this.commonOptions.generateKey as NonNullable<ThrottlerOptions['generateKey']>),
        keys: ownKeys ? new Map<string, string>() : undefined,
        setHeaders: throttler.setHeaders ?? this.commonOptions.setHeaders ?? true,
        suffix: name === 'default' ? '' : `-${name}`,
      });
    }
    return route;
  }

  protected override generateKey(context: ExecutionContext, suffix: string, name: string): string {
    return name === AUTH_THROTTLER ? `${AUTH_THROTTLER}:${suffix}` : super.generateKey(context, suffix, name);
  }

  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const retryAfter = String(Math.max(detail.timeToBlockExpire, 1));
    void reply.headers({
      'Retry-After': retryAfter,
      'X-RateLimit-Limit': String(detail.limit),
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': retryAfter,
    });
    return Promise.reject(
      new ApiException(429, ErrorCode.RATE_LIMITED, `Too many requests; retry in ${retryAfter} s`, undefined, {
        'Retry-After': retryAfter,
      }),
    );
  }
}

/**
 * The app's global rate-limit guard: `AtriumThrottlerGuard`'s decision, a boolean when it needs no
 * round trip. (The library's guard class promises a promise from `canActivate`; Nest takes either.)
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(private readonly throttler: AtriumThrottlerGuard) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    return this.throttler.decide(context);
  }
}
