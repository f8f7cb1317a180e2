import { ErrorCode } from '@atrium/contracts';
import { Anchor, Button, Group, Modal, Skeleton, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { editPostPath, revisionsPath } from '../../app/paths';
import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import { FormErrorAlert } from '../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../components/ui/notify';
import { ApiError } from '../../lib/api';
import { type DiffPart, restoreRevision, type Revision, type RevisionSummary } from './api/writing.api';
import { useRevision, useRevisions, useUserId, useVersionedPost, writingKeys } from './api/writing.queries';
import classes from './Writing.module.css';
import { dateTime } from './writing.format';

/**
 * `/write/:id/revisions`: a post's saves, newest first; `/write/:id/revisions/:revisionId`: one of
 * them, its text and what changed from it to the current text, and a way to bring it back.
 */
export function RevisionsPage() {
  const { id = '', revisionId } = useParams();
  const post = useVersionedPost(id);
  const revisions = useRevisions(id);
  const listId = useId();
  const postTitle = post.data?.post.title;

  return (
    <Stack gap="lg">
      <title>{`Revisions${postTitle ? `: ${postTitle}` : ''} · Atrium`}</title>
      <Stack gap={4}>
        <Anchor component={Link} to={editPostPath(id)} size="sm">
          Back to the editor
        </Anchor>
        <Title order={1} className={classes.wrapAnywhere}>
          Revisions{postTitle ? ` of “${postTitle}”` : ''}
        </Title>
      </Stack>

      <div className={classes.revisionsGrid}>
        <Stack component="section" gap="sm" aria-labelledby={listId}>
          <Title order={2} size="h4" id={listId}>
            Saves, newest first
          </Title>
          {revisions.isPending ? (
            <Stack gap="xs">
              <div role="status">
                <VisuallyHidden>Loading the revisions…</VisuallyHidden>
              </div>
              {[0, 1, 2].map((n) => (
                <Skeleton key={n} height={40} aria-hidden="true" />
              ))}
            </Stack>
          ) : revisions.isError ? (
            <ApiErrorAlert
              title="Could not load the revisions"
              error={revisions.error}
              onRetry={() => void revisions.refetch()}
              retrying={revisions.isFetching}
            />
          ) : revisions.data.length === 0 ? (
            <Text size="sm">No revisions yet: each save of the title or text keeps one.</Text>
          ) : (
            <RevisionList postId={id} revisions={revisions.data} current={revisionId} labelledBy={listId} />
          )}
        </Stack>
        <div>
          {revisionId ? (
            <RevisionView postId={id} revisionId={revisionId} />
          ) : (
            <Text size="sm">Choose a revision to see its text and what changed since.</Text>
          )}
        </div>
      </div>
    </Stack>
  );
}

function RevisionList({
  postId,
  revisions,
  current,
  labelledBy,
}: {
  postId: string;
  revisions: RevisionSummary[];
  current: string | undefined;
  labelledBy: string;
}) {
  return (
    <Stack component="ol" gap={6} m={0} p={0} className={classes.plainList} aria-labelledby={labelledBy}>
      {revisions.map((revision, index) => (
        <li key={revision.id}>
          <Anchor
            component={Link}
            to={revisionsPath(postId, revision.id)}
            aria-current={revision.id === current ? 'page' : undefined}
            fw={revision.id === current ? 700 : undefined}
            size="sm"
          >
            {dateTime(revision.createdAt)}
            {index === 0 ? ' (current)' : ''}
          </Anchor>
          <Text size="xs" c="dimmed" className={classes.wrapAnywhere}>
            {revision.title}
            {revision.editor ? ` · by ${revision.editor.username}` : ''}
          </Text>
        </li>
      ))}
    </Stack>
  );
}

function RevisionView({ postId, revisionId }: { postId: string; revisionId: string }) {
  const revision = useRevision(postId, revisionId);
  const headingId = useId();

  if (revision.isPending) {
    return (
      <Stack gap="sm">
        <div role="status">
          <VisuallyHidden>Loading the revision…</VisuallyHidden>
        </div>
        <Skeleton height={28} width="60%" aria-hidden="true" />
        <Skeleton height={200} aria-hidden="true" />
      </Stack>
    );
  }
  if (revision.isError) {
    return (
      <ApiErrorAlert
        title="Could not load this revision"
        error={revision.error}
        onRetry={() => void revision.refetch()}
        retrying={revision.isFetching}
      />
    );
  }
  const data = revision.data;
  const unchanged = data.diff.every((part) => part.op === 'equal');
  return (
    <Stack component="section" gap="md" aria-labelledby={headingId}>
      <Stack gap={2}>
        <Title order={2} size="h3" id={headingId} className={classes.wrapAnywhere}>
          {data.title}
        </Title>
        <Text size="sm" c="dimmed">
          Saved <time dateTime={data.createdAt}>{dateTime(data.createdAt)}</time>
          {data.editor ? ` by ${data.editor.username}` : ''}
        </Text>
      </Stack>
      <RestoreButton postId={postId} revision={data} />
      <Stack gap="xs">
        <Title order={3} size="h5">
          From this revision to the current text
        </Title>
        {unchanged ? (
          <Text size="sm">The text is the same as now.</Text>
        ) : (
          <Text size="sm" c="dimmed">
            Lines marked + are in the current text only; lines marked − are in this revision only.
          </Text>
        )}
        <Diff parts={data.diff} />
      </Stack>
    </Stack>
  );
}

/** The API's line diff, each changed line marked by a sign and in words for screen readers, not by colour alone. */
function Diff({ parts }: { parts: DiffPart[] }) {
  return (
    <pre className={classes.diff} data-testid="revision-diff">
      {parts.flatMap((part, partIndex) =>
        splitLines(part.text).map((line, lineIndex) => {
          const key = `${partIndex}-${lineIndex}`;
          if (part.op === 'added') {
            return (
              <ins key={key} className={`${classes.diffLine} ${classes.diffAdded}`}>
                <VisuallyHidden>Added: </VisuallyHidden>
                <span className={classes.diffMark} aria-hidden="true">
                  +
                </span>
                {line}
              </ins>
            );
          }
          if (part.op === 'removed') {
            return (
              <del key={key} className={`${classes.diffLine} ${classes.diffRemoved}`}>
                <VisuallyHidden>Removed: </VisuallyHidden>
                <span className={classes.diffMark} aria-hidden="true">
                  −
                </span>
                {line}
              </del>
            );
          }
          return (
            <span key={key} className={classes.diffLine}>
              <span className={classes.diffMark} aria-hidden="true">
                {' '}
              </span>
              {line}
            </span>
          );
        }),
      )}
    </pre>
  );
}

/** "a\nb\n" → ["a", "b"]; an empty line stays a line. */
function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines.map((line) => (line === '' ? '\u200b' : line));
}

