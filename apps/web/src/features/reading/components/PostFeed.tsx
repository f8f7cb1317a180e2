import { Anchor, Button, Group, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { type ReactNode, useEffect, useId, useMemo, useRef } from 'react';
import { Link } from 'react-router';

import { paths } from '../../../app/paths';
import { ApiErrorAlert } from '../../../components/ui/ApiErrorAlert';
import { useEffectivePreferences } from '../../settings';
import type { FeedFilter, PostSummary } from '../api/reading.api';
import { useFeed } from '../api/reading.queries';
import { PostCard, PostCardSkeleton } from './PostCard';

/**
 * Pages that scrolling alone brings (the first one included). Past them only "Load more" brings
 * more, so what is below the list (the footer, its links) can still be reached by scrolling.
 */
export const AUTO_LOAD_PAGES = 5;

/** Cards while the first page loads; a status says it once. */
export function PostsLoading({ label }: { label: string }) {
  return (
    <Stack gap="md">
      <div role="status">
        <VisuallyHidden>{label}</VisuallyHidden>
      </div>
      <PostCardSkeleton />
      <PostCardSkeleton />
      <PostCardSkeleton />
    </Stack>
  );
}

/** An empty list that a filter made empty: says so, and leads to every post. */
export function EmptyFiltered({ children }: { children: ReactNode }) {
  // With a preferred reading level, "all" has to say so (`level=any`), or the preference applies again.
  const { maxReadingLevel } = useEffectivePreferences();
  return (
    <Stack gap="xs" align="flex-start">
      <Text>{children}</Text>
      <Anchor component={Link} to={maxReadingLevel === null ? paths.posts : `${paths.posts}?level=any`}>
        Show all posts
      </Anchor>
    </Stack>
  );
}

export function PostList({
  posts,
  labelledBy,
  linkRef,
}: {
  posts: PostSummary[];
  labelledBy: string;
  linkRef?: (index: number) => (element: HTMLAnchorElement | null) => void;
}) {
  return (
    <Stack component="ul" gap="md" aria-labelledby={labelledBy} m={0} p={0} style={{ listStyle: 'none' }}>
      {posts.map((post, index) => (
        <li key={post.id}>
          <PostCard post={post} ref={linkRef?.(index)} />
        </li>
      ))}
    </Stack>
  );
}

/**
 * Calls `onReach` when the returned element comes near the viewport (600 px ahead), while `active`.
 * Observed again whenever `generation` changes: a page that came and left the element in view
 * brings the next one (an observer only reports changes). Without IntersectionObserver, nothing.
 */
function useNearViewport(onReach: () => void, active: boolean, generation: number) {
  const ref = useRef<HTMLDivElement>(null);
  const latest = useRef(onReach);
  useEffect(() => {
    latest.current = onReach;
  });
  useEffect(() => {
    const element = ref.current;
    if (!active || !element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) latest.current();
      },
      { rootMargin: '0px 0px 600px 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [active, generation]);
  return ref;
}

export interface PostFeedProps {
  filter: FeedFilter;
  /** The list's heading: for assistive tech only (the page's own headings are above it) unless `showHeading`. */
  heading: string;
  showHeading?: boolean;
  /** What the list says when no post is in it. */
  empty: ReactNode;
}

/**
 * Published posts, newest first, in keyset pages. Scrolling near the end brings the next page (up
 * to AUTO_LOAD_PAGES); "Load more" is always there too, for the keyboard, and moves focus to the
 * first post it brought. A polite status says how many posts show and how many came.
 */
export function PostFeed({ filter, heading: headingText, showHeading = false, empty }: PostFeedProps) {
  const feed = useFeed(filter);
  const headingId = useId();
  const links = useRef(new Map<number, HTMLAnchorElement>());
  /** The index of the first post of the page "Load more" is bringing (focus goes there once it shows). */
  const focusFrom = useRef<number | undefined>(undefined);
  const posts = useMemo(() => feed.data?.pages.flatMap((p) => p.posts) ?? [], [feed.data]);
  const pageCount = feed.data?.pages.length ?? 0;
  const lastPage = feed.data?.pages.at(-1)?.posts.length ?? 0;

  useEffect(() => {
    if (focusFrom.current === undefined || feed.isFetchingNextPage) return;
    // Failed or brought nothing: focus stays where it is (the error's Retry, the button).
    links.current.get(focusFrom.current)?.focus();
    focusFrom.current = undefined;
  }, [feed.isFetchingNextPage, posts.length]);

  const autoLoad =
    feed.hasNextPage && !feed.isFetching && !feed.isFetchNextPageError && pageCount > 0 && pageCount < AUTO_LOAD_PAGES;
  const sentinel = useNearViewport(
    () => {
      if (feed.hasNextPage && !feed.isFetching) void feed.fetchNextPage();
    },
    autoLoad,
    pageCount,
  );

  const heading = showHeading ? (
    <Title order={2} size="h3" id={headingId} mb="sm" style={{ overflowWrap: 'anywhere' }}>
      {headingText}
    </Title>
  ) : (
    <VisuallyHidden>
      <Title order={2} id={headingId}>
        {headingText}
      </Title>
    </VisuallyHidden>
  );

  if (feed.isPending) {
    return (
      <section aria-labelledby={headingId}>
        {heading}
        <PostsLoading label="Loading posts…" />
      </section>
    );
  }
  // An error with posts on screen is one of "Load more" (shown below them); without, of the feed.
  if (!feed.data) {
    return (
      <section aria-labelledby={headingId}>
        {heading}
        <ApiErrorAlert
          title="Could not load the posts"
          error={feed.error}
          onRetry={() => void feed.refetch()}
          retrying={feed.isFetching}
        />
      </section>
    );
  }

  const loadMore = () => {
    focusFrom.current = posts.length;
    void feed.fetchNextPage();
  };
  const more = pageCount > 1 ? ` (${lastPage} more loaded)` : '';

  return (
    <section aria-labelledby={headingId}>
      {heading}
      {posts.length === 0 ? (
        empty
      ) : (
        <Stack gap="md">
          <PostList
            posts={posts}
            labelledBy={headingId}
            linkRef={(index) => (element) => {
              if (element) links.current.set(index, element);
              else links.current.delete(index);
            }}
          />
          {/* Scrolling near here brings the next page. */}
          {feed.hasNextPage ? <div ref={sentinel} aria-hidden="true" data-testid="feed-sentinel" /> : null}
          {/* Polite and atomic: every page that comes, by scrolling or "Load more", is announced with how many came. */}
          <Text size="sm" c="dimmed" role="status" aria-live="polite" aria-atomic="true">
            {feed.isFetchingNextPage
              ? `Showing ${posts.length} ${posts.length === 1 ? 'post' : 'posts'}; loading more…`
              : `Showing ${posts.length} ${posts.length === 1 ? 'post' : 'posts'}${more}${feed.hasNextPage ? '' : ' — that is all'}.`}
          </Text>
          {feed.isFetchNextPageError ? (
            <ApiErrorAlert
              title="Could not load more posts"
              error={feed.error}
              onRetry={loadMore}
              retrying={feed.isFetchingNextPage}
            />
          ) : null}
          {feed.hasNextPage && !feed.isFetchNextPageError ? (
            <Group>
              <Button variant="default" onClick={loadMore} loading={feed.isFetchingNextPage}>
                Load more
              </Button>
            </Group>
          ) : null}
        </Stack>
      )}
    </section>
  );
}
