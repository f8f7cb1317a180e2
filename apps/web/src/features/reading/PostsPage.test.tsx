import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths, postsPath } from '../../app/paths';
import { envelope, errorEnvelope } from '../../test/api-fixtures';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { PREFERENCES_STORAGE_KEY } from '../../lib/preferences';
import type { PostSummary } from './api/reading.api';
import { FEED_PAGE_SIZE, SEARCH_PAGE_SIZE } from './api/reading.queries';
import { PostsPage } from './PostsPage';
import { categoryTree, summary } from './test-fixtures';

const renderFeed = (path: string = paths.posts) => renderPage([{ path: paths.posts, element: <PostsPage /> }], path);

const cursorMeta = (next: string | null) => ({
  requestId: 'req-feed-1',
  timestamp: '2025-06-01T12:00:00.000Z',
  cursor: { next, hasNext: next !== null },
});

const pageMeta = (page: number, totalItems: number) => ({
  requestId: 'req-search-1',
  timestamp: '2025-06-01T12:00:00.000Z',
  pagination: {
    page,
    perPage: SEARCH_PAGE_SIZE,
    totalItems,
    totalPages: Math.ceil(totalItems / SEARCH_PAGE_SIZE),
    hasNext: page * SEARCH_PAGE_SIZE < totalItems,
    hasPrev: page > 1,
  },
});

const categoriesApi = api.get('/api/v1/categories', () => json(envelope(categoryTree)));

/** The feed in two keyset pages (two posts, then one), whatever the filters. */
const twoPagesApi = api.get('/api/v1/posts', ({ request }) => {
  const cursor = new URL(request.url).searchParams.get('cursor');
  return cursor === 'page-2'
    ? json({ status: 'success', data: [summary(3)], meta: cursorMeta(null) })
    : json({ status: 'success', data: [summary(1), summary(2)], meta: cursorMeta('page-2') });
});

/** The featured posts (asked for above the unfiltered feed): none, unless a test says otherwise. */
const noFeaturedApi = api.get('/api/v1/posts', ({ request }) =>
  new URL(request.url).searchParams.get('featured') === 'true'
    ? json({ status: 'success', data: [], meta: cursorMeta(null) })
    : undefined,
);

/** The query of every call to the feed (not those for the featured posts), oldest first. */
const feedQueries = () =>
  requestsTo('/api/v1/posts')
    .map((request) => new URL(request.url).searchParams)
    .filter((query) => query.get('featured') !== 'true');

const postTitles = () =>
  within(screen.getByRole('list', { name: /^Posts/ }))
    .getAllByRole('article')
    .map((article) => within(article).getByRole('heading', { level: 3 }).textContent);

