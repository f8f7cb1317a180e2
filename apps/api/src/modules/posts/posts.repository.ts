import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { DriverUtils } from 'typeorm/driver/DriverUtils';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import type { SortDirection } from '../../common/http/list';
import { Transactions } from '../../database/transactions';
import { UserEntity } from '../identity/entities/user.entity';
import type { CategoryEntity } from '../taxonomy/entities/category.entity';
import type { SqlCondition } from '../authorization/policy.service';
import { PostRevisionEntity } from './entities/post-revision.entity';
import { PostSlugEntity } from './entities/post-slug.entity';
import { PostEntity, type PostStatus, SEARCH_CONFIG } from './entities/post.entity';
import { mayHoldPhrase, WORD_PAIRS_SQL, wordPairsQuery } from './search-pairs';

/**
 * Sort keys of the public list and the column each orders by. `published_at` is written by the
 * app (millisecond precision, as the cursor carries it), so the feed index serves the default order.
 */
export const POST_SORT_COLUMNS = {
  publishedAt: 'p.published_at',
  viewCount: 'p.view_count',
  title: 'p.title',
} as const;

/** "My posts": `updated_at` comes from the database (microseconds), cut to the cursor's milliseconds. */
export const MY_POST_SORT_COLUMNS = {
  updatedAt: `date_trunc('milliseconds', p.updated_at)`,
  createdAt: `date_trunc('milliseconds', p.created_at)`,
  title: 'p.title',
} as const;

export interface PostSearch {
  /** Public list: published only, and members-only posts for signed-in readers. */
  published?: { includeMembers: boolean };
  authorId?: string;
  authorUsername?: string;
  /** Filed under one of these categories (an unknown category: an empty list). */
  categoryIds?: string[];
  tagSlug?: string;
  status?: PostStatus;
  featured?: boolean;
  maxReadingLevel?: number;
  sort: ReadonlyArray<{ column: string; direction: SortDirection }>;
  after?: SqlCondition;
}

export type PostWithAuthor = PostEntity & { author: UserEntity; category: CategoryEntity | null };

/** The columns a list shows of a post (PostSummaryDto): everything but its bodies and bookkeeping. */
const LIST_POST_COLUMNS = [
  ...['id', 'authorId', 'title', 'categoryId', 'coverMediaId', 'slug', 'excerpt', 'status', 'visibility'],
  ...['featured', 'publishedAt', 'scheduledAt', 'readingTimeMinutes', 'readingLevel', 'viewCount'],
  ...['commentCount', 'commentsOpen', 'createdAt', 'updatedAt'],
] as const satisfies ReadonlyArray<keyof PostEntity>;
/** What a list shows of the author (their public names) and of the category. */
const LIST_AUTHOR_COLUMNS = ['id', 'username', 'firstName', 'lastName', 'avatarKey'] as const satisfies ReadonlyArray<
  keyof UserEntity
>;
const LIST_CATEGORY_COLUMNS = ['id', 'name', 'slug'] as const satisfies ReadonlyArray<keyof CategoryEntity>;

/**
 * A post as lists load it: without its Markdown and HTML bodies (the largest columns by far, never
 * shown in a list) and with only the public side of its author — a page of the feed used to read
 * every column of 21 posts and their authors (password hashes included) to show a summary.
 */
export type PostListRow = Pick<PostEntity, (typeof LIST_POST_COLUMNS)[number]> & {
  author: Pick<UserEntity, (typeof LIST_AUTHOR_COLUMNS)[number]>;
  category: Pick<CategoryEntity, (typeof LIST_CATEGORY_COLUMNS)[number]> | null;
};

/** How a search found a post: by its words (full-text, ranked) or by a title like the query (trigrams). */
export type SearchMatch = 'words' | 'similar';

/** A post a search found, its relevance and the text around the match (`\u0002`…`\u0003` around the words). */
export interface SearchHit {
  post: PostListRow;
  rank: number;
  snippet: string;
}