function RestoreButton({ postId, revision }: { postId: string; revision: Revision }) {
  const [opened, setOpened] = useState(false);
  const post = useVersionedPost(postId);
  const queryClient = useQueryClient();
  const user = useUserId();
  const navigate = useNavigate();

  const restore = useMutation({
    mutationFn: () => restoreRevision(postId, revision.id, post.data?.etag),
    onSuccess: (next) => {
      queryClient.setQueryData(writingKeys.post(user, postId), next);
      void queryClient.invalidateQueries({ queryKey: writingKeys.revisions(user, postId) });
      void queryClient.invalidateQueries({ queryKey: writingKeys.minePrefix(user) });
      notifySuccess(`The revision of ${dateTime(revision.createdAt)} is back in the post.`);
      void navigate(editPostPath(postId));
    },
  });
  const changedElsewhere = restore.error instanceof ApiError && restore.error.code === ErrorCode.PRECONDITION_FAILED;

  return (
    <>
      <Group>
        <Button variant="default" onClick={() => setOpened(true)} disabled={!post.data}>
          Restore this revision
        </Button>
      </Group>
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title="Restore this revision?"
        centered
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        <Stack gap="md">
          <Text size="sm">
            The post’s title and text become those of {dateTime(revision.createdAt)}. The current text stays among the
            revisions, so this can be undone.
          </Text>
          {changedElsewhere ? (
            <FormErrorAlert
              title="The post changed since you opened it"
              message="Someone saved it meanwhile; nothing was restored. Reload the post, then compare again."
            />
          ) : restore.isError ? (
            <FormErrorAlert title="Could not restore the revision" error={restore.error} />
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)} data-autofocus>
              Cancel
            </Button>
            {changedElsewhere ? (
              <Button
                onClick={() => {
                  restore.reset();
                  void post.refetch();
                  void queryClient.invalidateQueries({ queryKey: writingKeys.revision(user, postId, revision.id) });
                  setOpened(false);
                }}
              >
                Reload
              </Button>
            ) : (
              <Button onClick={() => restore.mutate()} loading={restore.isPending}>
                Restore
              </Button>
            )}
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
