import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthUser } from '../../common/auth';
import {
  CacheService,
  decodedOnce,
  PUBLIC_CONTENT_TTL_SECONDS,
  PUBLIC_POSTS_CACHE,
  PublicContentCache,
  type TextPage,
  textPageCodec,
} from '../../common/cache';
import { SerializedPage } from '../../common/http/envelope';
import { ErrorCode } from '@atrium/contracts';
import { ApiException } from '../../common/http/api.exception';
import { Errors } from '../../common/http/errors';
import { ifMatchMatches, rememberedEtag, rememberEtag, weakEtagOf, weakEtagOfJson } from '../../common/http-cache/etag';
import {
  CursorPage,
  encodeCursor,
  keysetCondition,
  pageRequest,
  parseSort,
  type SortKey,
} from '../../common/http/list';
import { Paginated } from '../../common/http/pagination';
import { freeSlug, slugify } from '../../common/text/slugify';
import { Transactions } from '../../database/transactions';
import { diffLines } from 'diff';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { DomainEvents } from '../../events/domain-events.publisher';
import { JobsService } from '../../jobs/jobs.service';
import { AuditService } from '../audit/audit.service';
import { PolicyService } from '../authorization/policy.service';
import { avatarUrl } from '../avatars/avatar-key';
import { type AccessibilityProblem, accessibilityProblems } from './content/accessibility';
import { deriveExcerpt, plainText, proseText, renderMarkdown } from './content/markdown';
import { loadTextStats, type TextStats } from './content/text-stats';
import {
  type CreatePostDto,
  type ListPostsQueryDto,
  MY_POST_SORT_FIELDS,
  type MyPostsQueryDto,
  POST_SORT_FIELDS,
  type PostDto,
  type PostRevisionDto,
  type PostRevisionSummaryDto,
  type PostSummaryDto,
  SLUG_MAX,
  type UpdatePostDto,
} from './dto/posts.dto';
import type { PostRevisionEntity } from './entities/post-revision.entity';
import type { PostEntity } from './entities/post.entity';
import { PostChangedEvent } from './posts.events';
import { TaxonomyRepository, type TagShown } from '../taxonomy/taxonomy.repository';
import { type MediaRendering, MediaService } from '../media/media.service';
import {
  MARK_END,
  MARK_START,
  MY_POST_SORT_COLUMNS,
  POST_SORT_COLUMNS,
  PostsRepository,
  type PostSearch,
  type PostListRow,
  type PostWithAuthor,
  type SearchMatch,
} from './posts.repository';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A search snippet as HTML: the Markdown's marks dropped (link targets, emphasis, headings,
 * quotes, code), the text escaped, and only the matched words in `<mark>`.
 */
