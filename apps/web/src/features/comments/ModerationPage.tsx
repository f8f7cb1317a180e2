import { ErrorCode } from '@atrium/contracts';
import { Anchor, Button, Group, Skeleton, Stack, Text, Title, Typography, VisuallyHidden } from '@mantine/core';
import { useId, useRef, useState } from 'react';
import { Link } from 'react-router';

import { paths, postPath, profilePath } from '../../app/paths';
import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import { DataTable, type DataTableColumn } from '../../components/ui/DataTable';
import { FormErrorAlert } from '../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../components/ui/notify';
import { PageLoader } from '../../components/ui/PageLoader';
import { ApiError } from '../../lib/api';
import { usePermissions } from '../auth';
import type { QueuedComment } from './api/comments.api';
import { QUEUE_PAGE_SIZE, useModerateComment, useModerateComments, useQueue } from './api/comments.queries';
import { commentCount, commentTime } from './comments.format';
import classes from './components/Comments.module.css';
import page from './ModerationPage.module.css';

/** The comments moderation queue, for those who hold `comments:moderate` (the API checks each call too). */
export function ModerationPage() {
  const { can, isPending } = usePermissions();

  return (
    <Stack gap="lg">
      <title>Moderation · Atrium</title>
      <div>
        <Title order={1}>Moderation</Title>
        {/* A readable measure, as on the home page: across the page the sentences ran 150 characters a line. */}
        <Text mt={4} maw={720}>
          Comments wait here until a moderator approves them; readers see them once approved. Rejected comments stay
          visible to their authors only.
        </Text>
      </div>
      {isPending ? (
        <PageLoader label="Checking your permissions…" />
      ) : can('comments:moderate') ? (
        <Queue />
      ) : (
        <NotAllowed />
      )}
    </Stack>
  );
}

function NotAllowed() {
  return (
    <Stack gap="xs" align="flex-start">
      <Text>Your account cannot moderate comments. Ask an administrator if you should.</Text>
      <Anchor component={Link} to={paths.posts}>
        Back to the posts
      </Anchor>
    </Stack>
  );
}

const actionWords = { approve: 'approved', reject: 'rejected' } as const;

