import { Anchor, Button, Card, Group, Skeleton, Stack, Tabs, Text, Title, VisuallyHidden } from '@mantine/core';
import { useEffect, useId, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';

import { editPostPath, paths } from '../../app/paths';
import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import type { MyPostSummary, PostStatus } from './api/writing.api';
import { useMyPosts } from './api/writing.queries';
import { PostStatusBadge } from './components/PostStatusBadge';
import classes from './Writing.module.css';
import { dateTime, isStatus, STATUS, STATUSES } from './writing.format';

const ALL = 'all';

/**
 * "My posts": the signed-in author's posts of every status, most recently changed first, one tab
 * per status (kept in the address: `?status=draft&page=2`), each linking to its editor.
 */
export function MyPostsPage() {
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const page = Math.max(1, Math.floor(Number(params.get('page')) || 1));

  const show = (next: string | null) =>
    setParams(next && next !== ALL ? { status: next } : {}, { preventScrollReset: true });
  const turnTo = (next: number) =>
    setParams(
      (current) => {
        const changed = new URLSearchParams(current);
        if (next > 1) changed.set('page', String(next));
        else changed.delete('page');
        return changed;
      },
      { preventScrollReset: true },
    );

  return (
    <Stack gap="lg">
      <title>My posts · Atrium</title>
      <Group justify="space-between" align="center" gap="sm">
        <Title order={1}>My posts</Title>
        <Group gap="sm">
          <Button component={Link} to={paths.media} variant="default">
            Media library
          </Button>
          <Button component={Link} to={paths.write.new}>
            New post
          </Button>
        </Group>
      </Group>
      <Tabs value={status ?? ALL} onChange={show} keepMounted={false}>
        <Tabs.List aria-label="Posts by status" className={classes.tabList}>
          <Tabs.Tab value={ALL}>All</Tabs.Tab>
          {STATUSES.map((value) => (
            <Tabs.Tab key={value} value={value}>
              {STATUS[value].plural}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {[ALL, ...STATUSES].map((value) => (
          <Tabs.Panel key={value} value={value} pt="md">
            <PostList status={status} page={page} onPage={turnTo} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}

function PostList({
  status,
  page,
  onPage,
}: {
  status: PostStatus | undefined;
  page: number;
  onPage: (page: number) => void;
}) {
  const posts = useMyPosts(status, page);
  const summaryRef = useRef<HTMLParagraphElement>(null);
  const turning = useRef(false);
  const headingId = useId();

  useEffect(() => {
    if (!turning.current || posts.isPlaceholderData || posts.isPending) return;
    turning.current = false;
    summaryRef.current?.focus();
  }, [page, posts.isPlaceholderData, posts.isPending]);

  const heading = (
    <VisuallyHidden>
      <Title order={2} id={headingId}>
        {status ? STATUS[status].plural : 'All posts'}
      </Title>
    </VisuallyHidden>
  );

  if (posts.isPending) {
    return (
      <section aria-labelledby={headingId}>
        {heading}
        <div role="status">
          <VisuallyHidden>Loading your posts…</VisuallyHidden>
        </div>
        <Stack gap="sm" aria-hidden="true">
          {[0, 1, 2].map((n) => (
            <Skeleton key={n} height={72} radius="md" />
          ))}
        </Stack>
      </section>
    );
  }
  if (posts.isError) {
    return (
      <section aria-labelledby={headingId}>
        {heading}
        <ApiErrorAlert
          title="Could not load your posts"
          error={posts.error}
          onRetry={() => void posts.refetch()}
          retrying={posts.isFetching}
        />
      </section>
    );
  }

  const { posts: list, pagination } = posts.data;
  if (list.length === 0 && page === 1) {
    return (
      <section aria-labelledby={headingId}>
        {heading}
        <Stack gap="sm" align="flex-start">
          <Text>{status ? emptyText[status] : 'You have not written any posts yet.'}</Text>
          <Anchor component={Link} to={paths.write.new}>
            Write a new post
          </Anchor>
        </Stack>
      </section>
    );
  }

  const turn = (next: number) => {
    turning.current = true;
    onPage(next);
  };

  return (
    <section aria-labelledby={headingId} aria-busy={posts.isPlaceholderData}>
      {heading}
      <Stack gap="sm">
        <Text ref={summaryRef} tabIndex={-1} size="sm" c="dimmed" role="status" className={classes.focusTarget}>
          {`${pagination.totalItems} ${pagination.totalItems === 1 ? 'post' : 'posts'}${
            pagination.totalPages > 1 ? `, page ${pagination.page} of ${pagination.totalPages}` : ''
          }.`}
        </Text>
        <Stack component="ul" gap="sm" m={0} p={0} aria-labelledby={headingId} className={classes.plainList}>
          {list.map((post) => (
            <li key={post.id}>
              <PostRow post={post} />
            </li>
          ))}
        </Stack>
        {pagination.totalPages > 1 ? (
          <Group component="nav" aria-label="Pages of posts" gap="xs">
            <Button variant="default" disabled={!pagination.hasPrev} onClick={() => turn(page - 1)}>
              Previous page
            </Button>
            <Button variant="default" disabled={!pagination.hasNext} onClick={() => turn(page + 1)}>
              Next page
            </Button>
          </Group>
        ) : null}
      </Stack>
    </section>
  );
}

const emptyText: Record<PostStatus, string> = {
  draft: 'You have no drafts.',
  scheduled: 'Nothing is scheduled.',
  published: 'You have not published anything yet.',
  archived: 'You have no archived posts.',
};

/** When a post was last changed, or when it goes live or went live. */
function when(post: MyPostSummary): { label: string; iso: string } {
  if (post.status === 'scheduled' && post.scheduledAt) return { label: 'Goes live on', iso: post.scheduledAt };
  if (post.status === 'published' && post.publishedAt) return { label: 'Published on', iso: post.publishedAt };
  return { label: 'Last changed on', iso: post.updatedAt };
}

function PostRow({ post }: { post: MyPostSummary }) {
  const time = when(post);
  return (
    <Card withBorder radius="md" padding="md">
      <Group justify="space-between" align="flex-start" gap="sm" wrap="nowrap">
        <Stack gap={4} miw={0}>
          <Anchor component={Link} to={editPostPath(post.id)} fw={600} className={classes.wrapAnywhere}>
            {post.title}
          </Anchor>
          <Text size="sm" c="dimmed">
            {time.label} <time dateTime={time.iso}>{dateTime(time.iso)}</time>
            {post.visibility === 'members' ? ' · Members only' : ''}
          </Text>
        </Stack>
        <PostStatusBadge status={post.status} />
      </Group>
    </Card>
  );
}
