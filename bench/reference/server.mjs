// The reference server of `npm run bench`: what each benchmarked route costs on this stack with
// none of the framework. Plain Fastify + `pg` (+ `ioredis` where Atrium caches, `@node-rs/argon2`
// and `jsonwebtoken` with a prepared KeyObject where it authenticates), answering the same paths
// with the same SQL, the same JSON shape and the same auth checks as Atrium.
//
// Environment: PORT, DATABASE_URL, REDIS_URL, REDIS_PREFIX (Atrium's, for the revocation keys it
// shares), REF_PREFIX (this server's own cache keys), JWT_ACCESS_SECRET, DATA_ENCRYPTION_KEY,
// DB_POOL_SIZE (Atrium's default, 10). REF_FRAMEWORK=nest serves the same routes through a bare NestJS
// application instead (nest-floor.mjs; `npm run bench -- --floor`).
import { createCipheriv, createHash, createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { verify as argonVerify } from '@node-rs/argon2';
import { PERMISSIONS } from '@atrium/contracts';
// Atrium's own Markdown renderer and excerpt (plain functions, no framework): both sides render alike.
import { deriveExcerpt, plainText, renderCommentMarkdown } from '../../apps/api/dist/modules/posts/content/markdown.js';
import { mayHoldPhrase, wordPairsQuery } from '../../apps/api/dist/modules/posts/search-pairs.js';
import Fastify from 'fastify';
import { nestFloor } from './nest-floor.mjs';
import { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import pg from 'pg';

const env = process.env;
const VERSION = JSON.parse(readFileSync(new URL('../../apps/api/package.json', import.meta.url), 'utf8')).version;
const ISSUER = 'atrium';
const AUDIENCE = 'atrium-api';
const ACCESS_TTL = 900;
const REFRESH_TTL_DAYS = 30;
const LIVE_CACHE_MS = 10_000;
const GRANTS_TTL_SECONDS = 300;
const VIEW_DEDUPE_MS = 30 * 60_000;
const FAILURE_WINDOW_SECONDS = 15 * 60;
const prefix = env.REDIS_PREFIX ?? 'atrium:';
const own = env.REF_PREFIX ?? `${prefix}ref:`;

const key = createSecretKey(Buffer.from(env.JWT_ACCESS_SECRET ?? '', 'utf8'));
const dataKey = createHash('sha256')
  .update(env.DATA_ENCRYPTION_KEY ?? '')
  .digest();
const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: Number(env.DB_POOL_SIZE ?? 10) });
const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: false });
redis.defineCommand('refViewRecord', {
  numberOfKeys: 2,
  lua: `if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
  redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
  return 1
end
return 0`,
});

const fastifyOptions = { logger: false, genReqId: () => randomUUID() };
// With REF_FRAMEWORK=nest the routes are collected here and served by nest-floor.mjs.
const nestRoutes = [];
const app =
  env.REF_FRAMEWORK === 'nest'
    ? {
        get: (url, handler) => nestRoutes.push(['GET', url, handler]),
        post: (url, handler) => nestRoutes.push(['POST', url, handler]),
      }
    : Fastify(fastifyOptions);

const etagOf = (data) =>
  `W/"${createHash('sha256')
    .update(JSON.stringify(data) ?? 'null')
    .digest('base64url')
    .slice(0, 27)}"`;
