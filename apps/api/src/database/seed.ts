import { hash } from '@node-rs/argon2';
import type { DataSource } from 'typeorm';
import { ARGON2_OPTIONS } from '../common/crypto/argon2';

/** What `seed` makes; sizes follow the number of posts. */
export interface SeedOptions {
  posts: number;
  /** Everyone's password (printed at the end): the seeded accounts can sign in. */
  password: string;
  log?: (line: string) => void;
}

export interface SeedSummary {
  users: number;
  authors: number;
  categories: number;
  tags: number;
  posts: number;
  comments: number;
  ms: number;
}

const BATCH = 50_000;

/** Words the titles and bodies are drawn from (a harbour town's news: stems and stop words, like real text). */
const WORDS = `harbour tide lighthouse keeper boat gull storm sail fisher market bridge river coast island
  morning evening winter summer village council school garden festival music painter baker library
  bicycle tram station museum theatre ferry beach cliff forest meadow orchard vineyard bakery kitchen
  recipe journey letter history memory neighbour stranger friend family weather wind rain snow sun`
  .split(/\s+/)
  .filter(Boolean);

const SENTENCES = [
  'The morning ferry left the harbour before the gulls were awake.',
  'Nobody in the village remembers a winter as quiet as this one.',
  'The council met again to talk about the old bridge over the river.',
  'A painter set up her easel on the cliff and stayed until the light was gone.',
  'At the market the fisher sold out of mackerel before nine.',
  'The lighthouse keeper keeps a logbook of every storm since 1974.',
  'Children from the school planted an orchard behind the library.',
  'The tram to the station runs every twenty minutes, except on festival days.',
  'When the tide goes out you can walk to the island, if you know the way.',
  'The bakery opens at six and the queue starts at a quarter to.',
];

const sqlArray = (items: string[]): string => `ARRAY[${items.map((w) => `'${w.replace(/'/g, "''")}'`).join(',')}]`;

/**
 * The SQL expression of post number `n`'s title, "Tide and the storm of the ferry by the river":
 * four words picked by the base-55 digits of a permutation of `n` (7 919 is prime to 55⁴), so no
 * two of the first 55⁴ (9.1 million) posts share a title, as real titles seldom do, and
 * neighbouring posts differ in their first three words. (Titles of two words picked from `n`,
 * 3 025 in all, made the bench's rare phrase the title of 3 posts at 10 000 and of 330 at a
 * million; decision 111.)
 */
export function seededTitleSql(n: string): string {
  const words = sqlArray(WORDS);
  const size = WORDS.length;
  const word = (digit: number): string =>
    `(${words})[1 + ((${n})::bigint * 7919 % ${size ** 4}) / ${size ** digit} % ${size}]`;
  return `initcap(${word(0)}) || ' and the ' || ${word(1)} || ' of the ' || ${word(2)} || ' by the ' || ${word(3)}`;
}

/**
 * The SQL of the comments seeded on a published post number `n`, one row each with its `k` (1, and
 * 2 on even posts) and `status` (one in 25 pending). The comments are written from it, and their
 * post's `comment_count` counted from it as the post is written: a post is never written twice
 * (an `UPDATE` of every post after its comments rewrote each row, its search vector and its two
 * search indexes, and left the feed index half empty).
 */
function seededCommentsSql(n: string): string {
  return `(SELECT k, CASE WHEN (${n} + k) % 25 = 0 THEN 'pending' ELSE 'approved' END AS status
             FROM generate_series(1, 2) AS k WHERE ${n} % 2 = 0 OR k = 1)`;
}

/**
 * Realistic content, set-based: every table is filled by a handful of `INSERT … SELECT` over
 * `generate_series` (in batches of 50 000 posts), never row by row. Authors, readers, a tree of
 * categories, tags, posts (Markdown and its HTML, most published over three years, some
 * members-only, drafts and scheduled ones), tags on posts, comments and replies. The counters are
 * exact: a post's comment count is counted from the comments it will have as the post is written,
 * the tags' usage at the end (200 rows).
 */
