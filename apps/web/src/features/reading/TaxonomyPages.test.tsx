import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { categoryPath, paths, tagPath } from '../../app/paths';
import { envelope } from '../../test/api-fixtures';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { PREFERENCES_STORAGE_KEY } from '../../lib/preferences';
import type { CategoryNode, Tag } from './api/reading.api';
import { CategoriesPage } from './BrowsePages';
import { CategoryPage } from './CategoryPage';
import { AUTO_LOAD_PAGES } from './components/PostFeed';
import { PostsPage } from './PostsPage';
import { TagPage } from './TagPage';
import { categoryTree, summary } from './test-fixtures';

const meta = (next: string | null) => ({
  requestId: 'req-feed-1',
  timestamp: '2025-06-01T12:00:00.000Z',
  cursor: { next, hasNext: next !== null },
});

/** Coast's tree, with a description on Harbours. */
const tree: CategoryNode[] = structuredClone(categoryTree);
tree[0].children[0].description = 'Quays, slipways and the boats that use them.';

const tag = (n: number, name: string, slug: string): Tag => ({
  id: `0193c5a2-2000-7000-8000-${String(n).padStart(12, '0')}`,
  name,
  slug,
  color: null,
  usageCount: 4,
  createdAt: '2025-05-01T08:00:00.000Z',
  updatedAt: '2025-05-01T08:00:00.000Z',
});
const tags = [tag(1, 'Sea life', 'sea-life'), tag(2, 'Seaweed', 'seaweed'), tag(3, 'Boats', 'boats')];

const categoriesApi = api.get('/api/v1/categories', () => json(envelope(tree)));
const tagsApi = api.get('/api/v1/tags', ({ request }) => {
  const q = new URL(request.url).searchParams.get('q') ?? '';
  const found = tags.filter((t) => t.slug.startsWith(q) || t.name.toLowerCase().startsWith(q));
  return json({
    status: 'success',
    data: found,
    meta: {
      requestId: 'req-tags-1',
      timestamp: '2025-06-01T12:00:00.000Z',
      pagination: { page: 1, perPage: 100, totalItems: found.length, totalPages: 1, hasNext: false, hasPrev: false },
    },
  });
});
/** A tag nobody uses yet: last among the popular ones, beyond any page of a search. */
const kelp = tag(4, 'Kelp', 'kelp');
/** `GET /tags/{id}` with a slug: exactly that tag, or 404. */
const tagApi = api.get('/api/v1/tags/{id}', ({ params }) => {
  const found = [...tags, kelp].find((t) => t.slug === params.id);
  return found
    ? json(envelope(found))
    : json(
        {
          status: 'error' as const,
          error: { code: 'NOT_FOUND', message: 'No such tag' },
          meta: { requestId: 'req-tag-404', timestamp: '2025-06-01T12:00:00.000Z' },
        },
        404,
      );
});
/** Two posts of whatever the filter asks for, then a third on the next page. */
const postsApi = api.get('/api/v1/posts', ({ request }) => {
  const query = new URL(request.url).searchParams;
  if (query.get('featured') === 'true') return json({ status: 'success', data: [], meta: meta(null) });
  return query.get('cursor') === 'page-2'
    ? json({ status: 'success', data: [summary(3)], meta: meta(null) })
    : json({ status: 'success', data: [summary(1), summary(2)], meta: meta('page-2') });
});

const feedQueries = () =>
  requestsTo('/api/v1/posts')
    .map((request) => new URL(request.url).searchParams)
    .filter((query) => query.get('featured') !== 'true');

const render = (path: string) =>
  renderPage(
    [
      { path: paths.categories, element: <CategoriesPage /> },
      { path: paths.category, element: <CategoryPage /> },
      { path: paths.tag, element: <TagPage /> },
      { path: paths.posts, element: <PostsPage /> },
    ],
    path,
  );

const alternates = () =>
  [...document.head.querySelectorAll('link[rel="alternate"][type="application/rss+xml"]')].map((link) =>
    link.getAttribute('href'),
  );