const envelope = (request, data, extra) => ({
  status: 'success',
  data,
  meta: { requestId: request.id, timestamp: new Date().toISOString(), ...extra },
});
const fail = (reply, status, code, message) => reply.code(status).send({ status: 'error', error: { code, message } });
const avatarUrl = (k) => (k === null ? null : `/api/v1/avatars/${k}`);
const userDto = (u) => ({
  id: u.id,
  email: u.email,
  username: u.username,
  firstName: u.first_name,
  lastName: u.last_name,
  bio: u.bio,
  preferences: u.preferences,
  emailVerified: u.email_verified_at !== null,
  twoFactorEnabled: u.totp_enabled_at !== null,
  avatarUrl: avatarUrl(u.avatar_key),
  createdAt: u.created_at.toISOString(),
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---- authentication: signature, revocation (Redis denylist + live-session check), user row ----
const live = new Map();
async function authenticate(request) {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ')) return null;
  let claims;
  try {
    claims = jwt.verify(header.slice(7), key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
  } catch {
    return null;
  }
  if (claims.typ !== 'access' || !UUID.test(claims.sub) || !UUID.test(claims.sid) || !claims.jti) return null;
  // One round trip: the denylist and the cached grants together.
  const [[, denied], [, grants]] = await redis
    .pipeline()
    .exists(`${prefix}auth:revoked-sid:${claims.sid}`)
    .get(`${own}grants:${claims.sub}`)
    .exec();
  if (denied === 1) return null;
  const until = live.get(claims.sid);
  if (until === undefined || until <= Date.now()) {
    const { rows } = await pool.query(
      'SELECT 1 AS "exists" FROM sessions WHERE family_id = $1 AND revoked_at IS NULL LIMIT 1',
      [claims.sid],
    );
    if (rows.length === 0) return null;
    live.set(claims.sid, Date.now() + LIVE_CACHE_MS);
  }
  const { rows } = await pool.query(
    'SELECT * FROM users WHERE id = $1 AND deleted_at IS NULL AND is_active = true LIMIT 1',
    [claims.sub],
  );
  if (rows.length === 0) return null;
  return { row: rows[0], sid: claims.sid, grants: grants === null ? null : JSON.parse(grants) };
}

async function grantsOf(user) {
  if (user.grants) return user.grants;
  const id = user.row.id;
  const { rows: roles } = await pool.query(
    `SELECT r.id, r.name, r.level,
            (extract(epoch FROM ur.expires_at - clock_timestamp()) * 1000)::float8 AS "expiresInMs"
       FROM user_roles ur JOIN roles r ON r.id = ur.role_id
      WHERE ur.user_id = $1 AND (ur.expires_at IS NULL OR ur.expires_at > clock_timestamp())
      ORDER BY r.level DESC, r.name`,
    [id],
  );
  const { rows: rules } =
    roles.length === 0
      ? { rows: [] }
      : await pool.query('SELECT resource, action, conditions FROM permissions WHERE role_id = ANY($1::uuid[])', [
          roles.map((r) => r.id),
        ]);
  const grants = { roles: roles.map(({ id: rid, name, level }) => ({ id: rid, name, level })), rules };
  await redis.set(`${own}grants:${id}`, JSON.stringify(grants), 'EX', GRANTS_TTL_SECONDS);
  return grants;
}

const heldPermissions = (rules) =>
  PERMISSIONS.filter((permission) => {
    const [resource, action] = permission.split(':');
    return rules.some(
      (r) =>
        !r.conditions &&
        (r.resource === resource || r.resource === 'all') &&
        (r.action === action || r.action === 'manage'),
    );
  });

// ---- routes ----
app.get('/health', (_request, reply) => {
  void reply.header('cache-control', 'no-store');
  return { status: 'healthy', timestamp: new Date().toISOString(), version: VERSION, service: 'atrium-api' };
});

app.get('/api/v1/profiles/:username', async (request, reply) => {
  const { rows } = await pool.query(
    'SELECT * FROM users WHERE username_normalized = $1 AND deleted_at IS NULL AND is_active = true LIMIT 1',
    [request.params.username.trim().toLowerCase()],
  );
  if (rows.length === 0) return fail(reply, 404, 'NOT_FOUND', 'profile not found');
  const u = rows[0];
  const data = {
    username: u.username,
    firstName: u.first_name,
    lastName: u.last_name,
    bio: u.bio,
    avatarUrl: avatarUrl(u.avatar_key),
    memberSince: u.created_at.toISOString(),
  };
  void reply.header('etag', etagOf(data)).header('cache-control', 'public, max-age=0, must-revalidate');
  return envelope(request, data);
});

app.get('/api/v1/auth/me', async (request, reply) => {
  const user = await authenticate(request);
  if (!user) return fail(reply, 401, 'UNAUTHENTICATED', 'Sign in first');
  const grants = await grantsOf(user);
  return envelope(request, {
    ...userDto(user.row),
    roles: grants.roles.map((r) => r.name),
    permissions: heldPermissions(grants.rules),
  });
});

// The admin's users list, page 1 of 20, newest first: the page, its count, every row's roles in one query.
app.get('/api/v1/users', async (request, reply) => {
  const user = await authenticate(request);
  if (!user) return fail(reply, 401, 'UNAUTHENTICATED', 'Sign in first');
  const grants = await grantsOf(user);
  if (!heldPermissions(grants.rules).includes('users:read')) {
    return fail(reply, 403, 'FORBIDDEN', 'You need the "users:read" permission');
  }
  const page = 1;
  const perPage = 20;
  // One after the other, as TypeORM's getManyAndCount sends them.
  const { rows } = await pool.query(
    `SELECT * FROM users u WHERE u.deleted_at IS NULL
      ORDER BY date_trunc('milliseconds', u.created_at) DESC, u.id ASC LIMIT $1 OFFSET $2`,
    [perPage, (page - 1) * perPage],
  );
  const { rows: counted } = await pool.query(
    'SELECT COUNT(DISTINCT u.id)::int AS n FROM users u WHERE u.deleted_at IS NULL',
  );
  const { rows: assigned } = await pool.query(
    `SELECT ur.user_id, ur.role_id, r.name, r.level, ur.expires_at, ur.assigned_at
       FROM user_roles ur JOIN roles r ON r.id = ur.role_id
      WHERE ur.user_id = ANY($1::uuid[]) AND (ur.expires_at IS NULL OR ur.expires_at > now())
      ORDER BY r.level DESC, r.name`,
    [rows.map((u) => u.id)],
  );
  const roles = new Map(rows.map((u) => [u.id, []]));
  for (const a of assigned) {
    roles.get(a.user_id)?.push({
      roleId: a.role_id,
      name: a.name,
      level: a.level,
      expiresAt: a.expires_at?.toISOString() ?? null,
      assignedAt: a.assigned_at.toISOString(),
    });
  }
  const totalItems = counted[0].n;
  const totalPages = Math.max(1, Math.ceil(totalItems / perPage));
  const data = rows.map((u) => ({
    id: u.id,
    email: u.email,
    username: u.username,
    firstName: u.first_name,
    lastName: u.last_name,
    isActive: u.is_active,
    emailVerified: u.email_verified_at !== null,
    twoFactorEnabled: u.totp_enabled_at !== null,
    status: u.deleted_at ? 'deleted' : !u.is_active ? 'inactive' : !u.email_verified_at ? 'unverified' : 'active',
    createdAt: u.created_at.toISOString(),
    deletedAt: u.deleted_at?.toISOString() ?? null,
    roles: roles.get(u.id) ?? [],
  }));
  return envelope(request, data, {
    pagination: { page, perPage, totalItems, totalPages, hasNext: page < totalPages, hasPrev: page > 1 },
  });
});

// Public cache reads (feed page, post by slug): one GET of a JSON string, as Atrium keeps it. The
// first page and the post are primed with Atrium's own answer (see bench/README.md, "Fairness");
// cursor pages (feed-db, feed-deep) are loaded on a miss with Atrium's SQL and cached like it does.
const PUBLIC_CONTENT_TTL_SECONDS = 300;
let feedSql = '';
let commentSelect = '';
let threadSelect = '';
let selectList = '';
const FEED_FROM = `FROM posts p INNER JOIN users author ON author.id = p.author_id
    LEFT JOIN categories category ON category.id = p.category_id
   WHERE p.deleted_at IS NULL AND p.status = 'published' AND p.visibility = 'public'`;
async function prepareFeedSql() {
  const columns = async (table, skip = []) =>
    (
      await pool.query(
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
        [table],
      )
    ).rows
      .map((r) => r.column_name)
      .filter((c) => !skip.includes(c));
  const select = (alias, names) => names.map((c) => `"${alias}"."${c}" AS "${alias}_${c}"`);
  // Atrium's list select (posts.repository.ts, LIST_*_COLUMNS): the post without its bodies, the
  // author's public names, the category's name and slug.
  selectList = [
    ...select('p', [
      ...['id', 'author_id', 'title', 'category_id', 'cover_media_id', 'slug', 'excerpt', 'status', 'visibility'],
      ...['featured', 'published_at', 'scheduled_at', 'reading_time_minutes', 'reading_level', 'view_count'],
      ...['comment_count', 'comments_open', 'created_at', 'updated_at'],
    ]),
    ...select('author', ['id', 'username', 'first_name', 'last_name', 'avatar_key']),
    ...select('category', ['id', 'name', 'slug']),
  ].join(', ');
  // A written comment read back: TypeORM's select list, every column of the comment and of its author.
  commentSelect = [...select('c', await columns('comments')), ...select('author', await columns('users'))].join(', ');
  // Threads: Atrium's narrower select (comments.repository.ts, THREAD_*_COLUMNS).
  threadSelect = [
    ...select('c', ['id', 'post_id', 'author_id', 'parent_id', 'depth', 'body_markdown', 'body_html', 'status']),
    ...select('c', ['created_at', 'edited_at', 'deleted_at']),
    ...select('author', ['id', 'username', 'avatar_key']),
  ].join(', ');
  feedSql = `SELECT ${selectList} ${FEED_FROM}
     AND ((p.published_at, p.id) < ($1, $2))
   ORDER BY p.published_at DESC, p.id DESC LIMIT $3`;
}

/** Post rows (TypeORM's aliases) to list items: one query for every row's tags. */
async function summariesOf(page) {
  const { rows: tagRows } = await pool.query(
    `SELECT pt.post_id, t.id, t.name, t.slug, t.color, t.usage_count, t.created_at, t.updated_at
       FROM post_tags pt JOIN tags t ON t.id = pt.tag_id
      WHERE pt.post_id = ANY($1::uuid[])
      ORDER BY t.name, t.id`,
    [page.map((r) => r.p_id)],
  );
  const tags = new Map(page.map((r) => [r.p_id, []]));
  for (const t of tagRows) {
    tags.get(t.post_id)?.push({ id: t.id, name: t.name, slug: t.slug, color: t.color?.toLowerCase() ?? null });
  }
  // Seeded posts have no cover, so the cover query Atrium would send never runs on either side.
  return page.map((r) => ({
    id: r.p_id,
    title: r.p_title,
    slug: r.p_slug,
    excerpt: r.p_excerpt,
    status: r.p_status,
    visibility: r.p_visibility,
    featured: r.p_featured,
    publishedAt: r.p_published_at?.toISOString() ?? null,
    scheduledAt: r.p_scheduled_at?.toISOString() ?? null,
    readingTimeMinutes: r.p_reading_time_minutes,
    readingLevel: r.p_reading_level,
    viewCount: r.p_view_count,
    commentCount: r.p_comment_count,
    commentsOpen: r.p_comments_open,
    author: {
      id: r.author_id,
      username: r.author_username,
      firstName: r.author_first_name,
      lastName: r.author_last_name,
      avatarUrl: avatarUrl(r.author_avatar_key),
    },
    category: r.category_id ? { id: r.category_id, name: r.category_name, slug: r.category_slug } : null,
    tags: tags.get(r.p_id) ?? [],
    cover: null,
    createdAt: r.p_created_at.toISOString(),
    updatedAt: r.p_updated_at.toISOString(),
  }));
}

const MARK_START = '\u0002';
const MARK_END = '\u0003';
const escapeHtml = (text) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
function snippetHtml(raw) {
  const text = raw
    .replace(/^[ \t]*(?:[-+*]|\d+[.)])[ \t]+/gm, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\]\([^)]*\)/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/[*_`#>~[\]]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const marks = text.replace(new RegExp(`[^${MARK_START}${MARK_END}]`, 'g'), '');
  const balanced = marks === `${MARK_START}${MARK_END}`.repeat(marks.length / 2);
  const html = escapeHtml(text);
  return balanced
    ? html.replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>')
    : html.replaceAll(MARK_START, '').replaceAll(MARK_END, '');
}

/** Search by words, page 1 of 20: the newest 500 matches, ranked, in one transaction as Atrium runs it. */
async function searchPage(text) {
  const perPage = 20;
  const query = `websearch_to_tsquery('english', $1)`;
  const client = await pool.connect();
  let ids;
  let rows;
  try {
    await client.query('BEGIN');
    // A phrase: the same word pairs as Atrium's (decision 87), found by the same statement.
    let pairs = null;
    if (mayHoldPhrase(text)) {
      const { rows: tree } = await client.query(`SELECT querytree(${query})::text AS tree`, [text]);
      pairs = wordPairsQuery(tree[0]?.tree ?? '');
    }
    ({ rows: ids } = await client.query(
      `SELECT p.id AS p_id ${FEED_FROM} AND p.search_vector @@ ${query}
         ${pairs ? 'AND tsvector_word_pairs(p.search_vector) @@ $2::tsquery' : ''}
        ORDER BY p.published_at DESC, p.id DESC LIMIT 500`,
      pairs ? [text, pairs] : [text],
    ));
    ({ rows } = await client.query(
      `SELECT ${selectList}, ts_rank_cd(p.search_vector, ${query}) AS rank,
              ts_headline('english', translate(p.body_markdown, chr(2) || chr(3), ''), ${query},
                'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxFragments=2, MinWords=6, MaxWords=24, FragmentDelimiter=" … "') AS snippet
         ${FEED_FROM} AND p.id = ANY($2::uuid[])
        ORDER BY rank DESC, p.published_at DESC NULLS LAST, p.id DESC LIMIT ${perPage} OFFSET 0`,
      [text, ids.map((r) => r.p_id)],
    ));
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  const summaries = await summariesOf(rows);
  const items = summaries.map((item, i) => ({
    ...item,
    match: { by: 'words', rank: Math.round(Number(rows[i].rank) * 1e6) / 1e6, snippet: snippetHtml(rows[i].snippet) },
  }));
  const totalItems = ids.length;
  const totalPages = Math.max(1, Math.ceil(totalItems / perPage));
  return {
    items,
    meta: {
      pagination: {
        page: 1,
        perPage,
        totalItems,
        totalPages,
        hasNext: 1 < totalPages,
        hasPrev: false,
        ...(ids.length >= 500 ? { totalItemsCapped: true } : {}),
      },
    },
  };
}

async function loadFeedPage(cursor, limit) {
  const { rows } = await pool.query(feedSql, [new Date(cursor.publishedAt), cursor.id, limit + 1]);
  const page = rows.slice(0, limit);
  const items = await summariesOf(page);
  const last = page.at(-1);
  const next =
    rows.length > limit && last
      ? Buffer.from(JSON.stringify({ publishedAt: last.p_published_at.toISOString(), id: last.p_id })).toString(
          'base64url',
        )
      : null;
  return { items, meta: { cursor: { next, hasNext: next !== null } } };
}

app.get('/api/v1/posts', async (request, reply) => {
  const cacheKey = `${own}list:${new URLSearchParams(request.query).toString()}`;
  const cached = await redis.get(cacheKey);
  let page;
  if (cached !== null) page = JSON.parse(cached);
  else if (typeof request.query.q === 'string' && request.query.q.trim() !== '') {
    page = await searchPage(request.query.q);
    await redis.set(cacheKey, JSON.stringify(page), 'EX', PUBLIC_CONTENT_TTL_SECONDS);
  } else if (typeof request.query.cursor === 'string') {
    let cursor;
    try {
      cursor = JSON.parse(Buffer.from(request.query.cursor, 'base64url').toString('utf8'));
    } catch {
      cursor = null;
    }
    if (!cursor || typeof cursor.publishedAt !== 'string' || !UUID.test(cursor.id)) {
      return fail(reply, 400, 'VALIDATION_FAILED', 'cursor must be a cursor from meta.cursor.next');
    }
    page = await loadFeedPage(cursor, Math.min(100, Number(request.query.limit ?? 20) || 20));
    await redis.set(cacheKey, JSON.stringify(page), 'EX', PUBLIC_CONTENT_TTL_SECONDS);
  } else return fail(reply, 503, 'NOT_PRIMED', 'the reference serves the first page from its cache only');
  void reply
    .header('etag', etagOf(page.items))
    .header('cache-control', 'public, max-age=0, must-revalidate')
    .header('vary', 'Authorization');
  return envelope(request, page.items, page.meta);
});

app.get('/api/v1/posts/:id', async (request, reply) => {
  const slug = request.params.id.toLowerCase();
  const viewer = `a:${createHash('sha256')
    .update(`${request.ip}\n${request.headers['user-agent'] ?? ''}`)
    .digest('base64url')
    .slice(0, 22)}`;
  const cached = await redis.get(`${own}post:${slug}`);
  if (cached === null) return fail(reply, 404, 'NOT_FOUND', 'post not found');
  const post = JSON.parse(cached);
  await redis.refViewRecord(`${own}views:seen:${post.id}:${viewer}`, `${own}views:pending`, VIEW_DEDUPE_MS, post.id);
  void reply
    .header('etag', etagOf({ ...post, viewCount: 0, commentCount: 0 }))
    .header('cache-control', 'public, max-age=0, must-revalidate')
    .header('vary', 'Authorization');
  return envelope(request, post);
});

// A post's comment threads, 20 roots and their replies, for an anonymous reader: the post from the
// public cache (primed like post-by-slug); the first page from the public cache as Atrium keeps it
// for signed-out readers (decision 105), read and cached on a miss; a page after a cursor
// (comments-thread-db) read from Postgres, the roots, then every reply of them.
const COMMENT_EDIT_WINDOW_MS = 15 * 60_000;
app.get('/api/v1/posts/:id/comments', async (request, reply) => {
  const cached = await redis.get(`${own}post:${request.params.id.toLowerCase()}`);
  if (cached === null) return fail(reply, 404, 'NOT_FOUND', 'post not found');
  const post = JSON.parse(cached);
  const after = request.query.cursor ? JSON.parse(Buffer.from(request.query.cursor, 'base64url').toString()).id : null;
  if (after !== null && !UUID.test(after)) return fail(reply, 400, 'VALIDATION_FAILED', 'cursor must be a cursor');
  const pageKey = `${own}threads:${post.id}`;
  const kept = after === null ? await redis.get(pageKey) : null;
  if (kept !== null) {
    const { items, next } = JSON.parse(kept);
    return envelope(request, items, { cursor: { next, hasNext: next !== null } });
  }
  const limit = 20;
  const { rows: roots } = await pool.query(
    `SELECT ${threadSelect} FROM comments c INNER JOIN users author ON author.id = c.author_id
      WHERE c.post_id = $1 AND c.parent_id IS NULL
        AND (c.status = 'approved' OR c.author_id = $2 OR (c.deleted_at IS NOT NULL AND EXISTS (SELECT 1 FROM comments r WHERE r.root_id = c.id AND r.id <> c.id)))
        ${after === null ? '' : 'AND c.id > $4'}
      ORDER BY c.id ASC LIMIT $3`,
    after === null ? [post.id, null, limit + 1] : [post.id, null, limit + 1, after],
  );
  const page = roots.slice(0, limit);
  const { rows: replies } =
    page.length === 0
      ? { rows: [] }
      : await pool.query(
          `SELECT ${threadSelect} FROM comments c INNER JOIN users author ON author.id = c.author_id
            WHERE c.root_id = ANY($1::uuid[]) AND c.parent_id IS NOT NULL ORDER BY c.id ASC`,
          [page.map((r) => r.c_id)],
        );
  const all = [...page, ...replies];
  const nodes = new Map();
  for (const c of all) {
    const deleted = c.c_deleted_at !== null;
    nodes.set(c.c_id, {
      id: c.c_id,
      postId: c.c_post_id,
      parentId: c.c_parent_id,
      depth: c.c_depth,
      status: c.c_status,
      deleted,
      body: deleted ? null : c.c_body_markdown,
      html: deleted ? null : c.c_body_html,
      author: deleted
        ? null
        : { id: c.author_id, username: c.author_username, avatarUrl: avatarUrl(c.author_avatar_key) },
      createdAt: c.c_created_at.toISOString(),
      editedAt: c.c_edited_at?.toISOString() ?? null,
      editableUntil: new Date(c.c_created_at.getTime() + COMMENT_EDIT_WINDOW_MS).toISOString(),
      replies: [],
    });
  }
  for (const r of replies) nodes.get(r.c_parent_id)?.replies.push(nodes.get(r.c_id));
  const byId = new Map(all.map((c) => [c.c_id, c]));
  const prune = (node) => {
    const c = byId.get(node.id);
    if (c.c_deleted_at === null && c.c_status !== 'approved') return null;
    node.replies = node.replies.map(prune).filter((n) => n !== null);
    return c.c_deleted_at !== null && node.replies.length === 0 ? null : node;
  };
  const threads = page.map((root) => prune(nodes.get(root.c_id))).filter((n) => n !== null);
  const last = page.at(-1);
  const next =
    roots.length > limit && last ? Buffer.from(JSON.stringify({ id: last.c_id })).toString('base64url') : null;
  if (after === null)
    await redis.set(pageKey, JSON.stringify({ items: threads, next }), 'EX', PUBLIC_CONTENT_TTL_SECONDS);
  return envelope(request, threads, { cursor: { next, hasNext: next !== null } });
});

const seal = (text) => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return `v1.${iv.toString('base64url')}.${body.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
};

const commentDto = (c) => {
  const deleted = c.c_deleted_at !== null;
  return {
    id: c.c_id,
    postId: c.c_post_id,
    parentId: c.c_parent_id,
    depth: c.c_depth,
    status: c.c_status,
    deleted,
    body: deleted ? null : c.c_body_markdown,
    html: deleted ? null : c.c_body_html,
    author: deleted
      ? null
      : { id: c.author_id, username: c.author_username, avatarUrl: avatarUrl(c.author_avatar_key) },
    createdAt: c.c_created_at.toISOString(),
    editedAt: c.c_edited_at?.toISOString() ?? null,
    editableUntil: new Date(c.c_created_at.getTime() + COMMENT_EDIT_WINDOW_MS).toISOString(),
  };
};

// A signed-in reader's top-level comment (COMMENT_MODERATION=first: approved once they have one
// approved): the post from the cache, the row, its audit row, the post's count, the public caches
// dropped (a generation bump), the post author's notification in the outbox, the row read back.
app.post('/api/v1/posts/:id/comments', async (request, reply) => {
  const user = await authenticate(request);
  if (!user) return fail(reply, 401, 'UNAUTHENTICATED', 'Sign in first');
  const body = request.body ?? {};
  if (typeof body.body !== 'string' || body.body.trim() === '' || body.body.length > 10_000) {
    return fail(reply, 400, 'VALIDATION_FAILED', 'body is required');
  }
  const cached = await redis.get(`${own}post:${request.params.id.toLowerCase()}`);
  if (cached === null) return fail(reply, 404, 'NOT_FOUND', 'post not found');
  const post = JSON.parse(cached);
  if (!post.commentsOpen) return fail(reply, 409, 'COMMENTS_CLOSED', 'Comments are closed on this post');
  const grants = await grantsOf(user);
  const moderator = heldPermissions(grants.rules).includes('comments:moderate');
  const status =
    moderator ||
    (await pool.query(`SELECT 1 FROM comments WHERE author_id = $1 AND status = 'approved' LIMIT 1`, [user.row.id]))
      .rows.length > 0
      ? 'approved'
      : 'pending';
  const html = renderCommentMarkdown(body.body);
  const id = randomUUID();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO comments (id, root_id, post_id, author_id, parent_id, depth, body_markdown, body_html, status)
       VALUES ($1, $1, $2, $3, NULL, 0, $4, $5, $6) RETURNING created_at, updated_at`,
      [id, post.id, user.row.id, body.body, html, status],
    );
    await client.query(
      'INSERT INTO audit_events (id, actor_id, action, target, ip, user_agent, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [
        randomUUID(),
        user.row.id,
        'comment.created',
        `comment:${id}`,
        request.ip,
        request.headers['user-agent'] ?? null,
        { status },
      ],
    );
    if (status === 'approved') {
      const { rows: authors } = await client.query(
        `SELECT u.id, u.email, u.username FROM posts p JOIN users u ON u.id = p.author_id
          WHERE p.id = $1 AND u.is_active AND u.deleted_at IS NULL AND u.email_verified_at IS NOT NULL`,
        [post.id],
      );
      if (authors[0] && authors[0].id !== user.row.id) {
        await client.query(
          `INSERT INTO outbox_events (id, name, payload, dispatched_at) VALUES ($1, 'bench.reference.comment-published', $2, now())`,
          [
            randomUUID(),
            seal(
              JSON.stringify({
                commentId: id,
                slug: post.slug,
                title: post.title,
                excerpt: deriveExcerpt(plainText(html), 200),
                commenter: user.row.username,
                to: authors[0],
              }),
            ),
          ],
        );
      }
      // Last before the commit, as Atrium does: the post's row stays locked for one round trip.
      await client.query('UPDATE posts SET comment_count = comment_count + $2 WHERE id = $1', [post.id, 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  if (status === 'approved') await redis.incr(`${own}public-generation`);
  const { rows } = await pool.query(
    `SELECT ${commentSelect} FROM comments c INNER JOIN users author ON author.id = c.author_id WHERE c.id = $1 LIMIT 1`,
    [id],
  );
  return reply.code(201).send(envelope(request, commentDto(rows[0])));
});

app.post('/api/v1/auth/login', async (request, reply) => {
  const body = request.body ?? {};
  if (typeof body.login !== 'string' || typeof body.password !== 'string') {
    return fail(reply, 400, 'VALIDATION_FAILED', 'login and password are required');
  }
  const login = body.login.trim().toLowerCase();
  const { rows } = await pool.query(
    `SELECT * FROM users WHERE ${login.includes('@') ? 'email_normalized' : 'username_normalized'} = $1 AND deleted_at IS NULL LIMIT 1`,
    [login],
  );
  const user = rows[0];
  if (!user) return fail(reply, 401, 'INVALID_CREDENTIALS', 'Wrong login or password');
  // The lockout's bookkeeping, statement for statement.
  const subject = `user:${user.id}`;
  const clientKey = `${subject}|${request.ip}`;
  const reserve = (k) =>
    pool.query(
      `INSERT INTO sign_in_failures AS f (key, failures, window_started_at) VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN f.window_started_at <= now() - make_interval(secs => $2) THEN 1 ELSE f.failures + 1 END,
         window_started_at = CASE WHEN f.window_started_at <= now() - make_interval(secs => $2)
                                  THEN now() ELSE f.window_started_at END,
         locked_until = NULL
       WHERE f.locked_until IS NULL OR f.locked_until <= now()
       RETURNING failures`,
      [k, FAILURE_WINDOW_SECONDS],
    );
  await reserve(clientKey);
  await reserve(subject);
  const valid = await argonVerify(user.password_hash, body.password).catch(() => false);
  if (!valid || !user.is_active) return fail(reply, 401, 'INVALID_CREDENTIALS', 'Wrong login or password');
  await pool.query('DELETE FROM sign_in_failures WHERE key = ANY($1)', [[clientKey]]);
  await pool.query('UPDATE sign_in_failures SET failures = failures - 1 WHERE key = $1 AND failures > 0', [subject]);
  const familyId = randomUUID();
  const refreshToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + REFRESH_TTL_DAYS * 86_400_000);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows: signedInBefore } = await client.query(
      `UPDATE users u SET last_signed_in_at = now()
         FROM (SELECT id, last_signed_in_at AS before FROM users WHERE id = $1 FOR UPDATE) old
        WHERE u.id = old.id RETURNING old.before`,
      [user.id],
    );
    // Atrium's "known device" check (no "new sign-in" mail for a device the account has used).
    if (signedInBefore[0]?.before !== null) {
      await client.query(
        `SELECT EXISTS (
           SELECT 1 FROM sessions
            WHERE user_id = $1 AND ip IS NOT DISTINCT FROM $2 AND user_agent IS NOT DISTINCT FROM $3
              AND created_at > now() - make_interval(days => $4)
              AND (revoked_reason IS NULL OR revoked_reason IN ('rotated', 'logout', 'expired'))
         ) AS seen`,
        [user.id, request.ip, request.headers['user-agent']?.slice(0, 512) ?? null, 90],
      );
    }
    await client.query(
      `INSERT INTO sessions (id, user_id, family_id, token_hash, user_agent, ip, last_used_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now(), $7)`,
      [
        randomUUID(),
        user.id,
        familyId,
        createHash('sha256').update(refreshToken).digest('hex'),
        request.headers['user-agent']?.slice(0, 512) ?? null,
        request.ip,
        expiresAt,
      ],
    );
    await client.query(
      'INSERT INTO audit_events (id, actor_id, action, target, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6)',
      [randomUUID(), user.id, 'auth.login', `session:${familyId}`, request.ip, request.headers['user-agent'] ?? null],
    );
    // Atrium's outbox event, sealed like its payloads; marked dispatched so no worker picks it up.
    await client.query(
      `INSERT INTO outbox_events (id, name, payload, dispatched_at) VALUES ($1, 'bench.reference.signed-in', $2, now())`,
      [randomUUID(), seal(JSON.stringify({ userId: user.id, familyId, ip: request.ip }))],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  const token = jwt.sign({ sid: familyId, typ: 'access' }, key, {
    algorithm: 'HS256',
    subject: user.id,
    jwtid: randomUUID(),
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: ACCESS_TTL,
  });
  void reply.header(
    'set-cookie',
    `atrium_refresh=${refreshToken}; Path=/api/v1/auth; Expires=${expiresAt.toUTCString()}; HttpOnly; Secure; SameSite=Strict`,
  );
  return envelope(request, { accessToken: token, tokenType: 'Bearer', expiresIn: ACCESS_TTL, user: userDto(user) });
});

const server = env.REF_FRAMEWORK === 'nest' ? await nestFloor(nestRoutes, fastifyOptions) : app;
const close = async () => {
  await server.close();
  await pool.end();
  redis.disconnect();
  process.exit(0);
};
process.once('SIGTERM', () => void close());
process.once('SIGINT', () => void close());

await prepareFeedSql();
await server.listen({ port: Number(env.PORT ?? 3100), host: '127.0.0.1' });
console.log(`reference${env.REF_FRAMEWORK === 'nest' ? ' (NestJS floor)' : ''} listening on ${env.PORT ?? 3100}`);
