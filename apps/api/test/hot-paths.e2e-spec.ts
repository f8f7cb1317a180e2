import Redis from 'ioredis';
import { createHook } from 'node:async_hooks';
import { ValidationPipe } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Client } from 'pg';
import { DataSource, EntityManager, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import { InsertQueryBuilder } from 'typeorm/query-builder/InsertQueryBuilder';
import { RawSqlResultsToEntityTransformer } from 'typeorm/query-builder/transformer/RawSqlResultsToEntityTransformer';
import type { AtriumApp } from '../src/bootstrap';
import { ErrorCode, SystemRole } from '@atrium/contracts';
import * as etagModule from '../src/common/http-cache/etag';
import { requestContext } from '../src/common/context/request-context';
import { Transactions, insertable } from '../src/database/transactions';
import { CACHE_STORE } from '../src/common/cache/cache.service';
import { REDIS_CLIENT } from '../src/redis/redis.module';
import { REDIS_BREAK_MS, redisBroken, withRedis } from '../src/redis/redis-guard';
import { newId } from '../src/database/ids';
import { OutboxEventEntity } from '../src/events/outbox-event.entity';
import { AuditEventEntity } from '../src/modules/audit/audit-event.entity';
import { UserEntity } from '../src/modules/identity/entities/user.entity';
import { UsersRepository } from '../src/modules/identity/users.repository';
import { AbilityService } from '../src/modules/authorization/ability.service';
import type { PostEntity } from '../src/modules/posts/entities/post.entity';
import { POST_SORT_COLUMNS, PostsRepository, type PostSearch } from '../src/modules/posts/posts.repository';
import { CommentsService } from '../src/modules/comments/comments.service';
import type { CommentDto, CommentNodeDto } from '../src/modules/comments/dto/comments.dto';
import { type CursorPage, encodeCursor } from '../src/common/http/list';
import { actors } from './support/actors';
import { startTestApp, TestResources } from './support/test-app';

/**
 * The promises one warm `GET /auth/me` may make in its context (the guards, the pipes and the
 * router of Nest, the driver calls): 97 since decision 98; 109 with the throttler library's
 * per-request reading of each route's limits, 126 with the user row read through TypeORM's query
 * runner (decision 97), 138 with the envelope interceptor of before decision 96.
 */
const PROMISE_BUDGET = 100;
/** The promises of a warm public profile request (decision 117). */
const PROFILE_PROMISE_BUDGET = 50;

/**
 * What the most frequent requests cost in round trips to Postgres and Redis (issue "Performance"):
 * each statement and each command is a network round trip and a socket write per request, which
 * the benchmark's profiles showed as the largest share of a request's CPU. Counted, not timed.
 */
describe('round trips of the hot paths', () => {
  const resources = new TestResources();
  let atrium: AtriumApp;
  const { call, signedIn, asAdmin, asRole } = actors(() => atrium);

  beforeAll(async () => {
    await resources.create();
    atrium = await startTestApp(resources);
  });

  afterAll(async () => {
    await atrium?.close();
    await resources.drop();
  });

  /**
   * Waits out an open Redis breaker (at most REDIS_BREAK_MS). For two seconds after a failed command
   * the callers skip Redis on purpose (docs/OPERATIONS.md): a request measured then sends fewer
   * commands than a normal one, which is not what these counts are about. (A process stalled past
   * the deadline no longer fails an answered command, decision 114; a failed one still opens it.)
   */
  async function redisBreakersClosed(): Promise<void> {
    const shared = atrium.app.get<Redis>(REDIS_CLIENT);
    const cache = atrium.app.get<{ client: Redis }>(CACHE_STORE).client;
    const deadline = Date.now() + REDIS_BREAK_MS * 3;
    while ([shared, cache].some(redisBroken)) {
      if (Date.now() > deadline) throw new Error('a Redis breaker stays open: Redis is failing, not slow');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * The SQL statements and Redis commands (by name) the request sends: those sent from within a
   * request's context, not the background work (the outbox relay's poll, the view buffer's flush)
   * that may run in the same moment.
   */
  async function roundTrips(request: () => Promise<unknown>): Promise<{ sql: string[]; redis: string[] }> {
    await redisBreakersClosed();
    const sql: string[] = [];
    const redis: string[] = [];
    const query = Object.getOwnPropertyDescriptor(Client.prototype, 'query')!.value as (...a: unknown[]) => unknown;
    const send = Object.getOwnPropertyDescriptor(Redis.prototype, 'sendCommand')!.value as Redis['sendCommand'];
    // Call through: the requests run as they would, their calls are recorded.
    const querySpy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (
      this: Client,
      ...args: unknown[]
    ) {
      const [text] = args;
      if (requestContext.current()) sql.push(typeof text === 'string' ? text : (text as { text: string }).text);
      return query.apply(this, args) as never;
    });
    const sendSpy = jest.spyOn(Redis.prototype, 'sendCommand').mockImplementation(function (this: Redis, ...args) {
      if (requestContext.current()) redis.push(args[0].name);
      return send.apply(this, args);
    });
    try {
      await request();
      return { sql, redis };
    } finally {
      querySpy.mockRestore();
      sendSpy.mockRestore();
    }
  }

  it('GET /auth/me, once warm: one SQL statement (the user row) and one Redis command', async () => {
    const ada = await signedIn();
    const me = () => call('GET', '/api/v1/auth/me', { token: ada.token });
    // Warm: the session is known live and the grants are cached.
    expect((await me()).statusCode).toBe(200);

    let status = 0;
    const { sql, redis } = await roundTrips(async () => (status = (await me()).statusCode));
    expect(status).toBe(200);
    // The row the authentication loaded is the row the answer shows: not read a second time.
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/FROM "users"/);
    // Sent by the entity reader: not built, aliased and hydrated by TypeORM's query builder (decision 81).
    expect(sql[0]).toMatch(/^SELECT "id", .* FROM "users" WHERE id = \$1 AND deleted_at IS NULL/);
    // Roles and permissions read once (tokens and value in one script) although both are reported.
    // Revocation is checked in the process's memory, from the replicas' announcements (decision 123:
    // an `EXISTS` on every request before). The rate limit of a client seen in this window is
    // counted in the process and sent later, outside the request (decision 95).
    expect(redis).toEqual(['evalsha']);
  });

  it("GET /auth/me, once warm: the grants' text decoded and their ability built once, until the grants change", async () => {
    const ada = await signedIn();
    const admin = await asAdmin();
    const me = async () => {
      const answer = await call('GET', '/api/v1/auth/me', { token: ada.token });
      expect(answer.statusCode).toBe(200);
      return answer.json<{ data: { roles: string[]; permissions: string[] } }>().data;
    };
    // The first loads the grants and caches them; the second reads them from the cache.
    await me();
    await me();
    const builds = jest.spyOn(AbilityService.prototype as unknown as { build: () => unknown }, 'build');
    const parses = jest.spyOn(JSON, 'parse');
    try {
      const [first, second] = [await me(), await me()];
      expect(second).toEqual(first);
      expect(first.roles).toEqual(['user']);
      // Decision 118: the same cached text is the same frozen grants, whose ability was built on the
      // first read after they were cached, and whose permissions were listed then too.
      expect(builds).not.toHaveBeenCalled();
      expect(parses.mock.calls.filter(([text]) => typeof text === 'string' && text.includes('"rules"'))).toEqual([]);

      // A change of roles is a new text: decoded, built and answered anew.
      const editor = await atrium.app
        .get(DataSource)
        .query<Array<{ id: string }>>(`SELECT id FROM roles WHERE name = $1`, [SystemRole.EDITOR]);
      const user = await atrium.app
        .get(DataSource)
        .query<Array<{ id: string }>>(`SELECT id FROM roles WHERE name = 'user'`);
      const assigned = await call('PUT', `/api/v1/users/${ada.id}/roles`, {
        token: admin.token,
        body: { roles: [{ roleId: user[0].id }, { roleId: editor[0].id }] },
      });
      expect(assigned.statusCode).toBe(200);
      const after = await me();
      expect(after.roles.sort()).toEqual([SystemRole.EDITOR, 'user'].sort());
      expect(after.permissions.length).toBeGreaterThan(first.permissions.length);
      expect(builds).toHaveBeenCalled();
    } finally {
      builds.mockRestore();
      parses.mockRestore();
    }
  });

  it('GET /auth/me counted just after a Redis command failed: the count waits out the breaker', async () => {
    const ada = await signedIn();
    const me = () => call('GET', '/api/v1/auth/me', { token: ada.token });
    expect((await me()).statusCode).toBe(200);
    // A command that failed (Redis restarting, say) opens the shared client's breaker.
    const shared = atrium.app.get<Redis>(REDIS_CLIENT);
    await withRedis(
      shared,
      () => Promise.reject(new Error('Command timed out')),
      () => undefined,
    );
    expect(redisBroken(shared)).toBe(true);

    const { redis } = await roundTrips(me);
    expect(redis).toEqual(['evalsha']);
  });

  /**
   * The asynchronous resources (promises above all) a request makes inside its context: each one
   * is an allocation, and with the request context (an AsyncLocalStorage) each is also a context
   * copied by a hook. Counted, not timed: the same request makes the same number every time.
   */
  async function asyncResources(request: () => Promise<unknown>): Promise<Map<string, number>> {
    const made = new Map<string, number>();
    const hook = createHook({
      init(_id, type) {
        if (requestContext.current()) made.set(type, (made.get(type) ?? 0) + 1);
      },
    }).enable();
    try {
      await request();
    } finally {
      hook.disable();
    }
    return made;
  }

  it(`GET /auth/me, once warm: no rxjs pipeline (no bound scope) and at most ${PROMISE_BUDGET} promises`, async () => {
    const ada = await signedIn();
    const me = () => call('GET', '/api/v1/auth/me', { token: ada.token });
    expect((await me()).statusCode).toBe(200);

    let body: { status?: string; data?: { id?: string }; meta?: { requestId?: string } } = {};
    const made = await asyncResources(async () => (body = (await me()).json()));
    expect(body).toMatchObject({ status: 'success', data: { id: ada.id }, meta: { requestId: expect.any(String) } });
    // Nest runs a route with interceptors through rxjs (defer, mergeAll, lastValueFrom), each step
    // bound to the async scope: a global envelope interceptor put that on every route (decision 96).
    // The user row goes to the pool without a query runner (decision 97).
    // The throttler reads each route's limits once, not per request (decision 98).
    expect(made.get('bound-anonymous-fn') ?? 0).toBe(0);
    expect(made.get('PROMISE') ?? 0).toBeLessThanOrEqual(PROMISE_BUDGET);
  });

  it('conditional GETs and the ETag of a write go through no rxjs pipeline (profile, post, feed, edit)', async () => {
    const author = await asRole(SystemRole.AUTHOR);
    const created = await call('POST', '/api/v1/posts', {
      token: author.token,
      body: { title: `Tagged ${Date.now()}`, body: 'A post whose tag is sent without an interceptor.' },
    });
    const { id, slug } = created.json<{ data: { id: string; slug: string } }>().data;
    expect((await call('POST', `/api/v1/posts/${id}/publish`, { token: author.token })).statusCode).toBe(200);
    const me = (await call('GET', '/api/v1/auth/me', { token: author.token })).json<{ data: { username: string } }>();
    const requests: Array<[string, () => Promise<{ statusCode: number; headers: Record<string, unknown> }>]> = [
      ['profile', () => call('GET', `/api/v1/profiles/${me.data.username}`)],
      ['post', () => call('GET', `/api/v1/posts/${slug}`)],
      ['feed', () => call('GET', '/api/v1/posts')],
      ['rss', () => call('GET', '/feed.xml')],
      ['edit', () => call('PATCH', `/api/v1/posts/${id}`, { token: author.token, body: { excerpt: 'Tagged.' } })],
    ];
    for (const [name, request] of requests) {
      await request(); // warm: caches filled
      let answer: { statusCode: number; headers: Record<string, unknown> } | undefined;
      const made = await asyncResources(async () => (answer = await request()));
      expect({ name, status: answer?.statusCode, etag: answer?.headers.etag }).toEqual({
        name,
        status: 200,
        etag: expect.stringMatching(/^W\/"/),
      });
      // Decision 101: `@HttpCache` and `@SendsEtag` are Fastify hooks; as interceptors they ran
      // each request of their routes through rxjs (0.66 → 0.46 ms of CPU a profile request).
      expect({ name, bound: made.get('bound-anonymous-fn') ?? 0 }).toEqual({ name, bound: 0 });
    }
  });

  it('the entity reader reads a user row exactly as findOneBy does, every kind of column', async () => {
    const ada = await signedIn();
    const db = atrium.app.get(DataSource);
    await db.query(
      `UPDATE users SET first_name = 'Ada', bio = NULL, preferences = '{"density":"compact","textScale":1.25}',
         totp_last_step = 58123456, recovery_code_hashes = ARRAY['a','b'], totp_enabled_at = now(),
         last_signed_in_at = now() WHERE id = $1`,
      [ada.id],
    );
    const viaReader = await atrium.app.get(UsersRepository).findActive(ada.id);
    const viaBuilder = await db.getRepository(UserEntity).findOneBy({ id: ada.id });
    expect(viaReader).toBeInstanceOf(UserEntity);
    expect(viaReader).toEqual(viaBuilder);
    expect(viaReader).toMatchObject({ preferences: { density: 'compact' }, totpLastStep: '58123456', bio: null });
    expect(viaReader?.totpEnabledAt).toBeInstanceOf(Date);
    expect(await atrium.app.get(UsersRepository).findActiveByEmail('nobody@nowhere.invalid')).toBeNull();
    // Outside a transaction the reader goes to the pool itself (decision 97): a failed statement is
    // still TypeORM's error, with Postgres's code on it.
    const failed = atrium.app.get(Transactions).findOneWhere(UserEntity, 'id = $1', ['not-a-uuid']);
    await expect(failed).rejects.toBeInstanceOf(QueryFailedError);
    await expect(failed).rejects.toMatchObject({ code: '22P02' });
  });

  it('a page of posts from the database: rows made without the entity transformer, as the query builder hydrates them', async () => {
    const editor = await asRole(SystemRole.EDITOR);
    const shelf = (
      await call('POST', '/api/v1/categories', { token: editor.token, body: { name: `Shelf ${Date.now()}` } })
    ).json<{ data: { id: string } }>().data;
    for (const body of [{ title: 'Filed', categoryId: shelf.id, featured: true }, { title: 'Unfiled' }]) {
      const created = await call('POST', '/api/v1/posts', {
        token: editor.token,
        body: { body: 'A post **on** the list.', ...body },
      });
      const { id } = created.json<{ data: { id: string } }>().data;
      expect((await call('POST', `/api/v1/posts/${id}/publish`, { token: editor.token })).statusCode).toBe(200);
    }
    const search: PostSearch = {
      published: { includeMembers: false },
      sort: [{ column: POST_SORT_COLUMNS.publishedAt, direction: 'DESC' }],
    };
    const repository = atrium.app.get(PostsRepository);
    const viaRows = await repository.slice(search, 10);
    const builder = (repository as unknown as { query(s: PostSearch): SelectQueryBuilder<PostEntity> }).query(search);
    const viaBuilder = (await builder.limit(10).getMany()).map((post) => ({
      ...post,
      category: post.category ?? null,
    }));
    expect(viaRows.length).toBeGreaterThanOrEqual(2);
    expect(viaRows).toEqual(viaBuilder);
    expect(viaRows.some((post) => post.category?.id === shelf.id)).toBe(true);
    expect(viaRows.some((post) => post.category === null)).toBe(true);
    expect(viaRows[0].publishedAt).toBeInstanceOf(Date);

    // Decision 104: the hydration through TypeORM's transformer was a sixth of an uncached page's CPU.
    const transform = jest.spyOn(RawSqlResultsToEntityTransformer.prototype, 'transform');
    try {
      const paths = [
        '/api/v1/posts?limit=5',
        '/api/v1/posts?page=1&perPage=5',
        '/api/v1/posts?q=list',
        '/api/v1/me/posts?limit=5',
      ];
      for (const path of paths) {
        const before = transform.mock.calls.length;
        const answer = await call('GET', path, { token: path.includes('/me/') ? editor.token : undefined });
        expect(answer.statusCode).toBe(200);
        expect(answer.json<{ data: unknown[] }>().data.length).toBeGreaterThan(0);
        expect({ path, transformed: transform.mock.calls.length - before }).toEqual({ path, transformed: 0 });
      }
    } finally {
      transform.mockRestore();
    }
  });

  it('the entity writer writes a row exactly as insert() does, defaults and every kind of column', async () => {
    const db = atrium.app.get(DataSource);
    const tx = atrium.app.get(Transactions);
    const read = async (table: string, id: string) => {
      const [row] = await db.query<Array<Record<string, unknown>>>(`SELECT * FROM ${table} WHERE id = $1`, [id]);
      const { id: _id, created_at: createdAt, updated_at: updatedAt, ...rest } = row;
      expect(createdAt).toBeInstanceOf(Date);
      expect(updatedAt).toBeInstanceOf(Date);
      return rest;
    };
    const audit = (): AuditEventEntity =>
      Object.assign(new AuditEventEntity(), {
        actorId: null,
        action: 'test.written',
        target: 'user:1',
        ip: '203.0.113.9',
        userAgent: null,
        metadata: { nested: { list: [1, 'two'] }, quote: `it's "so"` },
      });
    const [byWriter, byBuilder] = [audit(), audit()];
    await tx.insert(AuditEventEntity, [byWriter]);
    await db.getRepository(AuditEventEntity).insert(insertable(byBuilder));
    // The id came from the entity's @BeforeInsert, as insert() gives it.
    expect(byWriter.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await read('audit_events', byWriter.id)).toEqual(await read('audit_events', byBuilder.id));

    const outbox = (): OutboxEventEntity =>
      Object.assign(new OutboxEventEntity(), {
        id: newId(),
        kind: 'job',
        name: 'test.job',
        payload: 'sealed',
        jobId: 'job-1',
        dispatchedAt: null,
        attempts: 1,
        // Far ahead: no poller takes these rows while they are compared.
        availableAt: new Date('2099-01-02T03:04:05.678Z'),
        lastError: null,
      });
    const [first, second] = [outbox(), outbox()];
    await tx.insert(OutboxEventEntity, [first]);
    await db.getRepository(OutboxEventEntity).insert(insertable(second));
    expect(await read('outbox_events', first.id)).toEqual(await read('outbox_events', second.id));
    await db.query(`DELETE FROM outbox_events WHERE id = ANY($1)`, [[first.id, second.id]]);
    // A failed statement is TypeORM's error, with Postgres's code, as insert()'s would be.
    const clash = Object.assign(audit(), { id: byWriter.id });
    await expect(tx.insert(AuditEventEntity, [clash])).rejects.toMatchObject({ code: '23505' });
  });

  it('a request whose access line is below the log level makes no logger and serializes nothing', async () => {
    const ada = await signedIn();
    const me = () => call('GET', '/api/v1/auth/me', { token: ada.token });
    expect((await me()).statusCode).toBe(200);
    // pino's prototype, where `child` lives: a per-request logger (pino-http) would call it twice.
    let proto: object = PinoLogger.root;
    while (!Object.prototype.hasOwnProperty.call(proto, 'child')) proto = Object.getPrototypeOf(proto) as object;
    const child = jest.spyOn(proto as { child: () => unknown }, 'child');
    try {
      for (let i = 0; i < 3; i += 1) expect((await me()).statusCode).toBe(200);
      expect(child).not.toHaveBeenCalled();
    } finally {
      child.mockRestore();
    }
  });

  it("the admin users list: the caller, the page and every row's roles, the count only for a full page", async () => {
    const admin = await asAdmin();
    for (let i = 0; i < 3; i += 1) await signedIn();
    const list = (perPage: number) => call('GET', `/api/v1/users?perPage=${perPage}`, { token: admin.token });
    expect((await list(100)).statusCode).toBe(200);

    let body: { data: unknown[]; meta: { pagination: { totalItems: number } } } = {
      data: [],
      meta: { pagination: { totalItems: 0 } },
    };
    const short = await roundTrips(async () => (body = (await list(100)).json()));
    expect(body.data.length).toBeGreaterThanOrEqual(4);
    // A page that is not full is the last: its length is the total.
    expect(short.sql).toHaveLength(3);
    expect(body.meta.pagination.totalItems).toBe(body.data.length);
    // Written as SQL and read raw, the columns the list shows (decision 120): not TypeORM's aliased
    // select of every column, the password hash and TOTP secrets among them, hydrated into entities.
    const page = short.sql.find((text) => /FROM users u\b/.test(text))!;
    expect({ page, credentials: /password_hash|totp_secret|totp_pending|recovery_code/.test(page) }).toEqual({
      page,
      credentials: false,
    });
    expect(short.sql.filter((text) => /"u"\."\w+" AS "u_/.test(text))).toEqual([]);

    const total = body.meta.pagination.totalItems;
    const full = await roundTrips(async () => (body = (await list(2)).json()));
    expect(full.sql.filter((text) => /count\(\*\)/.test(text))).toHaveLength(1);
    expect({ rows: body.data.length, total: body.meta.pagination.totalItems }).toEqual({ rows: 2, total });
  });

  it('POST a comment: the post read narrowly, no look-up before the insert, the comment not read back', async () => {
    const author = await asRole(SystemRole.AUTHOR);
    const reader = await signedIn();
    const admin = await asAdmin();
    const created = await call('POST', '/api/v1/posts', {
      token: author.token,
      body: { title: `Commented ${Date.now()}`, body: 'A post to comment on.' },
    });
    const postId = created.json<{ data: { id: string } }>().data.id;
    expect((await call('POST', `/api/v1/posts/${postId}/publish`, { token: author.token })).statusCode).toBe(200);
    const comment = (text: string) =>
      call('POST', `/api/v1/posts/${postId}/comments`, { token: reader.token, body: { body: text } });
    // A first comment is held for moderation; once it is approved, the reader's next ones are not.
    const first = (await comment('First.')).json<{ data: { id: string } }>().data.id;
    expect((await call('POST', `/api/v1/comments/${first}/approve`, { token: admin.token })).statusCode).toBe(200);

    let answer: { statusCode: number; json: () => { data: CommentDto } } | undefined;
    const built = jest.spyOn(InsertQueryBuilder.prototype, 'execute');
    const { sql } = await roundTrips(async () => (answer = await comment('A fine **day** at the harbour.')));
    // Decision 106: the comment, its audit row and its outbox rows by the entity writer, not the insert builder.
    expect(built).not.toHaveBeenCalled();
    built.mockRestore();
    expect(answer?.statusCode).toBe(201);
    expect(answer?.json().data.status).toBe('approved');
    const begin = sql.findIndex((text) => /^START TRANSACTION/.test(text));
    const commit = sql.findIndex((text) => /^COMMIT/.test(text));
    const insert = sql.findIndex((text) => /^INSERT INTO "comments"/.test(text));
    expect(begin).toBeGreaterThan(0);
    // The post: one statement of a few columns (every approved comment drops the cached post, so
    // reading it through the cache was a load of the whole post with its tags on nearly every write).
    const postReads = sql.slice(0, begin).filter((text) => /FROM "?(posts|post_tags)"?\b/.test(text));
    expect(postReads).toHaveLength(1);
    expect(postReads[0]).not.toMatch(/body_markdown|body_html/);
    // Whether the reader has an approved comment: stops at the first (a count read them all).
    expect(sql.filter((text) => /COUNT\(/i.test(text))).toEqual([]);
    // The new row is inserted, not looked up first as save() does.
    expect(sql.slice(begin + 1, insert)).toEqual([]);
    // The post's count is updated last before the commit: that update locks the post's row, which
    // every other comment on the post waits for, so it is held for one round trip only.
    expect(sql[commit - 1]).toMatch(/^UPDATE posts SET comment_count/);
    // The event and the mail job it leads to are written already claimed by this process, which
    // delivers them after the commit without claiming them first (decision 100).
    expect(sql.filter((text) => /^UPDATE outbox_events SET attempts/.test(text))).toEqual([]);
    // Not read back (decision 121): the answer is the row as written, its creation time as the
    // database gave it (RETURNING), and the author as the request authenticated them. After the
    // commit, only the delivered event leaves the outbox.
    expect(sql[insert]).toMatch(/ RETURNING "created_at"$/);
    expect(sql.slice(commit + 1)).toEqual([expect.stringMatching(/^DELETE FROM outbox_events WHERE id IN \(\$1\)$/)]);
    expect(sql.filter((text) => /EXISTS \(SELECT 1 FROM comments/.test(text))).toHaveLength(1);
    const written = answer!.json().data;
    const threads = await call('GET', `/api/v1/posts/${postId}/comments`, { token: reader.token });
    const shown = threads.json<{ data: CommentDto[] }>().data.find((node) => node.id === written.id);
    // The same answer as the comment read from the database.
    expect(written).toEqual({ ...shown, replies: undefined });
    expect(written.author).toEqual({ id: reader.id, username: reader.username, avatarUrl: null });
  });

  it('GET /posts/:slug from the public cache: the ETag cached with the post, not the whole post hashed again', async () => {
    const author = await asRole(SystemRole.AUTHOR);
    const created = await call('POST', '/api/v1/posts', {
      token: author.token,
      body: {
        title: `Cached ${Date.now()}`,
        body: `A post read from the cache. ${'Long enough to hash. '.repeat(50)}`,
      },
    });
    const { id, slug } = created.json<{ data: { id: string; slug: string } }>().data;
    expect((await call('POST', `/api/v1/posts/${id}/publish`, { token: author.token })).statusCode).toBe(200);
    const read = (headers: Record<string, string> = {}) => call('GET', `/api/v1/posts/${slug}`, { headers });
    const first = await read(); // a miss: loaded, and cached with its ETag
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);

    // The first hit decodes the cached text.
    expect((await read()).json<{ data: unknown }>().data).toEqual(first.json<{ data: unknown }>().data);
    const hashed = jest.spyOn(etagModule, 'weakEtagOf');
    const parses = jest.spyOn(JSON, 'parse');
    // The texts the request serializes (in its context: not this test's own).
    const texts: string[] = [];
    const stringify = JSON.stringify.bind(JSON);
    const serialized = jest.spyOn(JSON, 'stringify').mockImplementation((...args: Parameters<typeof stringify>) => {
      const text = stringify(...args) as string | undefined;
      if (requestContext.current() && text !== undefined) texts.push(text.slice(0, 60));
      return text as string;
    });
    const piped = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      const again = await read();
      const unchanged = await read({ 'if-none-match': etag });
      expect([again.statusCode, again.headers.etag, unchanged.statusCode]).toEqual([200, etag, 304]);
      expect(again.json<{ data: unknown }>().data).toEqual(first.json<{ data: unknown }>().data);
      // Before decision 86 every read hashed the post with its HTML (~4 % of its CPU under load).
      expect(hashed).not.toHaveBeenCalled();
      // Decision 118: the same cached text is the same (frozen) post, not parsed again on each read.
      // (The test's own reading of the answers parses envelopes; the cache's entry is `{"post":…}`.)
      const ofThePost = parses.mock.calls.filter(([text]) => typeof text === 'string' && text.startsWith('{"post"'));
      expect(ofThePost).toEqual([]);
      // Decision 127: nor serialized again; the first hit made its text, and every answer splices it
      // in. Decision 128: nor is the envelope's meta. Decision 129: no pipe runs on the route's
      // parameters (the caller and a path segment; a global pipe ran on both).
      // (Fastify serializes the 304's body, `null`, before it is dropped.)
      expect(texts.filter((text) => text !== 'null')).toEqual([]);
      expect(piped).not.toHaveBeenCalled();
    } finally {
      hashed.mockRestore();
      parses.mockRestore();
      serialized.mockRestore();
      piped.mockRestore();
    }
    // An edit drops the cache: the next read has the new post and a new tag.
    const edited = await call('PATCH', `/api/v1/posts/${id}`, {
      token: author.token,
      body: { title: 'Cached, edited' },
    });
    expect(edited.statusCode).toBe(200);
    const after = await read({ 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.headers.etag).toBe(edited.headers.etag);
  });

  it('GET /posts from the public cache: the page tagged when it was cached, not serialized and hashed again', async () => {
    const author = await asRole(SystemRole.AUTHOR);
    const created = await call('POST', '/api/v1/posts', {
      token: author.token,
      body: { title: `Listed ${Date.now()}`, body: 'A post on the first page.' },
    });
    const { id } = created.json<{ data: { id: string } }>().data;
    expect((await call('POST', `/api/v1/posts/${id}/publish`, { token: author.token })).statusCode).toBe(200);
    for (const path of ['/api/v1/posts?limit=5', '/api/v1/posts?page=1&perPage=5']) {
      const read = (headers: Record<string, string> = {}) => call('GET', path, { headers });
      const first = await read(); // a miss: loaded, tagged and cached
      const etag = first.headers.etag as string;
      // The tag is of the data as before: the page's items and its paging, as the route returns them.
      const page = first.json<{
        data: unknown[];
        meta: {
          cursor?: { next: string | null };
          pagination?: { page: number; perPage: number; totalItems: number; totalItemsCapped?: true };
        };
      }>();
      expect(page.data.length).toBeGreaterThan(0);
      const { cursor, pagination } = page.meta;
      const data = pagination
        ? {
            items: page.data,
            page: pagination.page,
            perPage: pagination.perPage,
            totalItems: pagination.totalItems,
            capped: pagination.totalItemsCapped === true,
          }
        : { items: page.data, next: cursor?.next };
      expect(etag).toBe(etagModule.weakEtagOf(data));

      const hashed = jest.spyOn(etagModule, 'weakEtagOf');
      // The texts the request parses (in its context: not this test's reading of the answer).
      const texts: string[] = [];
      const parse = JSON.parse.bind(JSON);
      const parsed = jest.spyOn(JSON, 'parse').mockImplementation((text, reviver) => {
        if (requestContext.current()) texts.push(String(text));
        return parse(text, reviver) as unknown;
      });
      try {
        const again = await read();
        // Decision 103: the items go out as the cache keeps them, as text; only the page's head is parsed.
        const items = JSON.stringify(page.data);
        expect({ path, parsedItems: texts.filter((text) => text.includes(items)).length }).toEqual({
          path,
          parsedItems: 0,
        });
        const unchanged = await read({ 'if-none-match': etag });
        expect({ path, answers: [again.statusCode, again.headers.etag, unchanged.statusCode] }).toEqual({
          path,
          answers: [200, etag, 304],
        });
        expect(again.json<{ data: unknown[] }>().data).toEqual(page.data);
        // Decision 102: before, every cached read serialized the whole page again to hash it.
        expect({ path, hashed: hashed.mock.calls.length }).toEqual({ path, hashed: 0 });
      } finally {
        hashed.mockRestore();
        parsed.mockRestore();
      }
    }
  });

  it('a page of posts, signed in: the validation pipe runs on its query alone, not on the caller', async () => {
    const reader = await signedIn();
    const pipe = jest.spyOn(ValidationPipe.prototype, 'transform');
    let piped: string[];
    try {
      const page = await call('GET', '/api/v1/posts?limit=3', { token: reader.token });
      expect(page.statusCode).toBe(200);
      piped = pipe.mock.calls.map(([, metadata]) => metadata.type);
    } finally {
      pipe.mockRestore();
    }
    // Decision 129: the pipe is bound where input arrives. As a global pipe it also ran on
    // `@OptionalUser()` (`['custom', 'query']`): a chain of promises that gave the caller back.
    expect(piped).toEqual(['query']);
    // The query is still checked: an unknown parameter is refused in the envelope.
    const refused = await call('GET', '/api/v1/posts?limit=3&colour=red', { token: reader.token });
    expect(refused.statusCode).toBe(400);
    expect(
      refused.json<{ error: { code: string; details: Array<{ field: string; code: string }> } }>().error,
    ).toMatchObject({
      code: ErrorCode.VALIDATION_ERROR,
      details: [{ field: 'colour', code: 'UNKNOWN_FIELD' }],
    });
  });

  it('an uncached page of posts: its rows read as pg gives them, no entity made and no value hydrated', async () => {
    const editor = await asRole(SystemRole.EDITOR);
    const tag = (
      await call('POST', '/api/v1/tags', { token: editor.token, body: { name: `Rows ${Date.now()}` } })
    ).json<{
      data: { id: string; name: string };
    }>().data;
    const created = await call('POST', '/api/v1/posts', {
      token: editor.token,
      body: { title: `Rows as given ${Date.now()}`, body: 'Read raw.', tagIds: [tag.id] },
    });
    const { id } = created.json<{ data: { id: string } }>().data;
    expect((await call('POST', `/api/v1/posts/${id}/publish`, { token: editor.token })).statusCode).toBe(200);

    // Decision 119: a page of the feed hydrated every value of its 20 rows through the driver and
    // made an entity of every tag shown, most of its mapping's CPU and garbage.
    const { driver } = atrium.app.get(DataSource);
    const hydrated = jest.spyOn(driver, 'prepareHydratedValue');
    const made = jest.spyOn(EntityManager.prototype, 'create');
    try {
      const page = await call('GET', '/api/v1/posts', { query: { author: editor.username } });
      const [post] = page.json<{ data: Array<{ id: string; tags: Array<{ name: string }>; publishedAt: string }> }>()
        .data;
      expect({ id: post.id, tags: post.tags.map((t) => t.name), published: typeof post.publishedAt }).toEqual({
        id,
        tags: [tag.name],
        published: 'string',
      });
      expect({ hydrated: hydrated.mock.calls.length, entities: made.mock.calls.length }).toEqual({
        hydrated: 0,
        entities: 0,
      });
    } finally {
      hydrated.mockRestore();
      made.mockRestore();
    }
  });

  /** The statement texts TypeORM's query builder writes inside requests (in their context), until `spy` is restored. */
  function textsWritten(): { written: string[]; spy: jest.SpyInstance } {
    const written: string[] = [];
    const getQuery = Object.getOwnPropertyDescriptor(SelectQueryBuilder.prototype, 'getQuery')!.value as () => string;
    const spy = jest.spyOn(SelectQueryBuilder.prototype, 'getQuery').mockImplementation(function (
      this: SelectQueryBuilder<PostEntity>,
    ) {
      const text = getQuery.call(this);
      if (requestContext.current()) written.push(text);
      return text;
    });
    return { written, spy };
  }

  it("an uncached page of posts: its statement's text written once per set of filters and order, not per request", async () => {
    const author = await asRole(SystemRole.AUTHOR);
    for (const title of ['Kept statement one', 'Kept statement two', 'Kept statement three', 'Kept statement four']) {
      const created = await call('POST', '/api/v1/posts', { token: author.token, body: { title, body: 'Kept.' } });
      const { id } = created.json<{ data: { id: string } }>().data;
      expect((await call('POST', `/api/v1/posts/${id}/publish`, { token: author.token })).statusCode).toBe(200);
    }
    // The kept text answers as the query builder's own statement: the same rows, the same total.
    const repository = atrium.app.get(PostsRepository);
    const search: PostSearch = {
      published: { includeMembers: false },
      authorUsername: author.username,
      sort: [{ column: POST_SORT_COLUMNS.publishedAt, direction: 'DESC' }],
    };
    const builder = () =>
      (repository as unknown as { query(s: PostSearch): SelectQueryBuilder<PostEntity> }).query(search);
    for (const offset of [0, 1, 3]) {
      const viaText = await repository.page(search, offset, 2);
      const viaBuilder = (await builder().offset(offset).limit(2).getMany()).map((post) => ({
        ...post,
        category: post.category ?? null,
      }));
      expect(viaText.rows).toEqual(viaBuilder);
      expect(viaText.total).toBe(await builder().getCount());
    }

    // Decision 115: TypeORM writing the statement's text was a tenth of an uncached page's CPU.
    const { written, spy } = textsWritten();
    try {
      const by = `author=${author.username}`;
      const next = (answer: { json<T>(): T }) => answer.json<{ meta: { cursor: { next: string } } }>().meta.cursor.next;
      // Each request a page of its own (a cache miss): the first of each kind may write its text.
      const first = await call('GET', `/api/v1/posts?${by}&limit=1`);
      const second = await call('GET', `/api/v1/posts?${by}&limit=1&cursor=${next(first)}`);
      await call('GET', `/api/v1/posts?${by}&page=2&perPage=1`);
      written.length = 0;
      const pages = [
        await call('GET', `/api/v1/posts?${by}&limit=1&cursor=${next(second)}`),
        await call('GET', `/api/v1/posts?${by}&page=3&perPage=1`),
      ];
      for (const page of pages) {
        expect(page.statusCode).toBe(200);
        expect(page.json<{ data: Array<{ title: string }> }>().data[0].title).toMatch(/^Kept statement/);
      }
      expect(written).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  it("a search: its statements' texts written once per kind and set of filters, not per request", async () => {
    const author = await asRole(SystemRole.AUTHOR);
    for (const title of ['Kept search lantern harbour one', 'Kept search lantern harbour two']) {
      const created = await call('POST', '/api/v1/posts', { token: author.token, body: { title, body: 'Kept.' } });
      const { id } = created.json<{ data: { id: string } }>().data;
      expect((await call('POST', `/api/v1/posts/${id}/publish`, { token: author.token })).statusCode).toBe(200);
    }
    type Found = {
      data: Array<{ title: string; match: { by: string } }>;
      meta: { pagination: { totalItems: number } };
    };
    // Words: the second page of one. Titles alike: a fallback of the first page only.
    const search = async (q: string, page = '2') => {
      const answer = await call('GET', '/api/v1/posts', { query: { q, author: author.username, perPage: '1', page } });
      expect(answer.statusCode).toBe(200);
      const { data, meta } = answer.json<Found>();
      return { titles: data.map((post) => post.title), by: data[0]?.match.by, total: meta.pagination.totalItems };
    };
    const found = (by: string) => ({
      titles: [`Kept search lantern harbour ${by === 'words' ? 'one' : 'two'}`],
      by,
      total: 2,
    });

    // Decision 122: TypeORM wrote a search's two statements on every request (~250 µs of its CPU).
    const { written, spy } = textsWritten();
    try {
      // The first search of each kind may write its texts: words, a phrase, a misspelling (titles alike).
      expect(await search('lantern')).toEqual(found('words'));
      expect(await search('"search lantern"')).toEqual(found('words'));
      expect(await search('lantrn', '1')).toEqual(found('similar'));
      written.length = 0;
      expect(await search('harbour')).toEqual(found('words'));
      expect(await search('"lantern harbour"')).toEqual(found('words'));
      expect(await search('harbr', '1')).toEqual(found('similar'));
      expect(written).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  it('GET /posts, a miss: the items serialized once, for the text the cache keeps and for the tag', async () => {
    const author = await asRole(SystemRole.AUTHOR);
    const created = await call('POST', '/api/v1/posts', {
      token: author.token,
      body: { title: `Tagged once ${Date.now()}`, body: 'A post on the first page.' },
    });
    const { id } = created.json<{ data: { id: string } }>().data;
    expect((await call('POST', `/api/v1/posts/${id}/publish`, { token: author.token })).statusCode).toBe(200);
    const stringify = JSON.stringify.bind(JSON);
    for (const path of ['/api/v1/posts?limit=4', '/api/v1/posts?page=1&perPage=4']) {
      // The texts the request serializes (in its context: not this test's own).
      const texts: string[] = [];
      const serialized = jest.spyOn(JSON, 'stringify').mockImplementation((...args: Parameters<typeof stringify>) => {
        const text = stringify(...args) as string | undefined;
        if (requestContext.current() && text !== undefined) texts.push(text);
        return text as string;
      });
      let miss;
      try {
        miss = await call('GET', path);
      } finally {
        serialized.mockRestore();
      }
      expect(miss.statusCode).toBe(200);
      const items = stringify(miss.json<{ data: unknown[] }>().data);
      expect(items).toContain(id);
      // Before, the whole page was serialized a second time to be hashed for its ETag.
      expect({ path, serializations: texts.filter((text) => text.includes(items)).length }).toEqual({
        path,
        serializations: 1,
      });
    }
  });

  it("a public profile: one statement reading what the profile shows, not the account's credentials", async () => {
    const ada = await signedIn();
    await atrium.app
      .get(DataSource)
      .query(`UPDATE users SET first_name = 'Ada', last_name = NULL, bio = 'Counts things.' WHERE id = $1`, [ada.id]);
    let answer: Awaited<ReturnType<typeof call>> | undefined;
    const { sql } = await roundTrips(async () => {
      answer = await call('GET', `/api/v1/profiles/${ada.username.toUpperCase()}`);
    });
    expect(answer?.statusCode).toBe(200);
    expect(answer?.json<{ data: unknown }>().data).toEqual({
      username: ada.username,
      firstName: 'Ada',
      lastName: null,
      bio: 'Counts things.',
      avatarUrl: null,
      memberSince: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // Decision 117: the six columns, read raw; not the whole account made into an entity.
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/^SELECT username, first_name, last_name, bio, avatar_key, created_at FROM users/);
    expect({ text: sql[0], credentials: /password_hash|totp|email|recovery|preferences/.test(sql[0]) }).toEqual({
      text: sql[0],
      credentials: false,
    });
    // A warm request: the rate limit counted in the process and the public route's caller let
    // through without a promise each (decision 117).
    const pipe = jest.spyOn(ValidationPipe.prototype, 'transform');
    let made: Map<string, number>;
    let piped: number;
    try {
      made = await asyncResources(() => call('GET', `/api/v1/profiles/${ada.username}`));
      piped = pipe.mock.calls.length;
    } finally {
      pipe.mockRestore();
    }
    // 56 before: the guards answered with promises Nest awaited (46 since).
    expect(made.get('PROMISE') ?? 0).toBeLessThanOrEqual(PROFILE_PROMISE_BUDGET);
    // Decision 129: no pipe chain on the `@Param` (the global pipe of before ran on it).
    expect({ piped }).toEqual({ piped: 0 });
    // A deactivated account has no profile.
    await atrium.app.get(DataSource).query('UPDATE users SET is_active = false WHERE id = $1', [ada.id]);
    expect((await call('GET', `/api/v1/profiles/${ada.username}`)).statusCode).toBe(404);
  });

  it("a page of comment threads reads only what a comment shows, not its authors' credentials", async () => {
    const author = await asRole(SystemRole.AUTHOR);
    const admin = await asAdmin();
    const created = await call('POST', '/api/v1/posts', {
      token: author.token,
      body: { title: `Threads ${Date.now()}`, body: 'A post with threads.' },
    });
    const postId = created.json<{ data: { id: string } }>().data.id;
    expect((await call('POST', `/api/v1/posts/${postId}/publish`, { token: author.token })).statusCode).toBe(200);
    const root = await call('POST', `/api/v1/posts/${postId}/comments`, {
      token: admin.token,
      body: { body: 'Root.' },
    });
    const rootId = root.json<{ data: { id: string } }>().data.id;
    const reply = await call('POST', `/api/v1/posts/${postId}/comments`, {
      token: admin.token,
      body: { body: 'Reply.', parentId: rootId },
    });
    expect(reply.statusCode).toBe(201);

    let threads: Array<{ author: { username: string }; replies: unknown[] }> = [];
    const { sql } = await roundTrips(async () => {
      threads = (await call('GET', `/api/v1/posts/${postId}/comments`)).json().data;
    });
    expect(threads).toHaveLength(1);
    expect(threads[0].replies).toHaveLength(1);
    expect(threads[0].author.username).toBe(admin.username);
    // Read raw and mapped to the DTO's input (decision 90), not built and hydrated by the query
    // builder, whose aliased select ("c"."id" AS "c_id") and entities were most of the page's CPU.
    const loads = sql.filter((text) => /FROM comments c\b/.test(text));
    expect(loads).toHaveLength(2);
    expect(sql.filter((text) => /"c"\."\w+" AS "c_/.test(text))).toEqual([]);
    for (const text of loads) {
      expect({ text, credentials: /password_hash|totp|email|recovery/.test(text) }).toEqual({
        text,
        credentials: false,
      });
      expect({ text, bookkeeping: /moderated_at|updated_at/.test(text) }).toEqual({ text, bookkeeping: false });
    }

    // A page read from Postgres (a cursor: not the kept first page) builds each comment's DTO once
    // and nests those very objects (decision 119): no copy of every DTO to add its replies.
    const toDto = jest.spyOn(CommentsService.prototype, 'toDto');
    try {
      const before = '00000000-0000-4000-8000-000000000000';
      const page = await atrium.app
        .get(CommentsService)
        .threads(postId, null, { cursor: encodeCursor({ id: before }), limit: 20 });
      const built = new Set(toDto.mock.results.map((result) => result.value as object));
      const served: object[] = [];
      const walk = (nodes: CommentNodeDto[]): void =>
        nodes.forEach((node) => {
          served.push(node);
          walk(node.replies);
        });
      walk((page as CursorPage<CommentNodeDto>).items);
      expect(served.map((node) => (node as CommentNodeDto).body)).toEqual(['Root.', 'Reply.']);
      expect({ built: toDto.mock.calls.length, copies: served.filter((node) => !built.has(node)).length }).toEqual({
        built: 2,
        copies: 0,
      });
    } finally {
      toDto.mockRestore();
    }
  });

  it("a list of posts reads neither their bodies nor their authors' credentials", async () => {
    const author = await asRole(SystemRole.AUTHOR);
    const body = `A body long enough to matter. ${'Words of the post. '.repeat(200)}`;
    for (let i = 0; i < 2; i += 1) {
      const created = await call('POST', '/api/v1/posts', {
        token: author.token,
        body: { title: `Hot path ${i} ${Date.now()}`, body },
      });
      expect(created.statusCode).toBe(201);
      const id = created.json<{ data: { id: string } }>().data.id;
      expect((await call('POST', `/api/v1/posts/${id}/publish`, { token: author.token })).statusCode).toBe(200);
    }
    let items: Array<{ author: { username: string } }> = [];
    const feed = await roundTrips(async () => {
      // Past the public cache: a search and the author's own list load from Postgres.
      items = (await call('GET', '/api/v1/posts', { query: { q: 'body long enough' } })).json().data;
    });
    const mine = await roundTrips(() => call('GET', '/api/v1/me/posts', { token: author.token }));
    expect(items.length).toBeGreaterThanOrEqual(2);
    const lists = [...feed.sql, ...mine.sql].filter((sql) => /FROM "posts" "p"/.test(sql));
    expect(lists.length).toBeGreaterThanOrEqual(2);
    for (const sql of lists) {
      expect({ sql, bodies: /body_markdown"? AS|body_html/.test(sql) }).toEqual({ sql, bodies: false });
      expect({ sql, credentials: /password_hash|totp|email/.test(sql) }).toEqual({ sql, credentials: false });
    }
  });
});
