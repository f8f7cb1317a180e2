import { Anchor, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { feedPath, paths } from '../../app/paths';
import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import { useEffectivePreferences } from '../settings';
import type { CategoryNode, FeedFilter } from './api/reading.api';
import { useCategories, useSearch } from './api/reading.queries';
import { FeaturedPosts } from './components/FeaturedPosts';
import { EmptyFiltered, PostFeed, PostList, PostsLoading } from './components/PostFeed';
import { FeedLink } from './components/FeedLink';
import { READING_LEVELS } from './reading.format';

/**
 * The feed's state lives in the address (shareable, kept by Back): `?category=&tag=&level=&q=&page=`.
 * Without `level`, the reader's preferred highest reading level applies (`preferred`); `level=any` shows all.
 */
function useFeedParams() {
  const [params, setParams] = useSearchParams();
  const { maxReadingLevel } = useEffectivePreferences();
  const preferred = params.get('level') === null ? maxReadingLevel : null;
  const level = preferred ?? Number(params.get('level'));
  const filter: FeedFilter = useMemo(
    () => ({
      ...(params.get('category') ? { category: params.get('category') ?? undefined } : {}),
      ...(params.get('tag') ? { tag: params.get('tag') ?? undefined } : {}),
      ...(Number.isInteger(level) && level > 0 ? { readingLevel: level } : {}),
    }),
    [params, level],
  );
  const q = params.get('q')?.trim() ?? '';
  const page = Math.max(1, Math.floor(Number(params.get('page')) || 1));

  /** Sets (or, for an empty value, removes) these parameters; any change of what is shown starts at page 1. */
  const update = (changes: Record<string, string | undefined>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries(changes)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        if (!('page' in changes)) next.delete('page');
        return next;
      },
      { preventScrollReset: true },
    );

  return {
    filter,
    q,
    page,
    update,
    level: preferred === null ? (params.get('level') ?? '') : String(preferred),
    preferred,
  };
}

/** The category tree as select options, each level indented under its parent. */
function categoryOptions(nodes: CategoryNode[], depth = 0): { value: string; label: string }[] {
  return nodes.flatMap((node) => [
    { value: node.slug, label: `${'\u00a0\u00a0\u00a0'.repeat(depth)}${node.name} (${node.postCount})` },
    ...categoryOptions(node.children, depth + 1),
  ]);
}

/**
 * "Latest posts": the featured posts, then published posts newest first (keyset pages, brought by
 * scrolling or "Load more"), narrowed by category, tag and maximum reading level; a search switches
 * to results by relevance in numbered pages, each with the text around the match.
 */
export function PostsPage() {
  const { filter, q, page, update, level, preferred } = useFeedParams();
  const categories = useCategories();
  const [draft, setDraft] = useState(q);
  const [shownQ, setShownQ] = useState(q);
  const searchId = useId();

  // The box follows the address (Back, a link to the feed).
  if (shownQ !== q) {
    setShownQ(q);
    setDraft(q);
  }

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    update({ q: draft.trim() || undefined });
  };

  const options = [{ value: '', label: 'All categories' }, ...categoryOptions(categories.data ?? [])];
  // A category in the address that the tree does not (yet) hold still shows as chosen.
  if (filter.category && !options.some((option) => option.value === filter.category)) {
    options.push({ value: filter.category, label: filter.category });
  }

  const levels = READING_LEVELS.some((option) => option.value === level)
    ? READING_LEVELS
    : [...READING_LEVELS, { value: level, label: `Grade ${level} or easier` }];

  return (
    <Stack gap="lg">
      <title>{q ? `Search: ${q} · Atrium` : 'Latest posts · Atrium'}</title>
      <Group justify="space-between" align="baseline" gap="sm" wrap="wrap">
        <Title order={1}>Latest posts</Title>
        <Group gap="md" wrap="wrap">
          <Anchor component={Link} to={paths.categories} size="sm">
            Categories
          </Anchor>
          <Anchor component={Link} to={paths.tags} size="sm">
            Tags
          </Anchor>
          <FeedLink
            href={feedPath({ category: filter.category, tag: filter.tag })}
            label={filter.category || filter.tag ? 'RSS feed of these posts' : 'RSS feed'}
          />
        </Group>
      </Group>

      <form role="search" aria-label="Posts" onSubmit={onSearch}>
        <Group gap="xs" align="flex-end" wrap="wrap">
          <TextInput
            id={searchId}
            type="search"
            label="Search posts"
            description="Words, a “phrase”, or -word to leave out"
            value={draft}
            onChange={(event) => setDraft(event.currentTarget.value)}
            style={{ flex: '1 1 14rem' }}
            maw={480}
          />
          <Button type="submit">Search</Button>
          {q ? (
            <Button variant="default" onClick={() => update({ q: undefined })}>
              Clear search
            </Button>
          ) : null}
        </Group>
      </form>

      <Group gap="md" align="flex-end" wrap="wrap">
        <NativeSelect
          label="Category"
          data={options}
          value={filter.category ?? ''}
          onChange={(event) => update({ category: event.currentTarget.value || undefined })}
          style={{ flex: '0 1 16rem' }}
          miw={0}
        />
        <NativeSelect
          label="Maximum reading level"
          data={levels}
          value={Number(level) > 0 ? level : ''}
          // "Any level" with a preferred level: `any`, or the preference would apply again.
          onChange={(event) => update({ level: event.currentTarget.value || (preferred === null ? undefined : 'any') })}
          style={{ flex: '0 1 14rem' }}
          miw={0}
        />
        {filter.tag ? (
          <Group gap="xs" wrap="wrap">
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              Tagged <strong>{filter.tag}</strong>
            </Text>
            <Button variant="default" size="compact-sm" onClick={() => update({ tag: undefined })}>
              Remove the tag filter
            </Button>
          </Group>
        ) : null}
      </Group>

      {preferred !== null ? (
        <Group gap="xs" wrap="wrap" role="status">
          <Text size="sm">Showing posts up to grade {preferred} — your preference.</Text>
          <Button variant="default" size="compact-sm" onClick={() => update({ level: 'any' })}>
            Show all
          </Button>
          <Anchor component={Link} to={paths.accessibility} size="sm">
            Change the preference
          </Anchor>
        </Group>
      ) : null}

      {!q && !filter.category && !filter.tag ? <FeaturedPosts /> : null}

      {q ? (
        <SearchResults filter={filter} q={q} page={page} onPage={(p) => update({ page: String(p) })} />
      ) : (
        <PostFeed
          filter={filter}
          heading={isFiltered(filter) ? 'Posts matching the filters, newest first' : 'Posts, newest first'}
          empty={
            isFiltered(filter) ? (
              <EmptyFiltered>No published posts match these filters.</EmptyFiltered>
            ) : (
              <Text>Nothing has been published yet.</Text>
            )
          }
        />
      )}
    </Stack>
  );
}