function Queue() {
  const [pageNumber, setPageNumber] = useState(1);
  const queue = useQueue(pageNumber);
  const one = useModerateComment();
  const many = useModerateComments();
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);

  const records = queue.data?.comments ?? [];
  const total = queue.data?.pagination.totalItems ?? 0;
  const selected = records.filter((comment) => selectedIds.includes(comment.id));

  /**
   * After rows leave the queue: the news, and focus on the queue's heading (the button pressed is
   * gone). A later page left empty gives way to the one before it.
   */
  const settle = (message: string, left: number) => {
    notifySuccess(message);
    if (left === 0 && pageNumber > 1) setPageNumber((n) => n - 1);
    headingRef.current?.focus();
  };

  const moderateOne = (comment: QueuedComment, action: 'approve' | 'reject') => {
    many.reset();
    one.mutate(
      { id: comment.id, action },
      {
        onSuccess: () => {
          setSelectedIds((ids) => ids.filter((id) => id !== comment.id));
          settle(
            `The comment by ${comment.author?.username ?? 'a deleted account'} was ${actionWords[action]}.`,
            records.length - 1,
          );
        },
      },
    );
  };

  const moderateSelected = (action: 'approve' | 'reject') => {
    one.reset();
    const ids = selected.map((comment) => comment.id);
    many.mutate(
      { ids, action },
      {
        onSuccess: ({ changed, missing }) => {
          setSelectedIds([]);
          const gone = missing.length > 0 ? ` ${commentCount(missing.length)} had already been deleted.` : '';
          settle(
            `${changed === 1 ? '1 comment' : `${changed} comments`} ${actionWords[action]}.${gone}`,
            records.length - ids.length,
          );
        },
      },
    );
  };

  if (queue.isPending) {
    return (
      <section aria-labelledby={headingId}>
        <Title order={2} size="h3" id={headingId} mb="sm">
          Waiting for moderation
        </Title>
        <div role="status">
          <VisuallyHidden>Loading the queue…</VisuallyHidden>
        </div>
        <Stack gap="sm" aria-hidden="true">
          <Skeleton height={40} />
          <Skeleton height={72} />
          <Skeleton height={72} />
        </Stack>
      </section>
    );
  }
  if (queue.isError && !queue.data) {
    if (queue.error instanceof ApiError && queue.error.code === ErrorCode.FORBIDDEN) return <NotAllowed />;
    return (
      <ApiErrorAlert
        title="Could not load the moderation queue"
        error={queue.error}
        onRetry={() => void queue.refetch()}
        retrying={queue.isFetching}
      />
    );
  }

  const busy = one.isPending || many.isPending;
  const columns: DataTableColumn<QueuedComment>[] = [
    {
      accessor: 'body',
      title: 'Comment',
      render: (comment) => (
        <Stack gap={6} miw={0}>
          <Typography>
            {/* Sanitized by the API when the comment was saved (docs/API.md, "Comments"). */}
            <div className={classes.body} dangerouslySetInnerHTML={{ __html: comment.html ?? '' }} />
          </Typography>
          {/* On a narrow screen the post, author and date fold into this cell. */}
          <Text size="sm" c="dimmed" className={page.narrowOnly}>
            On <PostLink comment={comment} /> · by <AuthorLink comment={comment} /> ·{' '}
            <time dateTime={comment.createdAt}>{commentTime(comment.createdAt)}</time>
          </Text>
        </Stack>
      ),
    },
    {
      accessor: 'postTitle',
      title: 'Post',
      visibleMediaQuery: WIDE,
      render: (comment) => <PostLink comment={comment} />,
    },
    {
      accessor: 'author',
      title: 'Author',
      visibleMediaQuery: WIDE,
      render: (comment) => <AuthorLink comment={comment} />,
    },
    {
      accessor: 'createdAt',
      title: 'Written',
      visibleMediaQuery: WIDE,
      render: (comment) => <time dateTime={comment.createdAt}>{commentTime(comment.createdAt)}</time>,
    },
    {
      accessor: 'actions',
      title: <VisuallyHidden>Actions</VisuallyHidden>,
      width: 110,
      render: (comment) => {
        const who = `the comment by ${comment.author?.username ?? 'a deleted account'}`;
        const working = one.isPending && one.variables.id === comment.id;
        return (
          <Stack gap={6} align="stretch">
            <Button
              size="compact-sm"
              onClick={() => moderateOne(comment, 'approve')}
              loading={working && one.variables.action === 'approve'}
              disabled={busy && !working}
              aria-label={`Approve ${who}`}
            >
              Approve
            </Button>
            <Button
              size="compact-sm"
              variant="default"
              onClick={() => moderateOne(comment, 'reject')}
              loading={working && one.variables.action === 'reject'}
              disabled={busy && !working}
              aria-label={`Reject ${who}`}
            >
              Reject
            </Button>
          </Stack>
        );
      },
    },
  ];

  return (
    <Stack component="section" gap="md" aria-labelledby={headingId}>
      <div>
        <Title order={2} size="h3" id={headingId} ref={headingRef} tabIndex={-1} style={{ outline: 'none' }}>
          Waiting for moderation
        </Title>
        {/* Polite: what a moderation left, said after each one. */}
        <Text size="sm" c="dimmed" role="status" aria-live="polite" aria-atomic="true">
          {total === 0 ? 'The queue is empty.' : `${commentCount(total)} waiting, oldest first.`}
        </Text>
      </div>

      {queue.isError ? (
        <ApiErrorAlert
          title="Could not load the moderation queue"
          error={queue.error}
          onRetry={() => void queue.refetch()}
          retrying={queue.isFetching}
        />
      ) : null}
      {one.isError ? <FormErrorAlert title="The comment was not moderated" error={one.error} focusOnShow /> : null}
      {many.isError ? <FormErrorAlert title="The comments were not moderated" error={many.error} focusOnShow /> : null}

      {total === 0 ? null : (
        <>
          <Group gap="sm" wrap="wrap" role="group" aria-label="With the selected comments">
            <Button
              onClick={() => moderateSelected('approve')}
              disabled={selected.length === 0 || (busy && !many.isPending)}
              loading={many.isPending && many.variables.action === 'approve'}
            >
              Approve selected ({selected.length})
            </Button>
            <Button
              variant="default"
              onClick={() => moderateSelected('reject')}
              disabled={selected.length === 0 || (busy && !many.isPending)}
              loading={many.isPending && many.variables.action === 'reject'}
            >
              Reject selected ({selected.length})
            </Button>
          </Group>
          <DataTable<QueuedComment>
            aria-label="Comments waiting for moderation"
            records={records}
            columns={columns}
            fetching={queue.isFetching && queue.isPlaceholderData}
            selectedRecords={selected}
            onSelectedRecordsChange={(chosen) => setSelectedIds(chosen.map((comment) => comment.id))}
            allRecordsSelectionCheckboxProps={{ 'aria-label': 'Select every comment on this page' }}
            getRecordSelectionCheckboxProps={(comment) => ({
              'aria-label': `Select the comment by ${comment.author?.username ?? 'a deleted account'} on “${comment.postTitle}”`,
            })}
            page={pageNumber}
            onPageChange={(next) => {
              setSelectedIds([]);
              setPageNumber(next);
            }}
            totalRecords={total}
            recordsPerPage={QUEUE_PAGE_SIZE}
            paginationText={({ from, to, totalRecords }) => `${from}–${to} of ${totalRecords}`}
          />
        </>
      )}
    </Stack>
  );
}

/** Wide enough for the post, author and date to have columns of their own. */
const WIDE = '(min-width: 48em)';

function PostLink({ comment }: { comment: QueuedComment }) {
  return (
    <Anchor component={Link} to={postPath(comment.postSlug)}>
      {comment.postTitle}
    </Anchor>
  );
}

function AuthorLink({ comment }: { comment: QueuedComment }) {
  if (!comment.author) return <>a deleted account</>;
  return (
    <Anchor component={Link} to={profilePath(comment.author.username)}>
      {comment.author.username}
    </Anchor>
  );
}