export function snippetHtml(raw: string): string {
  const text = raw
    // List markers at the start of a line ("- storms", "2. ships").
    .replace(/^[ \t]*(?:[-+*]|\d+[.)])[ \t]+/gm, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\]\([^)]*\)/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/[*_`#>~[\]]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  // Marks open and close in turn (a cut at a fragment's edge could leave one alone: then none).
  const marks = text.replace(new RegExp(`[^${MARK_START}${MARK_END}]`, 'g'), '');
  const balanced = marks === `${MARK_START}${MARK_END}`.repeat(marks.length / 2);
  const html = escapeHtml(text);
  return balanced
    ? html.replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>')
    : html.replaceAll(MARK_START, '').replaceAll(MARK_END, '');
}

/** A page of the public list as cached (JSON): offset pages with their counts, or cursor pages. */
/** A page of the feed as the public cache keeps it: its paging and tag, and its items as JSON text. */
/** A page of posts as the public cache keeps it (docs/DECISIONS.md 103). */
type CachedPage = TextPage<{
  offset?: [page: number, perPage: number, totalItems: number, capped: boolean];
  next?: string | null;
  /** The page's tag as `@HttpCache` computes it (docs/DECISIONS.md 102). */
  etag: string;
}>;

/**
 * A published post and its tag in the public cache: each text decoded once and shared, frozen, by
 * the reads until the post changes (decision 118), not parsed again on every read of it.
 */
const POST_ENTRY_CODEC = decodedOnce<{ post: PostDto; etag: string } | null>(500);

const CACHED_PAGE_CODEC = textPageCodec<Omit<CachedPage, 'itemsJson'>>();

/**
 * A page's items as text and the page's tag (`weakEtagOf(page)`) from one serialization of the
 * items: `JSON.stringify(page)` writes `items` first (the constructors' first field), then the
 * paging fields, so the page's text is spliced from the items' text and theirs. Serializing the
 * page a second time to tag it was ~2 % of an uncached feed page's CPU.
 */
function pageText(
  page: Paginated<PostSummaryDto> | CursorPage<PostSummaryDto>,
): Pick<CachedPage, 'etag' | 'itemsJson'> {
  const { items, ...paging } = page;
  const itemsJson = JSON.stringify(items);
  const pagingJson = JSON.stringify(paging);
  const json = pagingJson === '{}' ? `{"items":${itemsJson}}` : `{"items":${itemsJson},${pagingJson.slice(1)}`;
  return { etag: weakEtagOfJson(json), itemsJson };
}

/**
 * A post's entity tag (`ETag`, and what `If-Match` is compared with): everything but the counters,
 * which readers move (views, comments) without changing what an author edits or a reader reads.
 */
const etagOfPost = (post: PostDto): string => weakEtagOf({ ...post, viewCount: 0, commentCount: 0 });
/**
 * `etagOfPost`, taken from the cache when the post came from it: computed once when the post was
 * cached (hashing a whole post with its HTML on every read was ~4 % of a cached read's CPU;
 * docs/DECISIONS.md 86).
 */
export const postEtag = (post: PostDto): string => rememberedEtag(post) ?? etagOfPost(post);

/** What a post is shown with: its tags and its cover. */
type Shown = { tags: TagShown[]; cover: (MediaRendering & { id: string }) | null };
/** A post as read: its author, its category, its tags and its cover. */
type PostView = PostWithAuthor & Shown;
/** A post as a list shows it (lists do not load the bodies). */
type PostListView = PostListRow & Shown;

/**
 * Whether stored HTML was rendered for staff: every external link carries one of the two `rel`
 * values, so HTML with a user-content link was not; HTML without external links renders the same either way.
 */
const renderedForStaff = (html: string): boolean => !html.includes('rel="noopener nofollow ugc"');

/** The post's own row, without what was loaded beside it (a save writes only its columns). */
function rowOf(post: PostEntity & { author?: unknown; category?: unknown; tags?: unknown }): PostEntity {
  const { author: _author, category: _category, tags: _tags, ...row } = post;
  return row as PostEntity;
}

/** No post has this author: a grant that holds for it holds for everyone's posts (an editor's). */
const SOMEONE_ELSE = '00000000-0000-0000-0000-000000000000';

/** Thrown for an old slug: the controller answers `301` to the post's address now. */
export class PostMoved extends Error {
  constructor(
    readonly id: string,
    readonly slug: string,
  ) {
    super(`The post moved to ${slug}`);
  }
}

/** A schedule closer than this is a publication: publish it now instead. */
const MIN_SCHEDULE_AHEAD_MS = 1_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type SortField = (typeof POST_SORT_FIELDS)[number] | (typeof MY_POST_SORT_FIELDS)[number];

/** The value a cursor carries for one sort key of a row. */
function sortValue(post: PostListRow, field: SortField): string | number | null {
  switch (field) {
    case 'publishedAt':
      return post.publishedAt?.toISOString() ?? null;
    case 'updatedAt':
      return post.updatedAt.toISOString();
    case 'createdAt':
      return post.createdAt.toISOString();
    case 'viewCount':
      return post.viewCount;
    case 'title':
      return post.title;
  }
}

const isTimeField = (field: SortField): boolean =>
  field === 'publishedAt' || field === 'updatedAt' || field === 'createdAt';

/**
 * Posts: writing (authors their own, editors any — the roles' conditions, checked row by row with
 * the policy service), publishing, and reading (published posts for everyone, members-only ones
 * for signed-in readers, the rest to those who may edit them).
 */
@Injectable()
export class PostsService implements OnModuleInit {
  private textStats!: (text: string) => TextStats;

  constructor(
    private readonly posts: PostsRepository,
    private readonly taxonomy: TaxonomyRepository,
    private readonly transactions: Transactions,
    private readonly policy: PolicyService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly jobs: JobsService,
    private readonly cache: CacheService,
    private readonly publicContent: PublicContentCache,
    private readonly media: MediaService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.textStats = await loadTextStats();
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  toSummary(post: PostListView): PostSummaryDto {
    return {
      id: post.id,
      title: post.title,
      slug: post.slug,
      excerpt: post.excerpt,
      status: post.status,
      visibility: post.visibility,
      featured: post.featured,
      publishedAt: post.publishedAt?.toISOString() ?? null,
      scheduledAt: post.scheduledAt?.toISOString() ?? null,
      readingTimeMinutes: post.readingTimeMinutes,
      readingLevel: post.readingLevel,
      viewCount: post.viewCount,
      commentCount: post.commentCount,
      commentsOpen: post.commentsOpen,
      author: {
        id: post.author.id,
        username: post.author.username,
        firstName: post.author.firstName,
        lastName: post.author.lastName,
        avatarUrl: avatarUrl(post.author.avatarKey),
      },
      category: post.category ? { id: post.category.id, name: post.category.name, slug: post.category.slug } : null,
      tags: post.tags.map((tag) => ({
        id: tag.id,
        name: tag.name,
        slug: tag.slug,
        color: tag.color?.toLowerCase() ?? null,
      })),
      cover: post.cover
        ? {
            id: post.cover.id,
            url: post.cover.src,
            srcset: post.cover.srcset,
            width: post.cover.width,
            height: post.cover.height,
            altText: post.cover.alt,
          }
        : null,
      createdAt: post.createdAt.toISOString(),
      updatedAt: post.updatedAt.toISOString(),
    };
  }

  toDto(post: PostView): PostDto {
    return { ...this.toSummary(post), body: post.bodyMarkdown, html: post.bodyHtml, version: post.version };
  }

  /**
   * One post by id or slug, as `viewer` may see it: published and public for anyone, published
   * members-only for the signed-in (401 for others: sign in to read it), anything else only to
   * those who may edit it (404 for others). An old slug throws `PostMoved`.
   */
  async read(idOrSlug: string, viewer: AuthUser | null): Promise<PostDto> {
    // Published posts come from the public cache, whoever asks; the rest is read afresh.
    // Cached with its ETag (under a key of its own: an entry of the post alone is another shape).
    const published = await this.cache.getOrLoad(
      PUBLIC_POSTS_CACHE,
      `post+etag:${idOrSlug.toLowerCase()}`,
      async () => {
        const post = await this.loadPublished(idOrSlug);
        return post && { post, etag: etagOfPost(post) };
      },
      { ttlSeconds: (entry) => (entry ? PUBLIC_CONTENT_TTL_SECONDS : 0), codec: POST_ENTRY_CODEC },
    );
    if (published) {
      const { post, etag } = published;
      if (post.visibility === 'members' && !viewer) throw Errors.unauthenticated('Sign in to read this post');
      return rememberEtag(post, etag);
    }
    return this.readUncached(idOrSlug, viewer);
  }

  /**
   * The published post a comment is written on, read afresh and narrowly: every approved comment
   * drops the public caches, so the cached post would be a miss (and a load of the whole post with
   * its tags) on nearly every write. Any other address answers as `read` does (moved, 401, 404).
   */
  async commentTarget(
    idOrSlug: string,
    viewer: AuthUser,
  ): Promise<{ id: string; slug: string; title: string; commentsOpen: boolean }> {
    const post = UUID.test(idOrSlug)
      ? await this.posts.findPublishedHeader('id', idOrSlug)
      : await this.posts.findPublishedHeader('slug', idOrSlug.toLowerCase());
    if (post) return post;
    await this.read(idOrSlug, viewer);
    throw Errors.notFound('post');
  }

  /** The post at this address when it is published (for the public cache), or null. */
  private async loadPublished(idOrSlug: string): Promise<PostDto | null> {
    const post = UUID.test(idOrSlug)
      ? await this.posts.findById(idOrSlug)
      : await this.posts.findBySlug(idOrSlug.toLowerCase());
    return post && !post.deletedAt && post.status === 'published' ? this.toDto(await this.withTags(post)) : null;
  }

  private async readUncached(idOrSlug: string, viewer: AuthUser | null): Promise<PostDto> {
    const post = UUID.test(idOrSlug)
      ? await this.posts.findById(idOrSlug)
      : await this.posts.findBySlug(idOrSlug.toLowerCase());
    if (!post) {
      const moved = UUID.test(idOrSlug) ? null : await this.posts.findByOldSlug(idOrSlug.toLowerCase());
      if (moved && !moved.deletedAt) throw new PostMoved(moved.id, moved.slug);
      throw Errors.notFound('post');
    }
    if (post.deletedAt) throw Errors.notFound('post');
    if (post.status === 'published') {
      if (post.visibility === 'members' && !viewer) throw Errors.unauthenticated('Sign in to read this post');
      return this.toDto(await this.withTags(post));
    }
    if (viewer && (await this.policy.can(viewer, 'update', 'posts', post)))
      return this.toDto(await this.withTags(post));
    throw Errors.notFound('post');
  }

  private async withTags(post: PostWithAuthor): Promise<PostView> {
    const [view] = await this.allWithTags([post]);
    return view;
  }

  /** The posts with their tags and covers (one query for each, for all of them). */
  private async allWithTags<T extends PostListRow>(posts: T[]): Promise<Array<T & Shown>> {
    const [tags, covers] = await Promise.all([
      this.taxonomy.tagsOfPosts(posts.map((post) => post.id)),
      this.media.renderings(posts.map((post) => post.coverMediaId).filter((id): id is string => id !== null)),
    ]);
    return posts.map((post) => {
      const cover = post.coverMediaId ? covers.get(post.coverMediaId) : undefined;
      return Object.assign(post, {
        tags: tags.get(post.id) ?? [],
        cover: cover ? { ...cover, id: post.coverMediaId! } : null,
      });
    });
  }

  /** The published posts `viewer` may read, filtered and sorted, in either paging mode. */
  async list(viewer: AuthUser | null, query: ListPostsQueryDto): Promise<SerializedPage> {
    // Two audiences see different lists: signed-out readers, and signed-in ones (members-only posts too).
    const audience = viewer ? 'members' : 'public';
    // `page:` since decision 103 (its entries are stored in another form than `list:`'s were).
    const key = `page:${audience}:${JSON.stringify(
      Object.entries(query)
        .filter(([, v]) => v !== undefined)
        .sort(),
    )}`;
    const cached = await this.cache.getOrLoad(
      PUBLIC_POSTS_CACHE,
      key,
      async (): Promise<CachedPage> => {
        const loaded = await this.listUncached(viewer, query);
        const head =
          loaded instanceof Paginated
            ? { offset: [loaded.page, loaded.perPage, loaded.totalItems, loaded.capped] as CachedPage['offset'] }
            : { next: loaded.next };
        return { ...head, ...pageText(loaded) };
      },
      { ttlSeconds: PUBLIC_CONTENT_TTL_SECONDS, codec: CACHED_PAGE_CODEC },
    );
    const paging = cached.offset
      ? new Paginated([], ...cached.offset)
      : new CursorPage<PostSummaryDto>([], cached.next ?? null);
    // Answered as it was cached: its items' text as stored, its tag as computed when it was loaded.
    return rememberEtag(SerializedPage.of(paging, cached.itemsJson), cached.etag);
  }

  private async listUncached(
    viewer: AuthUser | null,
    query: ListPostsQueryDto,
  ): Promise<Paginated<PostSummaryDto> | CursorPage<PostSummaryDto>> {
    const keys = parseSort(query.sort, POST_SORT_FIELDS);
    const category = query.category ? await this.taxonomy.findCategoryBySlug(query.category.toLowerCase()) : undefined;
    const filters = {
      published: { includeMembers: viewer !== null },
      authorUsername: query.author,
      categoryIds: category === undefined ? undefined : category ? await this.taxonomy.subtreeIds(category.id) : [],
      tagSlug: query.tag || undefined,
      featured: query.featured,
      // Levels are stored with one decimal: "at most 7.46" is "at most 7.4" (and a value too small
      // for the column's type, 8e-323, is 0 rather than an error).
      maxReadingLevel: query.readingLevel === undefined ? undefined : Math.floor(query.readingLevel * 10 + 1e-9) / 10,
    };
    if (query.q) return this.search(filters, query.q, query);
    return this.page(
      {
        ...filters,
        sort: keys.map((k) => ({ column: POST_SORT_COLUMNS[k.field], direction: k.direction })),
      },
      keys,
      (field) => POST_SORT_COLUMNS[field as keyof typeof POST_SORT_COLUMNS],
      query,
    );
  }

  /**
   * A search: posts with the words, by relevance, with a snippet; when none has them (on the first
   * page), posts whose title has a word like the query (a misspelling, a partial word). Offset pages.
   */
  private async search(
    filters: Omit<PostSearch, 'sort' | 'after'>,
    text: string,
    query: ListPostsQueryDto,
  ): Promise<Paginated<PostSummaryDto>> {
    const paging = pageRequest(query);
    if (paging.mode !== 'offset') {
      throw Errors.invalidField('cursor', 'Search results come in offset pages (page, perPage)', 'SEARCH_PAGING');
    }
    const offset = (paging.page - 1) * paging.perPage;
    let by: SearchMatch = 'words';
    let [hits, total, capped] = await this.posts.search(filters, text, by, offset, paging.perPage);
    if (total === 0 && paging.page === 1) {
      by = 'similar';
      [hits, total, capped] = await this.posts.search(filters, text, by, offset, paging.perPage);
    }
    const views = await this.allWithTags(hits.map((hit) => hit.post));
    return new Paginated(
      views.map((post, i) => ({
        ...this.toSummary(post),
        match: { by, rank: Math.round(hits[i].rank * 1e6) / 1e6, snippet: snippetHtml(hits[i].snippet) },
      })),
      paging.page,
      paging.perPage,
      total,
      // More posts have the words than the newest SEARCH_CANDIDATES ranked here.
      capped,
    );
  }

  /**
   * The newest public posts for feeds (what an anonymous reader may read: members-only posts
   * never), optionally of a category (with the ones below it), a tag or an author, with their HTML.
   */
  async feedItems(
    filter: { category?: string; tag?: string; author?: string },
    limit: number,
  ): Promise<Array<PostSummaryDto & { html: string }>> {
    const page = await this.list(null, { ...filter, sort: '-publishedAt', page: 1, perPage: limit });
    const items = JSON.parse(page.itemsJson) as PostSummaryDto[];
    const html = await this.posts.htmlOf(items.map((post) => post.id));
    return items.map((post) => ({ ...post, html: html.get(post.id) ?? '' }));
  }

  /** The newest public posts' slugs and change dates, for the sitemap. */
  sitemapEntries(limit: number, offset = 0): Promise<Array<{ slug: string; updatedAt: Date }>> {
    return this.posts.sitemapEntries(limit, offset);
  }

  /** How many posts a signed-out reader may read. */
  countPublic(): Promise<number> {
    return this.posts.countPublic();
  }

  /** The caller's own posts, any status but deleted. */
  async mine(actor: AuthUser, query: MyPostsQueryDto): Promise<Paginated<PostSummaryDto> | CursorPage<PostSummaryDto>> {
    const keys = parseSort(query.sort, MY_POST_SORT_FIELDS);
    return this.page(
      {
        authorId: actor.id,
        status: query.status,
        sort: keys.map((k) => ({ column: MY_POST_SORT_COLUMNS[k.field], direction: k.direction })),
      },
      keys,
      (field) => MY_POST_SORT_COLUMNS[field as keyof typeof MY_POST_SORT_COLUMNS],
      query,
    );
  }

  private async page(
    search: PostSearch,
    keys: SortKey<SortField>[],
    columnOf: (field: SortField) => string,
    query: ListPostsQueryDto | MyPostsQueryDto,
  ): Promise<Paginated<PostSummaryDto> | CursorPage<PostSummaryDto>> {
    const paging = pageRequest(query);
    if (paging.mode === 'offset') {
      const { rows, total, capped } = await this.posts.page(search, (paging.page - 1) * paging.perPage, paging.perPage);
      return new Paginated(
        (await this.allWithTags(rows)).map((row) => this.toSummary(row)),
        paging.page,
        paging.perPage,
        total,
        capped,
      );
    }
    const cursor = paging.cursor;
    const after = cursor
      ? keysetCondition([
          ...keys.map((k) => ({
            column: columnOf(k.field),
            direction: k.direction,
            value: cursorValue(cursor[k.field], k.field),
          })),
          { column: 'p.id', direction: keys[0]?.direction ?? ('DESC' as const), value: cursorId(cursor.id) },
        ])
      : undefined;
    const rows = await this.posts.slice({ ...search, after }, paging.limit + 1);
    const page = rows.slice(0, paging.limit);
    const last = page.at(-1);
    const next =
      rows.length > paging.limit && last
        ? encodeCursor({ ...Object.fromEntries(keys.map((k) => [k.field, sortValue(last, k.field)])), id: last.id })
        : null;
    return new CursorPage(
      (await this.allWithTags(page)).map((row) => this.toSummary(row)),
      next,
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /** Whether the actor may edit everyone's posts (an editor): may feature posts, links without `nofollow`. */
  private isStaff(actor: AuthUser): Promise<boolean> {
    return this.policy.can(actor, 'update', 'posts', { authorId: SOMEONE_ELSE });
  }

  /** Title, body and excerpt as stored: rendered HTML and what is derived from the text. */
  private content(
    body: string,
    staff: boolean,
    excerpt: string | null | undefined,
    media: ReadonlyMap<string, MediaRendering>,
  ) {
    const bodyHtml = renderMarkdown(body, { staff, media });
    const text = plainText(bodyHtml, { captions: false });
    const stats = this.textStats(text);
    const given = excerpt !== undefined && excerpt !== null && excerpt !== '';
    return {
      bodyMarkdown: body,
      bodyHtml,
      excerpt: given ? excerpt : deriveExcerpt(proseText(bodyHtml) || text),
      excerptGiven: given,
      readingTimeMinutes: stats.readingTimeMinutes,
      readingLevel: stats.readingLevel,
    };
  }

  /** The slug asked for (409 when taken), or a free one made from the title. */
  private async chooseSlug(title: string, asked: string | undefined, postId?: string): Promise<string> {
    if (asked !== undefined) {
      if (await this.posts.slugTaken(asked, postId)) {
        throw Errors.conflict('This slug is taken by another post', 'slug', 'TAKEN');
      }
      return asked;
    }
    // Room for a `-n` suffix within SLUG_MAX.
    const base = slugify(title, SLUG_MAX - 8, 'post');
    return freeSlug(base, await this.posts.slugsLike(base));
  }

  async create(actor: AuthUser, input: CreatePostDto): Promise<PostDto> {
    const staff = await this.isStaff(actor);
    if (input.featured && !staff) throw Errors.forbidden('Only editors may feature posts');
    const media = await this.media.forPost(input.body, input.coverMediaId ?? null);
    const content = this.content(input.body, staff, input.excerpt, media);
    const id = await this.transactions.run(async () => {
      const slug = await this.chooseSlug(input.title, input.slug);
      const post = await this.posts.insert({
        authorId: actor.id,
        title: input.title,
        slug,
        ...content,
        categoryId: await this.category(input.categoryId),
        visibility: input.visibility ?? 'public',
        featured: input.featured ?? false,
        commentsOpen: input.commentsOpen ?? true,
        coverMediaId: input.coverMediaId ?? null,
        status: 'draft',
      });
      await this.media.setPostMedia(post.id, media.keys());
      if (input.tagIds) await this.setTags(post.id, input.tagIds);
      await this.keepRevision(actor, post);
      await this.audit.record({ action: 'post.created', target: `post:${post.id}` });
      await this.events.publish(new PostChangedEvent(post.id, 'created'));
      return post.id;
    });
    return this.toDto(await this.existing(id));
  }

  private async existing(id: string): Promise<PostView> {
    const post = await this.posts.findById(id);
    if (!post || post.deletedAt) throw Errors.notFound('post');
    return this.withTags(post);
  }

  /** The category a post is filed under: it must exist (400), and stays until the post is saved. */
  private async category(id: string | null | undefined): Promise<string | null> {
    if (!id) return null;
    if (!(await this.taxonomy.holdCategory(id))) {
      throw Errors.invalidField('categoryId', 'No such category', 'UNKNOWN_CATEGORY');
    }
    return id;
  }

  /** Makes `tagIds` the post's tags; 400 when one does not exist (nothing written). */
  private async setTags(postId: string, tagIds: string[]): Promise<void> {
    const { missing } = await this.taxonomy.setPostTags(postId, tagIds);
    if (missing.length > 0) {
      throw Errors.invalidField('tagIds', `No such tag: ${missing.join(', ')}`, 'UNKNOWN_TAG');
    }
  }

  /** A post the actor may `action` (404 when they may not even read it, 403 when they may read but not act). */
  private async authorized(actor: AuthUser, action: string, id: string): Promise<PostView> {
    const post = await this.existing(id);
    // Reading a post that is not published is for those who may edit it.
    if (post.status !== 'published' && !(await this.policy.can(actor, 'update', 'posts', post))) {
      throw Errors.notFound('post');
    }
    await this.policy.assert(actor, action, 'posts', post, 'post');
    return post;
  }

  /** The entity tag of a post as `GET /posts/:id` sends it (`ETag`), what `If-Match` is compared with. */
  etagOf(post: PostDto): string {
    return postEtag(post);
  }

  /**
   * Edits a post. With `ifMatch` (the `ETag` the client read), a post changed since answers 412
   * and nothing is written; the row is locked while compared and saved, so of two edits made from
   * the same version exactly one wins. Without it, the last write wins.
   */
  async update(actor: AuthUser, id: string, input: UpdatePostDto, ifMatch?: string): Promise<PostDto> {
    const read = await this.authorized(actor, 'update', id);
    const staff = await this.isStaff(actor);
    if (input.featured !== undefined && input.featured !== read.featured && !staff) {
      throw Errors.forbidden('Only editors may feature posts');
    }
    const coverId = input.coverMediaId !== undefined ? input.coverMediaId : read.coverMediaId;
    const media = await this.media.forPost(input.body ?? read.bodyMarkdown, coverId);
    await this.transactions.run(async () => {
      const locked = await this.posts.lockById(id);
      if (!locked || locked.deletedAt) throw Errors.notFound('post');
      // Compared with the post as it is now that it is locked (with its category and tags).
      if (ifMatch !== undefined && !ifMatchMatches(ifMatch, this.etagOf(this.toDto(await this.existing(id))))) {
        throw Errors.preconditionFailed('The post changed since you read it; nothing was written. Read it again.');
      }
      const post = locked;
      const before = { title: post.title, bodyMarkdown: post.bodyMarkdown };
      if (input.title !== undefined) post.title = input.title;
      if (input.body !== undefined || input.excerpt !== undefined) {
        const excerpt = input.excerpt !== undefined ? input.excerpt : post.excerptGiven ? post.excerpt : null;
        Object.assign(post, this.content(input.body ?? post.bodyMarkdown, staff, excerpt, media));
      }
      if (input.coverMediaId !== undefined) post.coverMediaId = input.coverMediaId;
      if (input.body !== undefined || input.coverMediaId !== undefined) {
        await this.media.setPostMedia(post.id, media.keys());
      }
      if (input.slug !== undefined && input.slug !== post.slug) {
        const slug = await this.chooseSlug(post.title, input.slug, post.id);
        await this.posts.forgetSlug(post.id, slug);
        await this.posts.rememberSlug(post.id, post.slug);
        post.slug = slug;
      }
      if (input.visibility !== undefined) post.visibility = input.visibility;
      if (input.featured !== undefined) post.featured = input.featured;
      if (input.commentsOpen !== undefined) post.commentsOpen = input.commentsOpen;
      if (input.categoryId !== undefined) post.categoryId = await this.category(input.categoryId);
      await this.posts.save(rowOf(post));
      if (input.tagIds) await this.setTags(post.id, input.tagIds);
      if (post.title !== before.title || post.bodyMarkdown !== before.bodyMarkdown)
        await this.keepRevision(actor, post);
      await this.audit.record({ action: 'post.updated', target: `post:${post.id}` });
      await this.events.publish(new PostChangedEvent(post.id, 'updated'));
    });
    return this.toDto(await this.existing(id));
  }

  async remove(actor: AuthUser, id: string): Promise<void> {
    const post = await this.authorized(actor, 'delete', id);
    await this.transactions.run(async () => {
      await this.posts.save({ ...rowOf(post), deletedAt: new Date() } as PostEntity);
      // A deleted post holds no tags: the counts stay those of the posts there are.
      await this.taxonomy.setPostTags(post.id, []);
      await this.audit.record({ action: 'post.deleted', target: `post:${post.id}` });
      await this.events.publish(new PostChangedEvent(post.id, 'deleted'));
    });
  }

  /** Keeps the post's title and body as `actor` just saved them (POST_REVISIONS_MAX per post). */
  private keepRevision(actor: AuthUser, post: Pick<PostEntity, 'id' | 'title' | 'bodyMarkdown'>): Promise<void> {
    return this.posts.addRevision(
      {
        postId: post.id,
        title: post.title,
        bodyMarkdown: post.bodyMarkdown,
        editorId: actor.id,
        editorUsername: actor.username,
      },
      this.config.postRevisionsMax,
    );
  }

  private toRevisionSummary(revision: PostRevisionEntity): PostRevisionSummaryDto {
    return {
      id: revision.id,
      title: revision.title,
      createdAt: revision.createdAt.toISOString(),
      editor:
        revision.editorId && revision.editorUsername
          ? { id: revision.editorId, username: revision.editorUsername }
          : null,
    };
  }

  /** A post's revisions, newest first (the first is the post as it is), for those who may edit it. */
  async revisions(actor: AuthUser, id: string): Promise<PostRevisionSummaryDto[]> {
    await this.authorized(actor, 'update', id);
    return (await this.posts.revisions(id)).map((revision) => this.toRevisionSummary(revision));
  }

  /** One revision with its body and a line diff from it to the current body. */
  async revision(actor: AuthUser, id: string, revisionId: string): Promise<PostRevisionDto> {
    const post = await this.authorized(actor, 'update', id);
    const revision = await this.posts.revision(id, revisionId);
    if (!revision) throw Errors.notFound('revision');
    const diff = diffLines(revision.bodyMarkdown, post.bodyMarkdown).map((part) => ({
      op: part.added ? ('added' as const) : part.removed ? ('removed' as const) : ('equal' as const),
      text: part.value,
    }));
    return { ...this.toRevisionSummary(revision), body: revision.bodyMarkdown, diff };
  }

  /** Brings a revision's title and body back (as a new save, itself a revision; `If-Match` as for edits). */
  async restore(actor: AuthUser, id: string, revisionId: string, ifMatch?: string): Promise<PostDto> {
    await this.authorized(actor, 'update', id);
    const revision = await this.posts.revision(id, revisionId);
    if (!revision) throw Errors.notFound('revision');
    return this.update(actor, id, { title: revision.title, body: revision.bodyMarkdown }, ifMatch);
  }

  /** What keeps a post from being accessible, for those who may edit it (`GET /posts/:id/accessibility`). */
  async accessibility(actor: AuthUser, id: string): Promise<AccessibilityProblem[]> {
    return this.problemsOf(await this.authorized(actor, 'update', id));
  }

  /**
   * A body rendered exactly as a save by `actor` would render it (their links, the library's images
   * with alt text and caption; 400 UNKNOWN_MEDIA as a save answers), with its reading time and
   * level and its accessibility report. Nothing is written: the editor's live preview.
   */
  async preview(
    actor: AuthUser,
    input: { body: string; coverMediaId?: string | null },
  ): Promise<{
    html: string;
    readingTimeMinutes: number;
    readingLevel: number | null;
    problems: AccessibilityProblem[];
  }> {
    const coverId = input.coverMediaId ?? null;
    const media = await this.media.forPost(input.body, coverId);
    const content = this.content(input.body, await this.isStaff(actor), null, media);
    return {
      html: content.bodyHtml,
      readingTimeMinutes: content.readingTimeMinutes,
      readingLevel: content.readingLevel,
      problems: this.problemsOf({ bodyHtml: content.bodyHtml, cover: coverId ? (media.get(coverId) ?? null) : null }),
    };
  }

  /** The body's problems, and a cover image without alt text. */
  private problemsOf(post: { bodyHtml: string; cover: Pick<MediaRendering, 'alt'> | null }): AccessibilityProblem[] {
    const problems = accessibilityProblems(post.bodyHtml);
    if (post.cover && !post.cover.alt) {
      problems.unshift({
        code: 'IMAGE_WITHOUT_ALT',
        message: 'The cover image has no alt text: describe what it shows in the media library',
      });
    }
    return problems;
  }

  /** Publishing (now or scheduled) is refused with 422 while the post has accessibility problems. */
  private assertAccessible(post: PostView): void {
    const problems = this.problemsOf(post);
    if (problems.length === 0) return;
    throw new ApiException(
      422,
      ErrorCode.ACCESSIBILITY_PROBLEMS,
      `Fix these before publishing: ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      problems.map((problem) => ({ field: 'body', code: problem.code, message: problem.message })),
    );
  }

  /**
   * Schedules a draft (or reschedules a scheduled post) to go live at `at`: a delayed
   * `posts.publish-scheduled` job, enqueued in the same transaction through the job outbox. An
   * earlier job for another time finds the post no longer scheduled for it and does nothing.
   */
  async schedule(actor: AuthUser, id: string, at: Date): Promise<PostDto> {
    const post = await this.authorized(actor, 'publish', id);
    if (at.getTime() <= Date.now() + MIN_SCHEDULE_AHEAD_MS) {
      throw Errors.invalidField('at', 'at must be in the future (publish now instead)', 'IN_THE_PAST');
    }
    if (post.status === 'published' || post.status === 'archived') {
      throw Errors.conflict(`This post is ${post.status}; take it back to draft to schedule it`, 'status', 'NOT_DRAFT');
    }
    this.assertAccessible(post);
    await this.transactions.run(async () => {
      await this.posts.save({ ...rowOf(post), status: 'scheduled', scheduledAt: at } as PostEntity);
      await this.jobs.enqueue(
        'posts.publish-scheduled',
        { postId: id, at: at.toISOString() },
        { delay: at.getTime() - Date.now(), jobId: `post-publish-${id}-${at.getTime()}` },
      );
      await this.audit.record({ action: 'post.scheduled', target: `post:${id}`, metadata: { at: at.toISOString() } });
      await this.events.publish(new PostChangedEvent(id, 'scheduled'));
    });
    return this.toDto(await this.existing(id));
  }

  /** Publish (now), unpublish (back to draft) or archive (out of the lists, kept). */
  async transition(actor: AuthUser, id: string, to: 'published' | 'draft' | 'archived'): Promise<PostDto> {
    const post = await this.authorized(actor, 'publish', id);
    if (post.status === to) return this.toDto(post);
    if (to === 'archived' && post.status !== 'published') {
      throw Errors.conflict('Only a published post can be archived', 'status', 'NOT_PUBLISHED');
    }
    if (to === 'published') this.assertAccessible(post);
    await this.transactions.run(async () => {
      const next = { ...rowOf(post), status: to, scheduledAt: null } as PostEntity;
      // The first publication dates the post; publishing again after an unpublish keeps that date.
      if (to === 'published') next.publishedAt = post.publishedAt ?? new Date();
      await this.posts.save(next);
      const change = to === 'published' ? 'published' : to === 'draft' ? 'unpublished' : 'archived';
      await this.audit.record({ action: `post.${change}`, target: `post:${post.id}` });
      await this.events.publish(new PostChangedEvent(post.id, change));
    });
    return this.toDto(await this.existing(id));
  }

  /**
   * An image's alt text or caption changed: the posts that show it get their HTML rendered again
   * (no revision: their text did not change), and readers see it at once.
   */
  async rerenderWithMedia(mediaId: string): Promise<void> {
    for (const postId of await this.media.postsUsing(mediaId)) {
      await this.transactions.run(async () => {
        const post = await this.posts.lockById(postId);
        if (!post || post.deletedAt) return;
        const media = await this.media.forPost(post.bodyMarkdown, null).catch(() => new Map<string, MediaRendering>());
        const html = renderMarkdown(post.bodyMarkdown, { staff: renderedForStaff(post.bodyHtml), media });
        if (html === post.bodyHtml) return;
        await this.posts.setHtml(postId, html);
        await this.publicContent.changed();
      });
    }
  }
}

function cursorValue(value: unknown, field: SortField): unknown {
  if (isTimeField(field)) {
    const time = typeof value === 'string' ? new Date(value) : null;
    if (!time || Number.isNaN(time.getTime())) throw invalidCursor();
    return time;
  }
  if (field === 'viewCount' ? typeof value !== 'number' : typeof value !== 'string') throw invalidCursor();
  return value;
}

function cursorId(value: unknown): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw invalidCursor();
  return value;
}

const invalidCursor = () =>
  Errors.invalidField('cursor', 'cursor must be a cursor from meta.cursor.next', 'INVALID_CURSOR');