describe('A category’s page', () => {
  it('shows where it sits, its description and RSS feed, the categories below it, and its posts', async () => {
    useApi(categoriesApi, postsApi);
    render(categoryPath('harbours'));

    expect(await screen.findByRole('heading', { level: 1, name: 'Harbours' })).toBeInTheDocument();
    expect(document.title).toBe('Harbours · Atrium');
    expect(screen.getByText('Quays, slipways and the boats that use them.')).toBeInTheDocument();
    const trail = within(screen.getByRole('navigation', { name: 'Where this category is' }));
    expect(trail.getByRole('link', { name: 'Coast' })).toHaveAttribute('href', '/categories/coast');
    expect(screen.getByText('3 posts')).toBeInTheDocument();

    // Its RSS feed: a visible link, and named in the page's head for feed readers.
    expect(screen.getByRole('link', { name: 'RSS feed of this category' })).toHaveAttribute(
      'href',
      '/feed.xml?category=harbours',
    );
    expect(alternates()).toContain('/feed.xml?category=harbours');

    const below = within(screen.getByRole('navigation', { name: 'In Harbours' }));
    expect(below.getByRole('link', { name: 'Lighthouses' })).toHaveAttribute('href', '/categories/lighthouses');

    // Its posts, asked for by the category.
    expect(await screen.findByRole('link', { name: 'Post number 1' })).toBeInTheDocument();
    expect(feedQueries()[0]?.get('category')).toBe('harbours');
    expect(
      within(screen.getByRole('list', { name: 'Posts in Harbours, newest first' })).getAllByRole('article'),
    ).toHaveLength(2);

    // Every category, to browse on, this one marked as the page.
    const all = within(screen.getByRole('navigation', { name: 'All categories' }));
    expect(all.getByRole('link', { name: 'Harbours' })).toHaveAttribute('aria-current', 'page');
    expect(all.getByRole('link', { name: 'Cooking' })).toHaveAttribute('href', '/categories/cooking');
  });

  it('applies the preferred reading level, says so, and shows every level on request', async () => {
    const user = userEvent.setup({ delay: null });
    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify({ maxReadingLevel: 8 }));
    useApi(categoriesApi, postsApi);
    render(categoryPath('cooking'));

    await screen.findByRole('link', { name: 'Post number 1' });
    expect(feedQueries()[0]?.get('readingLevel')).toBe('8');
    expect(screen.getByText('Showing posts up to grade 8 — your preference.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Show all' }));
    await waitFor(() => expect(feedQueries().at(-1)?.has('readingLevel')).toBe(false));
    expect(feedQueries().at(-1)?.get('category')).toBe('cooking');
  });

  it('says so when no category has the address', async () => {
    useApi(categoriesApi, postsApi);
    render(categoryPath('no-such-place'));

    expect(await screen.findByRole('heading', { level: 1, name: 'Category not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All categories' })).toHaveAttribute('href', '/categories');
    expect(feedQueries()).toHaveLength(0);
  });

  it('says an empty category is empty', async () => {
    useApi(
      categoriesApi,
      api.get('/api/v1/posts', () => json({ status: 'success', data: [], meta: meta(null) })),
    );
    render(categoryPath('cooking'));

    expect(await screen.findByText('Nothing has been published here yet.')).toBeInTheDocument();
  });
});

describe('A tag’s page', () => {
  it('finds the tag by its slug and lists its posts, with its RSS feed and other tags', async () => {
    useApi(tagApi, tagsApi, postsApi);
    render(tagPath('sea-life'));

    expect(await screen.findByRole('heading', { level: 1, name: 'Tagged Sea life' })).toBeInTheDocument();
    // Read by its slug, not found among the results of a search.
    expect(requestsTo('/api/v1/tags/sea-life')).toHaveLength(1);
    expect(requestsTo('/api/v1/tags').some((request) => new URL(request.url).searchParams.has('q'))).toBe(false);
    expect(document.title).toBe('Tagged Sea life · Atrium');
    expect(screen.getByRole('link', { name: 'RSS feed of this tag' })).toHaveAttribute(
      'href',
      '/feed.xml?tag=sea-life',
    );
    expect(alternates()).toContain('/feed.xml?tag=sea-life');

    expect(await screen.findByRole('link', { name: 'Post number 2' })).toBeInTheDocument();
    expect(feedQueries()[0]?.get('tag')).toBe('sea-life');

    const popular = within(screen.getByRole('navigation', { name: 'Popular tags' }));
    await waitFor(() => expect(popular.getAllByRole('link')).toHaveLength(3));
    expect(popular.getByRole('link', { name: 'Sea life' })).toHaveAttribute('aria-current', 'page');
    expect(popular.getByRole('link', { name: 'Boats' })).toHaveAttribute('href', '/tags/boats');
  });

  it('finds a tag that a search for its slug would not list', async () => {
    useApi(tagApi, tagsApi, postsApi);
    render(tagPath('kelp'));

    expect(await screen.findByRole('heading', { level: 1, name: 'Tagged Kelp' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'RSS feed of this tag' })).toHaveAttribute('href', '/feed.xml?tag=kelp');
    await screen.findByRole('link', { name: 'Post number 1' });
    expect(feedQueries()[0]?.get('tag')).toBe('kelp');
  });

  it('says so when no tag has the slug (only one that starts with it)', async () => {
    useApi(tagApi, tagsApi, postsApi);
    render(tagPath('sea'));

    expect(await screen.findByRole('heading', { level: 1, name: 'Tag not found' })).toBeInTheDocument();
    expect(requestsTo('/api/v1/tags/sea')).toHaveLength(1);
    expect(feedQueries()).toHaveLength(0);
  });
});