const isFiltered = (filter: FeedFilter) => Boolean(filter.category || filter.tag || filter.readingLevel);

/** Search results by relevance in numbered pages; posts with a similar title when none has the words. */
function SearchResults({
  filter,
  q,
  page,
  onPage,
}: {
  filter: FeedFilter;
  q: string;
  page: number;
  onPage: (page: number) => void;
}) {
  const search = useSearch({ ...filter, q }, page);
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  /** Set by "Previous page"/"Next page": once that page shows, focus goes to the results' heading. */
  const turning = useRef(false);

  useEffect(() => {
    if (!turning.current || search.isPlaceholderData || search.isPending) return;
    turning.current = false;
    headingRef.current?.focus();
  }, [page, search.isPlaceholderData, search.isPending]);

  const turnTo = (next: number) => {
    turning.current = true;
    onPage(next);
  };

  const heading = (
    <Title
      order={2}
      id={headingId}
      ref={headingRef}
      tabIndex={-1}
      size="h3"
      mb="sm"
      style={{ overflowWrap: 'anywhere' }}
    >
      Results for “{q}”
    </Title>
  );

  if (search.isPending) {
    return (
      <section aria-labelledby={headingId}>
        {heading}
        <PostsLoading label="Searching…" />
      </section>
    );
  }
  if (search.isError) {
    return (
      <section aria-labelledby={headingId}>
        {heading}
        <ApiErrorAlert
          title="Could not search the posts"
          error={search.error}
          onRetry={() => void search.refetch()}
          retrying={search.isFetching}
        />
      </section>
    );
  }

  const { posts, pagination } = search.data;
  const similar = posts.length > 0 && posts.every((post) => post.match?.by === 'similar');
  const summary =
    posts.length === 0
      ? `No posts found for “${q}”.`
      : similar
        ? `No post has these words. ${posts.length === 1 ? 'One post has' : `${posts.length} posts have`} a similar title.`
        : `${pagination.totalItems} ${pagination.totalItems === 1 ? 'result' : 'results'}${pagination.totalPages > 1 ? `, page ${pagination.page} of ${pagination.totalPages}` : ''}.`;

  return (
    <section aria-labelledby={headingId} aria-busy={search.isPlaceholderData}>
      {heading}
      <Stack gap="md">
        <Text role="status" aria-live="polite" aria-atomic="true">
          {summary}
        </Text>
        {posts.length === 0 ? (
          isFiltered(filter) ? (
            <EmptyFiltered>Try other words, or fewer filters.</EmptyFiltered>
          ) : null
        ) : (
          <PostList posts={posts} labelledBy={headingId} />
        )}
        {pagination.totalPages > 1 ? (
          <Group component="nav" aria-label="Result pages" gap="xs">
            <Button variant="default" disabled={!pagination.hasPrev} onClick={() => turnTo(page - 1)}>
              Previous page
            </Button>
            <Button variant="default" disabled={!pagination.hasNext} onClick={() => turnTo(page + 1)}>
              Next page
            </Button>
          </Group>
        ) : null}
      </Stack>
    </section>
  );
}