/** Marks ts_headline puts around matched words; removed from the text first, so only its marks are marks. */
export const MARK_START = '\u0002';
export const MARK_END = '\u0003';

/** Lists count up to this many rows (a count of a million rows would cost more than the page). */
export const COUNT_CAP = 10_000;

/** Search ranks the newest this many matches: ranking every match of a common word would read them all. */
export const SEARCH_CANDIDATES = 500;

/** The search's words as a tsquery (`websearch_to_tsquery`), of the named parameter `text`. */
const WORDS_QUERY = `websearch_to_tsquery('${SEARCH_CONFIG}', :text)`;

/** A title counts as like the query from this word similarity up (pg_trgm's default, 0.6, misses "harbur"). */
const SIMILAR_TITLE_THRESHOLD = 0.5;

/** A list statement's parts that vary: its conditions (SQL with named parameters) and its order. */
interface ListParts {
  where: string[];
  params: Record<string, unknown>;
  order: Array<[column: string, direction: SortDirection]>;
}

/** The conditions and order of the posts `search` asks for (and past `after`, a keyset cursor's). */
function listParts(search: PostSearch, after?: SqlCondition): ListParts {
  const where = ['p.deleted_at IS NULL'];
  const params: Record<string, unknown> = {};
  const and = (condition: string, values?: Record<string, unknown>) => {
    where.push(condition);
    Object.assign(params, values);
  };
  if (search.published) {
    and(`p.status = 'published'`);
    if (!search.published.includeMembers) and(`p.visibility = 'public'`);
  }
  if (search.authorId) and('p.author_id = :authorId', { authorId: search.authorId });
  if (search.authorUsername) {
    and('author.username_normalized = :username', { username: search.authorUsername.toLowerCase() });
  }
  if (search.categoryIds) {
    if (search.categoryIds.length === 0) and('false');
    else and('p.category_id IN (:...categoryIds)', { categoryIds: search.categoryIds });
  }
  if (search.tagSlug) {
    and(
      'EXISTS (SELECT 1 FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = p.id AND t.slug = :tagSlug)',
      { tagSlug: search.tagSlug.toLowerCase() },
    );
  }
  if (search.status) and('p.status = :status', { status: search.status });
  if (search.featured !== undefined) and('p.featured = :featured', { featured: search.featured });
  if (search.maxReadingLevel !== undefined) and('p.reading_level <= :level', { level: search.maxReadingLevel });
  if (after) and(after.sql, after.params);
  // The tie-breaker follows the first key's direction, so the feed reads its index backwards.
  const order = search.sort.map((key): [string, SortDirection] => [key.column, key.direction]);
  order.push(['p.id', search.sort[0]?.direction ?? 'DESC']);
  return { where, params, order };
}

/** How many list statements' texts are kept: far more than the filters and orders can combine into. */
const KEPT_STATEMENTS = 256;

/** A row count for LIMIT or OFFSET, which are written into the statement's text. */
function integer(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`Not a row count: ${value}`);
  return value;
}

/** TypeORM's LIMIT and OFFSET for Postgres, as its query builder writes them, after a kept text. */
function paged(text: string, limit?: number, offset?: number): string {
  if (limit !== undefined) text += ` LIMIT ${integer(limit)}`;
  if (offset !== undefined) text += ` OFFSET ${integer(offset)}`;
  return text;
}

/** Every query and write of `posts` and `post_slugs`. */
@Injectable()
export class PostsRepository {
  constructor(private readonly tx: Transactions) {}

  private get posts() {
    return this.tx.repository(PostEntity);
  }

  private get slugs() {
    return this.tx.repository(PostSlugEntity);
  }

  // One statement: findOne() with relations sends two (a DISTINCT query for the id, then the row).
  async findById(id: string): Promise<PostWithAuthor | null> {
    return (await this.withAuthorAndCategory().where('post.id = :id', { id }).getOne()) as PostWithAuthor | null;
  }