describe('The categories page', () => {
  it('lists every category, nested, with its posts, and the popular tags', async () => {
    useApi(categoriesApi, tagsApi);
    render(paths.categories);

    expect(screen.getByRole('heading', { level: 1, name: 'Categories' })).toBeInTheDocument();
    const every = within(screen.getByRole('navigation', { name: 'Every category' }));
    expect(await every.findByRole('link', { name: 'Lighthouses' })).toHaveAttribute('href', '/categories/lighthouses');
    expect(every.getByText('(5 posts)')).toBeInTheDocument();
    // Nested: Lighthouses sits in the list under Harbours.
    const harbours = every.getByRole('link', { name: 'Harbours' }).closest('li');
    expect(within(harbours!).getByRole('link', { name: 'Lighthouses' })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Seaweed' })).toHaveAttribute('href', '/tags/seaweed');
  });
});

/** An IntersectionObserver whose every instance can be told its element came into view. */
function stubIntersectionObserver() {
  const observers = new Set<{ callback: IntersectionObserverCallback; elements: Element[] }>();
  class Stub {
    private entry: { callback: IntersectionObserverCallback; elements: Element[] };
    constructor(callback: IntersectionObserverCallback) {
      this.entry = { callback, elements: [] };
      observers.add(this.entry);
    }
    observe(element: Element) {
      this.entry.elements.push(element);
    }
    unobserve() {}
    disconnect() {
      observers.delete(this.entry);
    }
    takeRecords() {
      return [];
    }
  }
  vi.stubGlobal('IntersectionObserver', Stub);
  return {
    /** The sentinel comes into view: every live observer hears it. */
    scrollToEnd() {
      for (const { callback, elements } of [...observers]) {
        callback(
          elements.map((target) => ({ target, isIntersecting: true }) as unknown as IntersectionObserverEntry),
          {} as IntersectionObserver,
        );
      }
    },
    watching: () => observers.size,
  };
}

describe('Infinite scroll of the feed', () => {
  afterEach(() => vi.unstubAllGlobals());

  /** Page n of the feed (2 posts each), the last one `last`. */
  const pagedApi = (last: number) =>
    api.get('/api/v1/posts', ({ request }) => {
      const query = new URL(request.url).searchParams;
      if (query.get('featured') === 'true') return json({ status: 'success', data: [], meta: meta(null) });
      const n = Number(query.get('cursor') ?? '1');
      return json({
        status: 'success',
        data: [summary(2 * n - 1), summary(2 * n)],
        meta: meta(n < last ? String(n + 1) : null),
      });
    });

  it('brings the next page when the end of the list comes into view, says so, and leaves focus alone', async () => {
    const io = stubIntersectionObserver();
    useApi(categoriesApi, pagedApi(2));
    render(paths.posts);

    await screen.findByRole('link', { name: 'Post number 2' });
    const search = screen.getByRole('searchbox', { name: /Search posts/ });
    search.focus();
    await waitFor(() => expect(io.watching()).toBeGreaterThan(0));

    io.scrollToEnd();

    expect(await screen.findByRole('link', { name: 'Post number 4' })).toBeInTheDocument();
    expect(feedQueries().at(-1)?.get('cursor')).toBe('2');
    expect(screen.getByText('Showing 4 posts (2 more loaded) — that is all.')).toHaveAttribute('role', 'status');
    // Scrolling moved nothing: focus is where the reader left it.
    expect(search).toHaveFocus();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it(`stops bringing pages by itself after ${AUTO_LOAD_PAGES}: "Load more" brings the next`, async () => {
    const user = userEvent.setup({ delay: null });
    const io = stubIntersectionObserver();
    useApi(categoriesApi, pagedApi(AUTO_LOAD_PAGES + 2));
    render(paths.posts);

    for (let page = 1; page < AUTO_LOAD_PAGES; page += 1) {
      await screen.findByRole('link', { name: `Post number ${2 * page}` });
      await waitFor(() => expect(io.watching()).toBeGreaterThan(0));
      io.scrollToEnd();
    }
    await screen.findByRole('link', { name: `Post number ${2 * AUTO_LOAD_PAGES}` });
    // At the limit nothing watches the end of the list; scrolling there brings nothing more.
    await waitFor(() => expect(io.watching()).toBe(0));
    io.scrollToEnd();
    expect(feedQueries()).toHaveLength(AUTO_LOAD_PAGES);

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('link', { name: `Post number ${2 * AUTO_LOAD_PAGES + 1}` })).toHaveFocus();
  });
});