export async function seed(db: DataSource, options: SeedOptions): Promise<SeedSummary> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const posts = options.posts;
  const authors = Math.max(5, Math.ceil(posts / 200));
  const readers = Math.max(20, Math.ceil(posts / 20));
  const run = Date.now().toString(36);
  const passwordHash = await hash(options.password, ARGON2_OPTIONS);
  const words = sqlArray(WORDS);
  const sentences = sqlArray(SENTENCES);
  const nWords = WORDS.length;
  // One connection throughout: the numbering tables below are temporary (this session's).
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    return await fill();
  } finally {
    await runner.release();
  }

  async function fill(): Promise<SeedSummary> {
    const q = (text: string, params: unknown[] = []): Promise<unknown> => runner.query(text, params);

    log(`users: ${authors} authors, ${readers} readers`);
    await q(
      `INSERT INTO users (id, email, email_normalized, username, username_normalized, password_hash, first_name, email_verified_at, created_at)
     SELECT gen_random_uuid(), u || '@seed.example.com', u || '@seed.example.com', u, u, $1,
            initcap((${words})[1 + (i * 7) % ${nWords}]), now(), now() - (i % 1000) * interval '1 day'
       FROM generate_series(1, $2::int) AS i, LATERAL (SELECT 'seed_' || $3 || '_' || i AS u) AS name`,
      [passwordHash, authors + readers, run],
    );
    await q(
      `INSERT INTO user_roles (id, user_id, role_id)
     SELECT gen_random_uuid(), u.id, r.id FROM users u, roles r
      WHERE u.username LIKE $1 AND (r.name = 'user' OR (r.name = 'author' AND split_part(u.username, '_', 3)::int <= $2))`,
      [`seed\\_${run}\\_%`, authors],
    );

    // People and posts by number, so that rows are picked by a join, never by indexing a large array
    // (which Postgres would copy for every row).
    await q(
      `CREATE TEMP TABLE seed_people AS SELECT split_part(username, '_', 3)::int AS n, id FROM users WHERE username LIKE $1`,
      [`seed\\_${run}\\_%`],
    );
    await q(`ALTER TABLE seed_people ADD PRIMARY KEY (n)`);
    await q(`ANALYZE seed_people`);
    await q(
      `CREATE TEMP TABLE seed_posts (n int PRIMARY KEY, id uuid NOT NULL, status text NOT NULL, published_at timestamptz)`,
    );

    log('categories and tags');
    await q(
      `WITH top AS (
       INSERT INTO categories (id, name, slug, description, sort_order)
       SELECT gen_random_uuid(), initcap(w), 'seed-' || $1 || '-' || w, 'Stories about the ' || w, i
         FROM unnest((${words})[1:10]) WITH ORDINALITY AS t(w, i)
       RETURNING id, slug, sort_order
     )
     INSERT INTO categories (id, name, slug, parent_id, sort_order)
     SELECT gen_random_uuid(), initcap((${words})[11 + (top.sort_order * 5 + j) % 40]) || ' ' || j, top.slug || '-' || j, top.id, j
       FROM top, generate_series(1, 4) AS j`,
      [run],
    );
    await q(
      `INSERT INTO tags (id, name, slug, color)
     SELECT gen_random_uuid(), initcap((${words})[1 + i % ${nWords}]) || ' ' || i, 'seed-' || $1 || '-tag-' || i,
            CASE WHEN i % 3 = 0 THEN '#1c7ed6' END
       FROM generate_series(1, 200) AS i`,
      [run],
    );

    for (let from = 1; from <= posts; from += BATCH) {
      const to = Math.min(posts, from + BATCH - 1);
      log(`posts ${from}–${to}`);
      await q(
        `WITH c AS (SELECT array_agg(id ORDER BY slug) AS ids FROM categories WHERE slug LIKE $5),
            inserted AS (
       INSERT INTO posts (id, author_id, title, slug, body_markdown, body_html, excerpt, status, visibility, featured,
                          published_at, scheduled_at, reading_time_minutes, reading_level, view_count, category_id, created_at, updated_at, version,
                          comment_count)
       SELECT gen_random_uuid(),
              a.id,
              title,
              'seed-' || $3 || '-' || i,
              '## ' || title || E'\\n\\n' || para || E'\\n\\n' || para2,
              '<h2>' || title || '</h2><p>' || para || '</p><p>' || para2 || '</p>',
              left(para, 200),
              s.status,
              CASE WHEN i % 20 = 0 THEN 'members' ELSE 'public' END,
              i % 100 = 1,
              CASE WHEN i % 50 = 0 OR i % 97 = 0 THEN NULL
                   ELSE date_trunc('milliseconds', now() - ((i::bigint * 7919) % 1095) * interval '1 day' - (i % 86400) * interval '1 second') END,
              CASE WHEN i % 97 = 0 AND i % 50 <> 0 THEN now() + (1 + i % 30) * interval '1 day' END,
              1 + i % 9,
              round((2 + (i * 31 % 140) / 10.0)::numeric, 1),
              (i * 7) % 5000,
              c.ids[1 + i % array_length(c.ids, 1)],
              now() - ((i::bigint * 7919) % 1095) * interval '1 day',
              now() - ((i::bigint * 7919) % 1095) * interval '1 day',
              1,
              CASE WHEN s.status = 'published'
                   THEN (SELECT count(*) FROM ${seededCommentsSql('i')} AS k WHERE k.status = 'approved') ELSE 0 END
         FROM generate_series($1::int, $2::int) AS i
              JOIN seed_people a ON a.n = 1 + i % $4, c,
              LATERAL (SELECT CASE WHEN i % 50 = 0 THEN 'draft' WHEN i % 97 = 0 THEN 'scheduled' WHEN i % 89 = 0 THEN 'archived'
                                   ELSE 'published' END AS status) AS s,
              LATERAL (SELECT ${seededTitleSql('i')} AS title) AS t,
              LATERAL (SELECT (${sentences})[1 + i % 10] || ' ' || (${sentences})[1 + (i / 10) % 10] || ' The '
                              || (${words})[1 + (i * 3) % ${nWords}] || ' and the ' || (${words})[1 + (i * 5) % ${nWords}]
                              || ' were in everyone''s mind.' AS para,
                              (${sentences})[1 + (i / 100) % 10] || ' ' || (${sentences})[1 + (i * 7) % 10]
                              -- A rare word, in about one post in ten thousand.
                              || CASE WHEN i % 9973 = 0 THEN ' A narwhal swam into the harbour.' ELSE '' END AS para2) AS b
       RETURNING id, slug, status, published_at)
       INSERT INTO seed_posts (n, id, status, published_at)
       SELECT split_part(slug, '-', 3)::int, id, status, published_at FROM inserted`,
        [from, to, run, authors, `seed-${run}-%`],
      );
      await q(
        `INSERT INTO post_tags (post_id, tag_id)
       SELECT DISTINCT p.id, t.ids[1 + (n * 37 + k * 11) % array_length(t.ids, 1)]
         FROM (SELECT id, n FROM seed_posts WHERE n BETWEEN $1 AND $2) AS p,
              (SELECT array_agg(id ORDER BY slug) AS ids FROM tags WHERE slug LIKE $3) AS t,
              generate_series(1, 3) AS k
        WHERE k <= 1 + p.n % 3
       ON CONFLICT DO NOTHING`,
        [from, to, `seed-${run}-tag-%`],
      );
      await q(
        // Readable seeded comments are old news: their post's author counts as told of them (decision 116).
        `INSERT INTO comments (id, post_id, author_id, root_id, depth, body_markdown, body_html, status, created_at,
                              author_notified_at)
       SELECT cid, post_id, author_id, cid, 0, body, '<p>' || body || '</p>', status, created_at,
              CASE WHEN status = 'approved' THEN created_at END
         FROM (SELECT gen_random_uuid() AS cid, p.id AS post_id, r.id AS author_id,
                      (${sentences})[1 + (p.n + k.k) % 10] AS body,
                      k.status,
                      p.published_at + k.k * interval '1 hour' AS created_at
                 FROM (SELECT id, published_at, n FROM seed_posts WHERE status = 'published' AND n BETWEEN $1 AND $2) AS p
                CROSS JOIN LATERAL ${seededCommentsSql('p.n')} AS k
                 JOIN seed_people r ON r.n = 1 + (p.n * 17 + k.k) % $3) AS c`,
        [from, to, authors + readers],
      );
    }

    log('counters');
    await q(
      `UPDATE tags t SET usage_count = c.n FROM (
       SELECT pt.tag_id, count(*)::int AS n FROM post_tags pt JOIN posts p ON p.id = pt.post_id
        WHERE p.deleted_at IS NULL GROUP BY pt.tag_id) AS c
      WHERE t.id = c.tag_id`,
    );
    log('analyze');
    await q('ANALYZE');
    const [{ n: comments }] = (await q(
      `SELECT count(*)::int AS n FROM seed_posts sp JOIN comments c ON c.post_id = sp.id`,
    )) as Array<{ n: number }>;
    return { users: authors + readers, authors, categories: 50, tags: 200, posts, comments, ms: Date.now() - started };
  }
}
