import { Controller, type ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import {
  seconds,
  SkipThrottle,
  Throttle,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { ErrorCode } from '@atrium/contracts';
import { AuthThrottled, isAuthThrottled } from '../auth';
import { ApiException } from '../http/api.exception';
import { AtriumThrottlerGuard, AUTH_THROTTLER } from './throttler.guard';

@Controller('plain')
class PlainController {
  @Get() list(): void {}
  @Throttle({ default: { limit: 3, ttl: seconds(10) } })
  @Get('tight')
  tight(): void {}
  @Throttle({
    default: { limit: (context: ExecutionContext) => (context.getHandler().name === 'dynamic' ? 4 : 5), ttl: 1000 },
  })
  @Get('dynamic')
  dynamic(): void {}
}

@SkipThrottle()
@Controller('probe')
class ProbeController {
  @Get() health(): void {}
}

@AuthThrottled()
@Controller('auth')
class AuthController {
  @Get() signIn(): void {}
}

@Throttle({ default: { limit: 7, ttl: seconds(30), blockDuration: seconds(90) } })
@Controller('class-limited')
class ClassLimitedController {
  @Get() list(): void {}
}

type Call = Parameters<ThrottlerStorage['increment']>;
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** A storage that records each increment and answers a count of hits per key (blocked past the limit). */
class RecordingStorage implements ThrottlerStorage {
  readonly calls: Call[] = [];
  private readonly hits = new Map<string, number>();
  increment(...call: Call): Promise<ThrottlerStorageRecord> {
    this.calls.push(call);
    const [key, ttl, limit, blockDuration] = call;
    const totalHits = (this.hits.get(key) ?? 0) + 1;
    this.hits.set(key, totalHits);
    const isBlocked = totalHits > limit;
    return Promise.resolve({
      totalHits,
      timeToExpire: Math.ceil(ttl / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil(blockDuration / 1000) : 0,
    });
  }
}

const OPTIONS: ThrottlerModuleOptions = {
  throttlers: [
    { name: 'default', ttl: seconds(60), limit: 100 },
    { name: AUTH_THROTTLER, ttl: seconds(60), limit: 20, skipIf: (context) => !isAuthThrottled(context) },
  ],
};

async function guardWith(storage: RecordingStorage): Promise<AtriumThrottlerGuard> {
  const guard = new AtriumThrottlerGuard(OPTIONS, storage, new Reflector());
  await guard.onModuleInit();
  return guard;
}

/** One request to a controller method from an address, with the headers its reply was given. */
function request(controller: new () => object, method: string, ip = '203.0.113.7', userAgent = 'curl/8') {
  const headers: Record<string, unknown> = {};
  const reply = {
    header: (name: string, value: unknown) => (headers[name] = value),
    headers: (all: Record<string, unknown>) => Object.assign(headers, all),
  };
  const req = { ip, headers: { 'user-agent': userAgent } };
  const handler = (controller.prototype as Record<string, unknown>)[method] as () => void;
  const context = new ExecutionContextHost([req, reply], controller, handler);
  context.setType('http');
  return { context, headers };
}

/** What a request did: the increments sent, the headers set, and how it ended. */
async function outcome(
  activate: (guard: AtriumThrottlerGuard, context: ExecutionContext) => Promise<boolean>,
  controller: new () => object,
  method: string,
  times = 1,
) {
  const storage = new RecordingStorage();
  const guard = await guardWith(storage);
  const ends: unknown[] = [];
  let last: Record<string, unknown> = {};
  for (let i = 0; i < times; i++) {
    const { context, headers } = request(controller, method);
    ends.push(
      await activate(guard, context).then(
        (passed) => passed,
        (error: unknown) => error,
      ),
    );
    last = headers;
  }
  return { calls: storage.calls, headers: last, ends };
}

const ours = (guard: AtriumThrottlerGuard, context: ExecutionContext) => guard.canActivate(context);
/** The library's own canActivate, with our key and 429 (what the guard did before its routes were read once). */
const library = (guard: AtriumThrottlerGuard, context: ExecutionContext) =>
  ThrottlerGuard.prototype.canActivate.call(guard, context);

describe('AtriumThrottlerGuard', () => {
  const routes: Array<[string, new () => object, string]> = [
    ['a route with the default limit', PlainController, 'list'],
    ['a route with its own limit and window', PlainController, 'tight'],
    ['a route whose limit is a function of the request', PlainController, 'dynamic'],
    ['a route that skips the default throttler', ProbeController, 'health'],
    ['an auth route (two throttlers)', AuthController, 'signIn'],
    ['a controller with its own limit, window and block', ClassLimitedController, 'list'],
  ];

  it.each(routes)(
    'counts %s exactly as the library does: the same keys, limits, headers and 429',
    async (_, controller, method) => {
      // Past every limit of these routes (at most 7, the auth one 20): the block is reached on both paths.
      const times = 22;
      const expected = await outcome(library, controller, method, times);
      const actual = await outcome(ours, controller, method, times);
      expect(actual).toEqual(expected);
      // Not vacuous: the library's path counted (or skipped) as the route says.
      if (controller !== ProbeController) expect(expected.calls.length).toBeGreaterThan(0);
    },
  );

  it('counts the default budget per route and client, with the X-RateLimit headers a client reads', async () => {
    const { calls, headers, ends } = await outcome(ours, PlainController, 'tight', 2);
    expect(ends).toEqual([true, true]);
    expect(calls).toHaveLength(2);
    expect(calls[0].slice(1)).toEqual([10_000, 3, 10_000, 'default']);
    expect(headers).toEqual({ 'X-RateLimit-Limit': 3, 'X-RateLimit-Remaining': 1, 'X-RateLimit-Reset': 10 });
  });

  it('spends one auth budget per client address across every auth route, beside the default one', async () => {
    const { calls, headers } = await outcome(ours, AuthController, 'signIn');
    expect(calls.map(([key, , limit, , name]) => [name, limit, name === AUTH_THROTTLER ? key : 'hashed'])).toEqual([
      ['default', 100, 'hashed'],
      [AUTH_THROTTLER, 20, 'auth:203.0.113.7'],
    ]);
    expect(headers).toMatchObject({ 'X-RateLimit-Limit-auth': 20, 'X-RateLimit-Remaining-auth': 19 });
  });

  it('sends nothing to the storage for a probe, and answers past the limit with our 429 envelope', async () => {
    expect((await outcome(ours, ProbeController, 'health', 3)).calls).toEqual([]);

    const { ends, headers } = await outcome(ours, PlainController, 'tight', 4);
    expect(ends.slice(0, 3)).toEqual([true, true, true]);
    expect(ends[3]).toBeInstanceOf(ApiException);
    expect((ends[3] as ApiException).getStatus()).toBe(429);
    expect((ends[3] as ApiException).code).toBe(ErrorCode.RATE_LIMITED);
    expect(headers).toMatchObject({ 'Retry-After': '10', 'X-RateLimit-Remaining': '0' });
  });
});

/** A storage that counts a key's hits after its first in the process (as RedisThrottlerStorage does far from a limit). */
class CountingHereStorage extends RecordingStorage {
  readonly here: Call[] = [];
  private readonly seen = new Map<string, number>();
  override increment(...call: Call): Promise<ThrottlerStorageRecord> {
    this.seen.set(call[0], 1);
    return super.increment(...call);
  }
  countHere(...call: Call): ThrottlerStorageRecord | undefined {
    const hits = this.seen.get(call[0]);
    if (hits === undefined) return undefined;
    this.here.push(call);
    this.seen.set(call[0], hits + 1);
    return { totalHits: hits + 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 };
  }
}

describe('AtriumThrottlerGuard without a round trip (decision 117)', () => {
  it('passes a hit the storage counts in this process synchronously, under the key the library would use', async () => {
    const storage = new CountingHereStorage();
    const guard = new AtriumThrottlerGuard(OPTIONS, storage, new Reflector());
    await guard.onModuleInit();

    const first = request(PlainController, 'list');
    const answer = guard.decide(first.context);
    expect(answer).toBeInstanceOf(Promise);
    expect(await answer).toBe(true);

    for (const expectedRemaining of [98, 97]) {
      const { context, headers } = request(PlainController, 'list');
      // A boolean, not a promise: Nest has nothing to await.
      expect(guard.decide(context)).toBe(true);
      expect(headers).toEqual({
        'X-RateLimit-Limit': 100,
        'X-RateLimit-Remaining': expectedRemaining,
        'X-RateLimit-Reset': 60,
      });
    }
    // One increment; the next two counted here, under the same key the library's generator made.
    expect(storage.calls).toHaveLength(1);
    const libraryKey = guard['generateKey'](first.context, '203.0.113.7', 'default');
    expect(storage.calls[0][0]).toBe(libraryKey);
    expect(storage.here.map(([key, , limit, , name]) => [key, limit, name])).toEqual([
      [libraryKey, 100, 'default'],
      [libraryKey, 100, 'default'],
    ]);
    // Another client address: its own key, and its first hit goes to the storage.
    const other = request(PlainController, 'list', '198.51.100.9');
    expect(await guard.decide(other.context)).toBe(true);
    expect(storage.calls[1][0]).not.toBe(libraryKey);
    expect(storage.calls[1][0]).toBe(guard['generateKey'](other.context, '198.51.100.9', 'default'));
  });

  it('passes a request no throttler counts at once, and still sends an auth hit to the storage', async () => {
    const storage = new CountingHereStorage();
    const guard = new AtriumThrottlerGuard(OPTIONS, storage, new Reflector());
    await guard.onModuleInit();
    expect(guard.decide(request(ProbeController, 'health').context)).toBe(true);
    expect(storage.calls).toEqual([]);

    // The auth route: the default hit and the auth hit go to the storage (the first of each key).
    await guard.decide(request(AuthController, 'signIn').context);
    // Again: both hits counted here by this storage (RedisThrottlerStorage never counts an `auth`
    // hit here: it goes to Redis, and the answer is a promise), so the answer is a boolean.
    const again = guard.decide(request(AuthController, 'signIn').context);
    expect(again).toBe(true);
    expect(storage.here.map(([, , , , name]) => name)).toEqual(['default', AUTH_THROTTLER]);
  });
});