  async findBySlug(slug: string): Promise<PostWithAuthor | null> {
    return (await this.withAuthorAndCategory().where('post.slug = :slug', { slug }).getOne()) as PostWithAuthor | null;
  }

  private withAuthorAndCategory() {
    return this.posts
      .createQueryBuilder('post')
      .leftJoinAndSelect('post.author', 'author')
      .leftJoinAndSelect('post.category', 'category');
  }

  /** What a comment needs of a published post (by id, or by its current slug), or null. */
  async findPublishedHeader(
    by: 'id' | 'slug',
    value: string,
  ): Promise<{ id: string; slug: string; title: string; commentsOpen: boolean } | null> {
    const rows: Array<{ id: string; slug: string; title: string; comments_open: boolean }> =
      await this.tx.manager.query(
        `SELECT id, slug, title, comments_open FROM posts
          WHERE ${by === 'id' ? 'id = $1' : 'slug = $1'} AND status = 'published' AND deleted_at IS NULL`,
        [value],
      );
    const row = rows[0];
    return row ? { id: row.id, slug: row.slug, title: row.title, commentsOpen: row.comments_open } : null;
  }

  /** The rendered HTML of each post (for feeds). */
  async htmlOf(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; body_html: string }> = await this.tx.manager.query(
      `SELECT id, body_html FROM posts WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row.body_html]));
  }

  /** Slugs and dates of the newest public published posts, for the sitemap. */
  async sitemapEntries(limit: number, offset = 0): Promise<Array<{ slug: string; updatedAt: Date }>> {
    const rows: Array<{ slug: string; updated_at: Date }> = await this.tx.manager.query(
      `SELECT slug, updated_at FROM posts
        WHERE status = 'published' AND visibility = 'public' AND deleted_at IS NULL
        ORDER BY published_at DESC, id DESC LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    return rows.map((row) => ({ slug: row.slug, updatedAt: row.updated_at }));
  }