describe('Latest posts (the feed)', () => {
  it('lists the newest posts with their author, date and reading time, and "Load more" appends the next page', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(noFeaturedApi, categoriesApi, twoPagesApi);
    renderFeed();

    expect(screen.getByRole('heading', { level: 1, name: 'Latest posts' })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Post number 1' })).toHaveAttribute('href', '/posts/post-number-1');
    expect(postTitles()).toEqual(['Post number 1', 'Post number 2']);
    const first = within(screen.getAllByRole('article')[0]);
    expect(first.getByText(/By Ada Lovelace/)).toBeInTheDocument();
    expect(first.getByText(/4 min read/)).toBeInTheDocument();
    expect(first.getByText('The excerpt of post 1.')).toBeInTheDocument();
    // In the reader's locale ("June 14, 2025" here), the exact time for machines.
    const date = first.getByText(/2025/, { selector: 'time' });
    expect(date).toHaveAttribute('datetime', '2025-06-14T09:30:00.000Z');
    expect(date).toHaveTextContent(
      new Intl.DateTimeFormat(undefined, { dateStyle: 'long' }).format(new Date('2025-06-14T09:30:00.000Z')),
    );
    expect(screen.getByRole('status')).toHaveTextContent('Showing 2 posts.');
    expect(feedQueries()[0]?.get('limit')).toBe(String(FEED_PAGE_SIZE));
    expect(feedQueries()[0]?.has('cursor')).toBe(false);
    expect(document.title).toBe('Latest posts · Atrium');

    await user.click(screen.getByRole('button', { name: 'Load more' }));

    await waitFor(() => expect(postTitles()).toEqual(['Post number 1', 'Post number 2', 'Post number 3']));
    expect(feedQueries().at(-1)?.get('cursor')).toBe('page-2');
    expect(feedQueries().at(-1)?.get('limit')).toBe(String(FEED_PAGE_SIZE));
    // Said, and focus on the first post that came: the button is gone with the last page.
    expect(screen.getByRole('status')).toHaveTextContent('Showing 3 posts (1 more loaded) — that is all.');
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Post number 3' })).toHaveFocus();
  });

  it('asks the API for the chosen category (nested ones indented), reading level and the tag of the address', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(noFeaturedApi, categoriesApi, twoPagesApi);
    const { router } = renderFeed(postsPath({ tag: 'coast' }));

    await screen.findByRole('link', { name: 'Post number 1' });
    expect(feedQueries()[0]?.get('tag')).toBe('coast');
    expect(screen.getByText('coast', { selector: 'strong' })).toBeInTheDocument();

    const category = screen.getByRole('combobox', { name: 'Category' });
    await waitFor(() => expect(within(category).getAllByRole('option')).toHaveLength(5));
    expect(
      within(category)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual([
      'All categories',
      'Coast (5)',
      '\u00a0\u00a0\u00a0Harbours (3)',
      '\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0Lighthouses (1)',
      'Cooking (2)',
    ]);

    await user.selectOptions(category, 'harbours');
    await waitFor(() => expect(feedQueries().at(-1)?.get('category')).toBe('harbours'));
    expect(feedQueries().at(-1)?.get('tag')).toBe('coast');
    expect(router.state.location.search).toBe('?tag=coast&category=harbours');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Maximum reading level' }), '8');
    await waitFor(() => expect(feedQueries().at(-1)?.get('readingLevel')).toBe('8'));
    expect(feedQueries().at(-1)?.get('category')).toBe('harbours');

    await user.click(screen.getByRole('button', { name: 'Remove the tag filter' }));
    await waitFor(() => expect(feedQueries().at(-1)?.has('tag')).toBe(false));
    expect(feedQueries().at(-1)?.get('readingLevel')).toBe('8');
    expect(router.state.location.search).toBe('?category=harbours&level=8');
  });

  it('searches in offset pages and shows each result’s snippet with only <mark> as markup', async () => {
    const user = userEvent.setup({ delay: null });
    const hostile: PostSummary = summary(7, {
      title: 'Tides and harbours',
      match: {
        by: 'words',
        rank: 0.8,
        snippet: '&lt;img src=x onerror=alert(1)&gt; <mark>x</mark> and <b>bold</b><img src=y onerror="alert(2)">',
      },
    });
    const plain: PostSummary = summary(8, {
      title: 'The harbour at dawn',
      match: { by: 'words', rank: 0.5, snippet: 'Twice a day the <mark>harbour</mark> fills &amp; empties' },
    });
    useApi(
      noFeaturedApi,
      categoriesApi,
      api.get('/api/v1/posts', ({ request }) => {
        const query = new URL(request.url).searchParams;
        if (!query.get('q')) return json({ status: 'success', data: [summary(1)], meta: cursorMeta(null) });
        return json({ status: 'success', data: [hostile, plain], meta: pageMeta(Number(query.get('page')), 12) });
      }),
    );
    const { router } = renderFeed(postsPath({ category: 'coast' }));
    await screen.findByRole('link', { name: 'Post number 1' });

    await user.type(screen.getByRole('searchbox', { name: /Search posts/ }), 'harbour');
    await user.click(screen.getByRole('button', { name: 'Search' }));

    expect(await screen.findByRole('heading', { level: 2, name: 'Results for “harbour”' })).toBeInTheDocument();
    expect(router.state.location.search).toBe('?category=coast&q=harbour');
    const search = feedQueries().at(-1)!;
    expect(search.get('q')).toBe('harbour');
    expect(search.get('page')).toBe('1');
    expect(search.get('perPage')).toBe(String(SEARCH_PAGE_SIZE));
    expect(search.get('category')).toBe('coast');
    expect(search.has('cursor') || search.has('limit')).toBe(false);
    expect(screen.getByRole('status')).toHaveTextContent('12 results, page 1 of 2.');

    const [hostileSnippet, plainSnippet] = screen.getAllByTestId('snippet');
    // The escaped text stays text; the unescaped <b> and <img> the API must never send are dropped.
    expect(hostileSnippet).toHaveTextContent('<img src=x onerror=alert(1)> x and bold');
    expect(hostileSnippet.querySelectorAll('mark')).toHaveLength(1);
    expect(hostileSnippet.querySelector('mark')).toHaveTextContent('x');
    expect(plainSnippet).toHaveTextContent('Twice a day the harbour fills & empties');
    expect(plainSnippet.querySelector('mark')).toHaveTextContent('harbour');
    for (const snippet of [hostileSnippet, plainSnippet]) {
      expect(Array.from(snippet.querySelectorAll('*'), (element) => element.tagName)).toEqual(['MARK']);
    }
    expect(document.querySelector('main img')).toBeNull();
    expect(document.querySelector('[onerror]')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(feedQueries().at(-1)?.get('page')).toBe('2'));
    expect(await screen.findByText('12 results, page 2 of 2.')).toBeInTheDocument();
    // "Next page" is disabled on the last page: focus went to the results' heading instead.
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
    expect(screen.getByRole('heading', { level: 2, name: 'Results for “harbour”' })).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'Clear search' }));
    expect(await screen.findByRole('link', { name: 'Post number 1' })).toBeInTheDocument();
    expect(router.state.location.search).toBe('?category=coast');
  });

  it('says when the results are posts with a similar title, not the words searched for', async () => {
    useApi(
      noFeaturedApi,
      categoriesApi,
      api.get('/api/v1/posts', () =>
        json({
          status: 'success',
          data: [
            summary(9, {
              title: 'Harbour lights',
              match: { by: 'similar', rank: 0.6, snippet: '<mark>Harbour</mark> lights' },
            }),
          ],
          meta: pageMeta(1, 1),
        }),
      ),
    );
    renderFeed(`${paths.posts}?q=harbur`);

    expect(await screen.findByText('No post has these words. One post has a similar title.')).toBeInTheDocument();
    const result = within(screen.getByRole('article', { name: 'Harbour lights' }));
    expect(result.getByText('Similar title')).toBeInTheDocument();
    expect(screen.getByRole('searchbox', { name: /Search posts/ })).toHaveValue('harbur');
  });

  it('shows placeholders while loading, then says when nothing matches the filters', async () => {
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    useApi(
      noFeaturedApi,
      categoriesApi,
      api.get('/api/v1/posts', async () => {
        await answered;
        return json({ status: 'success', data: [], meta: cursorMeta(null) });
      }),
    );
    renderFeed(`${paths.posts}?level=6`);

    expect(await screen.findByRole('status')).toHaveTextContent('Loading posts…');
    expect(document.querySelectorAll('main .mantine-Skeleton-root').length).toBeGreaterThan(0);
    answer();

    expect(await screen.findByText('No published posts match these filters.')).toBeInTheDocument();
    expect(document.querySelector('main .mantine-Skeleton-root')).toBeNull();
    expect(screen.getByRole('link', { name: 'Show all posts' })).toHaveAttribute('href', paths.posts);
    expect(screen.getByRole('combobox', { name: 'Maximum reading level' })).toHaveValue('6');
  });

  it('says when nothing was found for a search', async () => {
    useApi(
      noFeaturedApi,
      categoriesApi,
      api.get('/api/v1/posts', () => json({ status: 'success', data: [], meta: pageMeta(1, 0) })),
    );
    renderFeed(`${paths.posts}?q=zeppelin`);

    expect(await screen.findByText('No posts found for “zeppelin”.')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: /Results/ })).not.toBeInTheDocument();
  });

  it('shows the error code of the envelope and retries', async () => {
    const user = userEvent.setup({ delay: null });
    let fail = true;
    useApi(
      noFeaturedApi,
      categoriesApi,
      api.get('/api/v1/posts', () =>
        fail
          ? json(errorEnvelope('SERVICE_UNAVAILABLE', 'The database is unavailable', 'req-feed-9'), 503)
          : json({ status: 'success', data: [summary(1)], meta: cursorMeta(null) }),
      ),
    );
    renderFeed();

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Could not load the posts')).toBeInTheDocument();
    expect(within(alert).getByText('SERVICE_UNAVAILABLE · HTTP 503')).toBeInTheDocument();
    expect(within(alert).getByText('req-feed-9')).toBeInTheDocument();
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('link', { name: 'Post number 1' })).toBeInTheDocument();
  });

  it('keeps the posts on screen when "Load more" fails, and tries again', async () => {
    const user = userEvent.setup({ delay: null });
    let fail = true;
    useApi(
      noFeaturedApi,
      categoriesApi,
      api.get('/api/v1/posts', ({ request }) => {
        if (!new URL(request.url).searchParams.get('cursor'))
          return json({ status: 'success', data: [summary(1)], meta: cursorMeta('page-2') });
        return fail
          ? json(errorEnvelope('BAD_REQUEST', 'The cursor is invalid', 'req-feed-10'), 400)
          : json({ status: 'success', data: [summary(2)], meta: cursorMeta(null) });
      }),
    );
    renderFeed();

    await user.click(await screen.findByRole('button', { name: 'Load more' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Could not load more posts')).toBeInTheDocument();
    expect(within(alert).getByText('BAD_REQUEST · HTTP 400')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Post number 1' })).toBeInTheDocument();

    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('link', { name: 'Post number 2' })).toHaveFocus();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it("pre-filters by the reader's highest reading level, says so, and shows all on request", async () => {
    const user = userEvent.setup({ delay: null });
    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify({ maxReadingLevel: 8 }));
    useApi(noFeaturedApi, categoriesApi, twoPagesApi);
    const { router } = renderFeed();

    await screen.findByRole('link', { name: 'Post number 1' });
    expect(feedQueries()[0]?.get('readingLevel')).toBe('8');
    expect(screen.getByText('Showing posts up to grade 8 — your preference.')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Maximum reading level' })).toHaveValue('8');

    await user.click(screen.getByRole('button', { name: 'Show all' }));
    await waitFor(() => expect(feedQueries().at(-1)?.has('readingLevel')).toBe(false));
    expect(router.state.location.search).toBe('?level=any');
    expect(screen.queryByText(/your preference/)).not.toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Maximum reading level' })).toHaveValue('');

    // A level chosen in the feed wins over the preference.
    await user.selectOptions(screen.getByRole('combobox', { name: 'Maximum reading level' }), '12');
    await waitFor(() => expect(feedQueries().at(-1)?.get('readingLevel')).toBe('12'));
    expect(screen.queryByText(/your preference/)).not.toBeInTheDocument();
  });

  it('shows the featured posts above the feed, each marked "Featured", and not once a filter applies', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      categoriesApi,
      api.get('/api/v1/posts', ({ request }) =>
        new URL(request.url).searchParams.get('featured') === 'true'
          ? json({ status: 'success', data: [summary(9, { featured: true })], meta: cursorMeta(null) })
          : undefined,
      ),
      twoPagesApi,
    );
    renderFeed();

    const featured = within(await screen.findByRole('list', { name: 'Featured' }));
    const card = within(featured.getByRole('article', { name: 'Post number 9' }));
    expect(card.getByText('Featured')).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Post number 1' })).toBeInTheDocument();
    expect(requestsTo('/api/v1/posts').some((r) => new URL(r.url).searchParams.get('limit') === '3')).toBe(true);
    expect(screen.getByRole('link', { name: 'RSS feed' })).toHaveAttribute('href', '/feed.xml');

    await user.selectOptions(await screen.findByRole('combobox', { name: 'Category' }), 'harbours');
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Featured' })).not.toBeInTheDocument());
    // The feed's RSS link follows the filter.
    expect(screen.getByRole('link', { name: 'RSS feed of these posts' })).toHaveAttribute(
      'href',
      '/feed.xml?category=harbours',
    );
  });
});
