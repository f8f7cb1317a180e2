import { Injectable } from '@nestjs/common';
import { CacheService, FEEDS_CACHE, PUBLIC_CONTENT_TTL_SECONDS } from '../../common/cache';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import type { PostSummaryDto } from '../posts/dto/posts.dto';
import { UsersService } from '../authorization/users.service';
import { PostsService } from '../posts/posts.service';
import { SystemService } from '../system/system.service';

export const FEED_ITEMS = 20;
/**
 * Feed readers and crawlers may reuse a feed or the sitemap this long without asking (`Cache-Control`).
 * The server's copy is rebuilt after any change (`PublicContentCache`).
 */
export const FEEDS_MAX_AGE_SECONDS = 60;

export type FeedFilter = { category?: string; tag?: string; author?: string };
type FeedItem = PostSummaryDto & { html: string };

/** The `feed` package is ESM-only: loaded once, the first time a feed is built. */
let feedModule: Promise<typeof import('feed')> | undefined;
const loadFeed = () => (feedModule ??= import('feed'));

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/**
 * RSS 2.0 (`feed`), JSON Feed 1.1 (written here: the package writes 1.0) and the sitemap, from
 * the public posts: the same a signed-out reader sees, of the site, a category, a tag or an author.
 * Cached per variant until a change.
 */
@Injectable()
export class FeedsService {
  constructor(
    private readonly posts: PostsService,
    private readonly system: SystemService,
    private readonly users: UsersService,
    private readonly cache: CacheService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  private link(path: string): string {
    return new URL(path, this.config.appUrl).toString();
  }

  private async channel(
    filter: FeedFilter,
  ): Promise<{ title: string; items: FeedItem[]; home: string; query: URLSearchParams }> {
    // Unknown or deactivated authors answer 404 (thrown before anything is cached); the feed of one
    // who is deactivated later is dropped with the rest of the public content (`PublicContentCache`).
    const author = filter.author ? await this.users.profile(filter.author) : undefined;
    const site = (await this.system.info()).siteName ?? 'Atrium';
    const items = await this.posts.feedItems(filter, FEED_ITEMS);
    const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => !!e[1]));
    const name = author && ([author.firstName, author.lastName].filter(Boolean).join(' ') || author.username);
    const scope = filter.category ? ` · ${filter.category}` : filter.tag ? ` · #${filter.tag}` : '';
    return {
      title: `${site}${scope}${name ? ` · ${name}` : ''}`,
      items,
      // An author's feed belongs to their profile page; the others to the feed page they narrow.
      home: author
        ? this.link(`/u/${encodeURIComponent(author.username)}`)
        : this.link(`/posts${query.size ? `?${query}` : ''}`),
      query,
    };
  }

  private cached(key: string, build: () => Promise<string>): Promise<string> {
    return this.cache.getOrLoad(FEEDS_CACHE, key, build, { ttlSeconds: PUBLIC_CONTENT_TTL_SECONDS });
  }

  rss(filter: FeedFilter): Promise<string> {
    return this.cached(`rss:${JSON.stringify(filter)}`, async () => {
      const { Feed } = await loadFeed();
      const { title, items, home } = await this.channel(filter);
      const feed = new Feed({
        title,
        id: home,
        link: home,
        description: `The newest posts of ${title}`,
        copyright: '',
        updated: items[0] ? new Date(items[0].publishedAt ?? items[0].updatedAt) : new Date(0),
        feedLinks: { rss: this.link(`/feed.xml`), json: this.link(`/feed.json`) },
      });
      for (const post of items) {
        const url = this.link(`/posts/${post.slug}`);
        feed.addItem({
          title: post.title,
          id: url,
          link: url,
          date: new Date(post.publishedAt ?? post.updatedAt),
          description: post.excerpt,
          content: post.html,
          author: [{ name: post.author.username }],
          category: [
            ...(post.category ? [{ name: post.category.name, term: post.category.slug }] : []),
            ...post.tags.map((tag) => ({ name: tag.name, term: tag.slug })),
          ],
        });
      }
      return feed.rss2();
    });
  }

  json(filter: FeedFilter): Promise<string> {
    return this.cached(`json:${JSON.stringify(filter)}`, async () => {
      const { title, items, home, query } = await this.channel(filter);
      return JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title,
        home_page_url: home,
        feed_url: this.link(`/feed.json${query.size ? `?${query}` : ''}`),
        items: items.map((post) => ({
          id: this.link(`/posts/${post.slug}`),
          url: this.link(`/posts/${post.slug}`),
          title: post.title,
          summary: post.excerpt,
          content_html: post.html,
          date_published: post.publishedAt,
          date_modified: post.updatedAt,
          authors: [{ name: post.author.username, url: this.link(`/u/${post.author.username}`) }],
          tags: [...(post.category ? [post.category.name] : []), ...post.tags.map((tag) => tag.name)],
        })),
      });
    });
  }

  /**
   * `/sitemap.xml`: one file with the home page, the feed and every public post while they fit in
   * SITEMAP_MAX_URLS (50 000 by default, as sitemaps.org allows); past that, a sitemap index of pages (`?page=n`), newest posts first. `page`
   * beyond the last is null (404).
   */
  sitemap(page?: number): Promise<string | null> {
    return this.cachedOrNull(`sitemap:${page ?? 'root'}`, async () => {
      const max = this.config.sitemapMaxUrls;
      const posts = await this.posts.countPublic();
      const single = posts + 2 <= max;
      if (page === undefined && !single) {
        const pages = Math.ceil(posts / max);
        const sitemaps = Array.from(
          { length: pages },
          (_, i) => `<sitemap><loc>${escapeXml(this.link(`/sitemap.xml?page=${i + 1}`))}</loc></sitemap>`,
        );
        return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${sitemaps.join('\n')}\n</sitemapindex>\n`;
      }
      if (page !== undefined && (single ? page !== 1 : page > Math.ceil(posts / max))) return null;
      const urls = single
        ? [
            `<url><loc>${escapeXml(this.link('/'))}</loc></url>`,
            `<url><loc>${escapeXml(this.link('/posts'))}</loc></url>`,
          ]
        : [];
      const entries = single
        ? await this.posts.sitemapEntries(max - 2)
        : await this.posts.sitemapEntries(max, (page! - 1) * max);
      urls.push(
        ...entries.map(
          (entry) =>
            `<url><loc>${escapeXml(this.link(`/posts/${entry.slug}`))}</loc><lastmod>${entry.updatedAt.toISOString()}</lastmod></url>`,
        ),
      );
      return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
    });
  }

  private async cachedOrNull(key: string, build: () => Promise<string | null>): Promise<string | null> {
    // null (no such page) is cached as an empty string, and read back as null.
    const text = await this.cached(key, async () => (await build()) ?? '');
    return text === '' ? null : text;
  }
}