  /** How many posts a signed-out reader may read (the sitemap's size). */
  async countPublic(): Promise<number> {
    const [row] = await this.tx.manager.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM posts WHERE status = 'published' AND visibility = 'public' AND deleted_at IS NULL`,
    );
    return row.n;
  }

  /** Replaces a post's rendered HTML only (its text and version stay). */
  async setHtml(id: string, html: string): Promise<void> {
    await this.tx.manager.query(`UPDATE posts SET body_html = $2 WHERE id = $1`, [id, html]);
  }

  /** The post's row, locked until the transaction ends (a concurrent edit waits, then sees this one's result). */
  async lockById(id: string): Promise<PostEntity | null> {
    return this.posts.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The post an old slug belonged to. */
  async findByOldSlug(slug: string): Promise<PostEntity | null> {
    const old = await this.slugs.findOne({ where: { slug } });
    return old ? this.posts.findOne({ where: { id: old.postId } }) : null;
  }

  /** Whether a slug is in use by a post (now or before), other than `exceptPostId`. */
  async slugTaken(slug: string, exceptPostId?: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.manager.query(
      `SELECT 1 FROM posts WHERE slug = $1 AND id IS DISTINCT FROM $2
       UNION ALL
       SELECT 1 FROM post_slugs WHERE slug = $1 AND post_id IS DISTINCT FROM $2
       LIMIT 1`,
      [slug, exceptPostId ?? null],
    );
    return rows.length > 0;
  }

  /** Slugs in use that start with `base` (for choosing `base-2`, `base-3` …). */
  async slugsLike(base: string): Promise<Set<string>> {
    const pattern = `${base.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows: Array<{ slug: string }> = await this.tx.manager.query(
      `SELECT slug FROM posts WHERE slug LIKE $1 UNION SELECT slug FROM post_slugs WHERE slug LIKE $1`,
      [pattern],
    );
    return new Set(rows.map((row) => row.slug));
  }

  async insert(post: Partial<PostEntity>): Promise<PostEntity> {
    return this.posts.save(this.posts.create(post));
  }

  async save(post: PostEntity): Promise<PostEntity> {
    return this.posts.save(post);
  }

  /**
   * Publishes the post if it is still scheduled for exactly `at` (dated `at`, or its first
   * publication date if it had one); whether it did.
   */
  async publishIfScheduledFor(postId: string, at: Date): Promise<boolean> {
    // UPDATE … RETURNING answers [rows, count] through the pg driver.
    const [rows] = await this.tx.manager.query<[unknown[], number]>(
      `UPDATE posts
          SET status = 'published', published_at = COALESCE(published_at, scheduled_at), scheduled_at = NULL,
              version = version + 1, updated_at = now()
        WHERE id = $1 AND status = 'scheduled' AND scheduled_at = $2 AND deleted_at IS NULL
        RETURNING id`,
      [postId, at],
    );
    return rows.length > 0;
  }

  /** Keeps the post's title and body as saved now, and only the newest `keep` revisions. */
  async addRevision(
    revision: Pick<PostRevisionEntity, 'postId' | 'title' | 'bodyMarkdown' | 'editorId' | 'editorUsername'>,
    keep: number,
  ): Promise<void> {
    const revisions = this.tx.repository(PostRevisionEntity);
    await revisions.save(revisions.create(revision));
    // Ids are UUIDv7: newest last in id order, even within one millisecond.
    await this.tx.manager.query(
      `DELETE FROM post_revisions WHERE post_id = $1 AND id NOT IN
         (SELECT id FROM post_revisions WHERE post_id = $1 ORDER BY id DESC LIMIT $2)`,
      [revision.postId, keep],
    );
  }

  /** A post's revisions, newest first. */
  async revisions(postId: string): Promise<PostRevisionEntity[]> {
    return this.tx.repository(PostRevisionEntity).find({ where: { postId }, order: { id: 'DESC' } });
  }

  async revision(postId: string, id: string): Promise<PostRevisionEntity | null> {
    return this.tx.repository(PostRevisionEntity).findOne({ where: { postId, id } });
  }

  /** Keeps `slug` answering for the post (its own old slug coming back is simply dropped from the list). */
  async rememberSlug(postId: string, slug: string): Promise<void> {
    await this.slugs.save(this.slugs.create({ postId, slug }));
  }

  async forgetSlug(postId: string, slug: string): Promise<void> {
    await this.slugs.delete({ postId, slug });
  }

  /** The list statement as a query builder writes it, unkept (what the kept texts must answer like). */
  private query(search: PostSearch): SelectQueryBuilder<PostEntity> {
    return this.builderOf(listParts(search));
  }

  private builderOf(parts: ListParts): SelectQueryBuilder<PostEntity> {
    const qb = this.posts
      .createQueryBuilder('p')
      .select(LIST_POST_COLUMNS.map((column) => `p.${column}`))
      .innerJoin('p.author', 'author')
      .addSelect(LIST_AUTHOR_COLUMNS.map((column) => `author.${column}`))
      .leftJoin('p.category', 'category')
      .addSelect(LIST_CATEGORY_COLUMNS.map((column) => `category.${column}`))
      .where(parts.where[0]);
    for (const condition of parts.where.slice(1)) qb.andWhere(condition);
    for (const [i, [column, direction]] of parts.order.entries()) {
      if (i === 0) qb.orderBy(column, direction);
      else qb.addOrderBy(column, direction);
    }
    return qb.setParameters(parts.params);
  }

  /**
   * A list statement and its parameters: its text as the query builder writes it, written once
   * per set of conditions and order and kept (decision 115), its parameters put in by the driver.
   * `count`: the ids of at most COUNT_CAP + 1 matching rows, unordered, for the page's total.
   */
  private statement(parts: ListParts, shape: 'rows' | 'count', limit?: number, offset?: number): [string, unknown[]] {
    const key = `${shape}\u0000${parts.where.join('\u0000')}\u0000${parts.order.flat().join('\u0000')}`;
    const text = this.kept(key, () => {
      const qb = this.builderOf(parts);
      return (
        shape === 'count'
          ? qb
              .orderBy()
              .select('p.id')
              .limit(COUNT_CAP + 1)
          : qb
      ).getQuery();
    });
    return this.withParameters(paged(text, limit, offset), parts.params);
  }

  /** The text `write` makes for `key`, written once and kept (at most KEPT_STATEMENTS, then anew). */
  private kept(key: string, write: () => string): string {
    let text = this.texts.get(key);
    if (text === undefined) {
      text = write();
      if (this.texts.size >= KEPT_STATEMENTS) this.texts.clear();
      this.texts.set(key, text);
    }
    return text;
  }

  /** A kept text's named parameters put in by the driver, as `getQueryAndParameters` does. */
  private withParameters(text: string, params: Record<string, unknown>): [string, unknown[]] {
    return this.tx.manager.connection.driver.escapeQueryWithParameters(text, params) as [string, unknown[]];
  }

  /** The list statements' texts, by their conditions and order. */
  private readonly texts = new Map<string, string>();

  /**
   * A page of the posts matching `text`: by their words (`websearch_to_tsquery`: words, "quoted
   * phrases", -excluded, or), ranked by `ts_rank_cd` over the weighted vector (title before excerpt
   * before body); or, with `match: 'similar'`, by titles with a word like the query (trigrams), most
   * alike first. Newest first among equals.
   */
  async search(
    search: Omit<PostSearch, 'sort' | 'after'>,
    text: string,
    match: SearchMatch,
    offset: number,
    limit: number,
  ): Promise<[SearchHit[], number, boolean]> {
    return this.tx.run(async () => {
      /** Words: how many candidates there are (they pass the same filters), and whether more match. */
      let candidateCount: { total: number; capped: boolean } | undefined;
      // In the transaction: the threshold is set for it alone, and the query must run on its connection.
      if (match === 'similar') {
        await this.tx.manager.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [
          String(SIMILAR_TITLE_THRESHOLD),
        ]);
      }
      // The statements' texts are written once per set of filters and kept (decision 122).
      const parts = listParts({ ...search, sort: [] });
      const conditions = parts.where.join('\u0000');
      const params: Record<string, unknown> = { ...parts.params, text };
      if (match === 'words') {
        // The newest SEARCH_CANDIDATES matches (by the feed index for a common word, by the GIN
        // index for a rare one), then ranked: the cost stays bounded however many posts match.
        // A phrase: only the posts where its words stand close together are read back (decision 87).
        const pairs = mayHoldPhrase(text) ? await this.wordPairsOf(text) : null;
        const candidates = this.kept(`candidates\u0000${pairs ? 'pairs' : ''}\u0000${conditions}`, () => {
          // Published posts have a date: the feed index serves this order (NULLS LAST would not).
          const qb = this.builderOf(parts)
            .orderBy('p.published_at', 'DESC')
            .addOrderBy('p.id', 'DESC')
            .andWhere(`p.search_vector @@ ${WORDS_QUERY}`)
            .select('p.id')
            .limit(SEARCH_CANDIDATES);
          if (pairs) qb.andWhere(`${WORD_PAIRS_SQL} @@ CAST(:pairs AS tsquery)`);
          return qb.getQuery();
        });
        const ids: Array<{ p_id: string }> = await this.tx.manager.query(
          ...this.withParameters(candidates, { ...params, pairs }),
        );
        candidateCount = { total: ids.length, capped: ids.length >= SEARCH_CANDIDATES };
        params.candidateIds = ids.length ? ids.map((row) => row.p_id) : [null];
      }
      const ranked = this.kept(`search\u0000${match}\u0000${conditions}`, () => {
        const qb = this.builderOf(parts);
        if (match === 'words') {
          qb.andWhere('p.id IN (:...candidateIds)')
            .addSelect(`ts_rank_cd(p.search_vector, ${WORDS_QUERY})`, 'rank')
            .addSelect(
              `ts_headline('${SEARCH_CONFIG}', translate(p.body_markdown, chr(2) || chr(3), ''), ${WORDS_QUERY},
               'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxFragments=2, MinWords=6, MaxWords=24, FragmentDelimiter=" … "')`,
              'snippet',
            );
        } else {
          qb.andWhere(`:text <% p.title`)
            .addSelect(`word_similarity(:text, p.title)`, 'rank')
            .addSelect(`concat(p.excerpt, '')`, 'snippet');
        }
        return qb
          .orderBy('rank', 'DESC')
          .addOrderBy('p.published_at', 'DESC', 'NULLS LAST')
          .addOrderBy('p.id', 'DESC')
          .getQuery();
      });
      // The candidates were found with the same filters: counting them again would only cost time.
      const total = candidateCount?.total ?? (await this.similarCount(parts, conditions, params));
      const rows = await this.tx.rawRows(...this.withParameters(paged(ranked, limit, offset), params));
      const hits = rows.map((row) => ({
        post: this.toListRow(row),
        rank: Number(row.rank ?? 0),
        snippet: typeof row.snippet === 'string' ? row.snippet : '',
      }));
      return [hits, total, candidateCount?.capped ?? false];
    });
  }

