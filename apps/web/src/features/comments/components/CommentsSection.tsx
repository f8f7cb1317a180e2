import type { Schema } from '@atrium/api-client';
import { Alert, Anchor, Button, Group, Skeleton, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';

import { paths } from '../../../app/paths';
import { ApiErrorAlert } from '../../../components/ui/ApiErrorAlert';
import { notifySuccess } from '../../../components/ui/notify';
import { signInPath, useAuth, usePermissions } from '../../auth';
import { useCreateComment, useThreads, useViewer } from '../api/comments.queries';
import { commentCount } from '../comments.format';
import { CommentForm, hasDetail } from './CommentForm';
import { CommentItem, sentMessage, type ThreadContext } from './CommentItem';
import classes from './Comments.module.css';

/** What the section needs of the post. */
export type CommentedPost = Pick<Schema<'PostDto'>, 'id' | 'commentsOpen' | 'commentCount'>;

/** How often the page's clock moves on (edit windows close while it is open). */
const CLOCK_MS = 15_000;

function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), CLOCK_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * A post's comments, under it: the threads oldest first (replies nested, "Load more threads"),
 * then a form to write one — or a link to sign in first, or a notice that comments are closed.
 * The reader's own comments that wait for a moderator show to them with "Awaiting moderation".
 */
export function CommentsSection({ post }: { post: CommentedPost }) {
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The API may say comments were closed after the post was loaded.
  const [closedNow, setClosedNow] = useState(false);
  const open = post.commentsOpen && !closedNow;
  const viewer = useViewer();
  const { can } = usePermissions();
  const now = useNow();

  const context: ThreadContext = {
    postId: post.id,
    viewerId: viewer ?? null,
    moderator: can('comments:moderate'),
    open,
    now,
    onDeleted: () => headingRef.current?.focus(),
    onClosed: () => setClosedNow(true),
  };

  return (
    <Stack component="section" gap="md" aria-labelledby={headingId} maw={760} mt="xl">
      <div>
        <Title order={2} id={headingId} ref={headingRef} tabIndex={-1} style={{ outline: 'none' }}>
          Comments
        </Title>
        {/* None yet: the threads below say so (saying it twice read as a stutter in the screenshots). */}
        {post.commentCount > 0 && (
          <Text size="sm" c="dimmed">
            {commentCount(post.commentCount)}
          </Text>
        )}
      </div>
      <Threads postId={post.id} context={context} labelledBy={headingId} />
      <Composer postId={post.id} open={open} onClosed={() => setClosedNow(true)} />
    </Stack>
  );
}

function Threads({ postId, context, labelledBy }: { postId: string; context: ThreadContext; labelledBy: string }) {
  const threads = useThreads(postId);
  const listRef = useRef<HTMLUListElement>(null);
  /** The index of the first thread "Load more threads" is bringing (focus goes there once it shows). */
  const focusFrom = useRef<number | undefined>(undefined);
  const all = useMemo(() => threads.data?.pages.flatMap((page) => page.threads) ?? [], [threads.data]);
  const lastPage = threads.data?.pages.at(-1)?.threads.length ?? 0;

  useEffect(() => {
    if (focusFrom.current === undefined || threads.isFetchingNextPage) return;
    const first = listRef.current?.children.item(focusFrom.current)?.querySelector<HTMLElement>('article');
    first?.focus();
    focusFrom.current = undefined;
  }, [threads.isFetchingNextPage, all.length]);

  if (threads.isPending) {
    return (
      <div>
        <div role="status">
          <VisuallyHidden>Loading the comments…</VisuallyHidden>
        </div>
        <Stack gap="lg" aria-hidden="true">
          {[0, 1].map((n) => (
            <Stack key={n} gap={6}>
              <Group gap="sm">
                <Skeleton height={32} circle />
                <Skeleton height={14} width={180} />
              </Group>
              <Skeleton height={14} />
              <Skeleton height={14} width="70%" />
            </Stack>
          ))}
        </Stack>
      </div>
    );
  }
  // An error with threads on screen is one of "Load more threads" (shown below them).
  if (!threads.data) {
    return (
      <ApiErrorAlert
        title="Could not load the comments"
        error={threads.error}
        onRetry={() => void threads.refetch()}
        retrying={threads.isFetching}
      />
    );
  }
  if (all.length === 0) return <Text>Nobody has commented yet.</Text>;

  const loadMore = () => {
    focusFrom.current = all.length;
    void threads.fetchNextPage();
  };
  const more = threads.data.pages.length > 1 ? ` (${lastPage} more loaded)` : '';

  return (
    <Stack gap="md">
      <ul ref={listRef} className={classes.list} aria-labelledby={labelledBy}>
        {all.map((node) => (
          <CommentItem key={node.id} node={node} context={context} />
        ))}
      </ul>
      {threads.hasNextPage || threads.data.pages.length > 1 ? (
        // Polite and atomic: "Load more threads" is announced with how many came.
        <Text size="sm" c="dimmed" role="status" aria-live="polite" aria-atomic="true">
          {`Showing ${all.length} ${all.length === 1 ? 'thread' : 'threads'}${more}${threads.hasNextPage ? '' : ' — that is all'}.`}
        </Text>
      ) : null}
      {threads.isFetchNextPageError ? (
        <ApiErrorAlert
          title="Could not load more comments"
          error={threads.error}
          onRetry={loadMore}
          retrying={threads.isFetchingNextPage}
        />
      ) : null}
      {threads.hasNextPage && !threads.isFetchNextPageError ? (
        <Group>
          <Button variant="default" onClick={loadMore} loading={threads.isFetchingNextPage}>
            Load more threads
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

/** Below the threads: the form to write a comment, or why there is none. */
function Composer({ postId, open, onClosed }: { postId: string; open: boolean; onClosed: () => void }) {
  const { status } = useAuth();
  const { can, isPending } = usePermissions();
  const location = useLocation();
  const create = useCreateComment(postId);
  const threads = useThreads(postId);

  if (!open) {
    return (
      <Alert
        color="gray"
        variant="light"
        title="Comments are closed"
        styles={{ title: { color: 'var(--mantine-color-text)' } }}
      >
        <Text size="sm">This post takes no new comments or replies.</Text>
      </Alert>
    );
  }
  if (status === 'restoring') return null;
  if (status === 'signed-out') {
    return (
      <Text>
        <Anchor component={Link} to={signInPath(`${location.pathname}${location.search}`)} fw={600}>
          Sign in to comment
        </Anchor>
        {' · '}
        New here?{' '}
        <Anchor component={Link} to={paths.signUp}>
          Create an account
        </Anchor>
      </Text>
    );
  }
  if (!isPending && !can('comments:create')) {
    return <Text>Your account cannot write comments.</Text>;
  }

  return (
    <CommentForm
      name="comment-new"
      label="Your comment"
      submitLabel="Post comment"
      errorTitle="Your comment was not posted"
      onSubmit={(body) =>
        create.mutateAsync({ body }).then((comment) => {
          // A new thread goes last: further pages may come before it.
          const later = threads.hasNextPage ? ' It is at the end of the comments: load them all to see it.' : '';
          notifySuccess(`${sentMessage(comment, 'comment')}${later}`);
        })
      }
      onRefused={(error) => {
        if (hasDetail(error, 'COMMENTS_CLOSED')) onClosed();
      }}
    />
  );
}