  /** How many posts have a title like the search's text (`match: 'similar'`), with the search's filters. */
  private async similarCount(parts: ListParts, conditions: string, params: Record<string, unknown>): Promise<number> {
    const counted = this.kept(`similar-count\u0000${conditions}`, () =>
      this.builderOf(parts).orderBy().andWhere(`:text <% p.title`).select('count(*)::int', 'n').getQuery(),
    );
    const [{ n }] = (await this.tx.rawRows(...this.withParameters(counted, params))) as Array<{ n: number }>;
    return n;
  }

  /** The word pairs a match of the search `text` must hold (a tsquery), or null when it needs none. */
  private async wordPairsOf(text: string): Promise<string | null> {
    const [row]: Array<{ tree: string }> = await this.tx.manager.query(
      `SELECT querytree(websearch_to_tsquery('${SEARCH_CONFIG}', $1))::text AS tree`,
      [text],
    );
    return wordPairsQuery(row?.tree ?? '');
  }

  /** A page, and how many rows the list has — counted up to COUNT_CAP (then COUNT_CAP and `capped`). */
  async page(
    search: PostSearch,
    offset: number,
    limit: number,
  ): Promise<{ rows: PostListRow[]; total: number; capped: boolean }> {
    const rows = await this.listRows(this.statement(listParts(search), 'rows', limit, offset));
    const [sql, params] = this.statement(listParts({ ...search, sort: [] }), 'count');
    const [{ n }] = (await this.tx.rawRows(`SELECT count(*)::int AS n FROM (${sql}) AS counted`, params)) as Array<{
      n: number;
    }>;
    return { rows, total: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
  }

  async slice(search: PostSearch, limit: number): Promise<PostListRow[]> {
    return this.listRows(this.statement(listParts(search, search.after), 'rows', limit));
  }

  /**
   * A list statement's rows made into `PostListRow`s here: the query builder writes the statement,
   * but its rows skip TypeORM's query runner and entity transformer, which were a sixth of the CPU
   * of an uncached page of the feed (decision 104). Each value still goes through the driver's
   * hydration, as `getMany` would.
   */
  private async listRows([sql, params]: [string, unknown[]]): Promise<PostListRow[]> {
    return (await this.tx.rawRows(sql, params)).map((row) => this.toListRow(row));
  }

  /**
   * One object literal per row, read from the keys TypeORM's aliases give the columns (worked out
   * once): filling the row key by key through the driver's hydration was most of this mapping's
   * cost and garbage (decision 119). The listed columns need no hydration (pg already gives
   * booleans, numbers and dates), which `listKeysOf` checks.
   */
  private toListRow(row: Record<string, unknown>): PostListRow {
    const { post: p, author: a, category: c } = (this.listKeys ??= this.listKeysOf());
    return {
      id: at(row, p.id),
      authorId: at(row, p.authorId),
      title: at(row, p.title),
      categoryId: at(row, p.categoryId),
      coverMediaId: at(row, p.coverMediaId),
      slug: at(row, p.slug),
      excerpt: at(row, p.excerpt),
      status: at(row, p.status),
      visibility: at(row, p.visibility),
      featured: at(row, p.featured),
      publishedAt: at(row, p.publishedAt),
      scheduledAt: at(row, p.scheduledAt),
      readingTimeMinutes: at(row, p.readingTimeMinutes),
      readingLevel: at(row, p.readingLevel),
      viewCount: at(row, p.viewCount),
      commentCount: at(row, p.commentCount),
      commentsOpen: at(row, p.commentsOpen),
      createdAt: at(row, p.createdAt),
      updatedAt: at(row, p.updatedAt),
      author: {
        id: at(row, a.id),
        username: at(row, a.username),
        firstName: at(row, a.firstName),
        lastName: at(row, a.lastName),
        avatarKey: at(row, a.avatarKey),
      },
      // A post without a category: the left join's columns are all null.
      category: row[c.id] === null ? null : { id: at(row, c.id), name: at(row, c.name), slug: at(row, c.slug) },
    };
  }

  private listKeys: ListKeys | undefined;

  /** Where each column of `query()`'s select list is in a raw row (TypeORM's alias). */
  private listKeysOf(): ListKeys {
    const { connection } = this.tx.manager;
    const postMetadata = connection.getMetadata(PostEntity);
    const keysOf = <P extends string>(metadata: EntityMetadata, alias: string, properties: readonly P[]) =>
      Object.fromEntries(
        properties.map((property) => {
          const column = metadata.findColumnWithPropertyName(property);
          if (!column) throw new Error(`${metadata.name} has no column ${property}`);
          // Read as pg gives it: a column that needs the driver's hydration cannot be listed so.
          if (column.transformer || !RAW_READABLE.has(String(column.type))) {
            throw new Error(`${metadata.name}.${property} (${String(column.type)}) needs hydration`);
          }
          return [property, DriverUtils.buildAlias(connection.driver, undefined, alias, column.databaseName)];
        }),
      ) as Record<P, string>;
    const related = (relation: string) => postMetadata.findRelationWithPropertyPath(relation)!.inverseEntityMetadata;
    return {
      post: keysOf(postMetadata, 'p', LIST_POST_COLUMNS),
      author: keysOf(related('author'), 'author', LIST_AUTHOR_COLUMNS),
      category: keysOf(related('category'), 'category', LIST_CATEGORY_COLUMNS),
    };
  }
}

/** Column types pg hands over as the entity holds them (strings, booleans, numbers, dates). */
const RAW_READABLE = new Set(['uuid', 'text', 'varchar', 'citext', 'boolean', 'integer', 'real', 'timestamptz']);

/** A raw row's value at `key`, as the type the literal it goes into expects. */
const at = <T>(row: Record<string, unknown>, key: string): T => row[key] as T;

/** The raw row's key of each listed column. */
interface ListKeys {
  post: Record<(typeof LIST_POST_COLUMNS)[number], string>;
  author: Record<(typeof LIST_AUTHOR_COLUMNS)[number], string>;
  category: Record<(typeof LIST_CATEGORY_COLUMNS)[number], string>;
}
