import { Anchor, Button, Group, Modal, Stack, Text, Typography, VisuallyHidden } from '@mantine/core';
import { type RefObject, useId, useRef, useState } from 'react';
import { Link } from 'react-router';

import { profilePath } from '../../../app/paths';
import { FormErrorAlert } from '../../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../../components/ui/notify';
import { StatusBadge } from '../../../components/ui/StatusBadge';
import { UserAvatar } from '../../../components/ui/UserAvatar';
import type { Comment, CommentNode } from '../api/comments.api';
import { useCreateComment, useDeleteComment, useUpdateComment } from '../api/comments.queries';
import { clockTime, commentTime, MAX_DEPTH } from '../comments.format';
import { CommentForm, hasDetail } from './CommentForm';
import classes from './Comments.module.css';

/** What a thread needs to know of the page: the post, who reads, and the time (edit windows close). */
export interface ThreadContext {
  postId: string;
  /** The signed-in reader's id; `null` for a visitor. */
  viewerId: string | null;
  /** Holds `comments:moderate`: edits their own at any time, deletes any. */
  moderator: boolean;
  /** The post takes comments (and replies). */
  open: boolean;
  /** Now, in ms, renewed every few seconds: an edit window that closes takes the Edit button with it. */
  now: number;
  /** A comment was deleted: focus goes to the section (the comment may be gone). */
  onDeleted: () => void;
  /** The API said the post takes no comments any more. */
  onClosed: () => void;
}

/** What a new comment's author is told: whether others see it already. */
export function sentMessage(comment: Comment, what: 'comment' | 'reply'): string {
  const word = what === 'reply' ? 'Your reply' : 'Your comment';
  return comment.status === 'pending'
    ? `${word} was sent. It shows to others once a moderator approves it.`
    : `${word} is posted.`;
}

/** A comment of a thread and, below it, its replies (indented, in a list of their own). */
export function CommentItem({ node, context }: { node: CommentNode; context: ThreadContext }) {
  const author = node.author?.username;
  return (
    <li className={classes.comment}>
      <CommentCard node={node} context={context} />
      {node.replies.length > 0 ? (
        <ul className={`${classes.list} ${classes.replies}`} aria-label={author ? `Replies to ${author}` : 'Replies'}>
          {node.replies.map((reply) => (
            <CommentItem key={reply.id} node={reply} context={context} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function CommentCard({ node, context }: { node: CommentNode; context: ThreadContext }) {
  const hintId = useId();
  const [mode, setMode] = useState<'read' | 'reply' | 'edit'>('read');
  const [confirming, setConfirming] = useState(false);
  // The API said the window has closed (its clock, or its setting, differ from this page's guess).
  const [windowClosed, setWindowClosed] = useState(false);
  const replyButton = useRef<HTMLButtonElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const articleRef = useRef<HTMLElement>(null);
  const create = useCreateComment(context.postId);
  const update = useUpdateComment(context.postId);
  const remove = useDeleteComment(context.postId);

  if (node.deleted || !node.author) {
    return (
      <article aria-label="Deleted comment">
        <Text size="sm" c="dimmed" className={classes.deleted}>
          This comment was deleted.
        </Text>
      </article>
    );
  }

  const author = node.author;
  const own = context.viewerId !== null && author.id === context.viewerId;
  // The API says until when (COMMENT_EDIT_WINDOW_MINUTES); a 409 EDIT_WINDOW_CLOSED still hides the button.
  const until = new Date(node.editableUntil);
  const inWindow = !windowClosed && context.now < until.getTime();
  const canEdit = own && (context.moderator || inWindow);
  const canDelete = own || context.moderator;
  // Replies go to approved comments only, five levels deep at most (the API's rules).
  const canReply = context.viewerId !== null && context.open && node.status === 'approved' && node.depth < MAX_DEPTH;

  /** Puts a reply or an edit away; focus goes back to the button that opened it. */
  const close = (button: RefObject<HTMLButtonElement | null>) => {
    setMode('read');
    // After React has put the button back.
    requestAnimationFrame(() => (button.current ?? articleRef.current)?.focus());
  };

  const onDelete = () =>
    remove.mutate(node.id, {
      onSuccess: () => {
        setConfirming(false);
        notifySuccess('Your comment was deleted.');
        context.onDeleted();
      },
    });

  return (
    <article ref={articleRef} aria-label={`Comment by ${author.username}`} tabIndex={-1}>
      <Stack gap={6}>
        <Group gap="sm" wrap="nowrap" align="center">
          <UserAvatar user={author} size={32} decorative />
          <Text size="sm" miw={0} style={{ overflowWrap: 'anywhere' }}>
            <Anchor component={Link} to={profilePath(author.username)} fw={600}>
              {author.username}
            </Anchor>
            <Text span c="dimmed">
              {' · '}
              <time dateTime={node.createdAt}>{commentTime(node.createdAt)}</time>
              {node.editedAt ? (
                <>
                  {' · '}
                  <span>edited</span>
                  <VisuallyHidden>
                    {' '}
                    <time dateTime={node.editedAt}>{commentTime(node.editedAt)}</time>
                  </VisuallyHidden>
                </>
              ) : null}
            </Text>
          </Text>
        </Group>

        {node.status !== 'approved' ? <ModerationState status={node.status} own={own} /> : null}

        {mode === 'edit' ? (
          <CommentForm
            name={`edit-${node.id}`}
            label="Edit your comment"
            submitLabel="Save"
            errorTitle="Your comment was not saved"
            initialBody={node.body ?? ''}
            autoFocus
            onSubmit={(body) =>
              update.mutateAsync({ id: node.id, body }).then(() => {
                notifySuccess('Your comment was updated.');
                close(editButton);
              })
            }
            onRefused={(error) => {
              if (hasDetail(error, 'EDIT_WINDOW_CLOSED')) setWindowClosed(true);
            }}
            onCancel={() => close(editButton)}
          />
        ) : (
          <Typography>
            {/* Safe to insert as HTML: the API rendered the Markdown to a small subset and cleaned
                it with sanitize-html to an allowlist when the comment was saved (docs/API.md,
                "Comments"). This field only. */}
            <div className={classes.body} dangerouslySetInnerHTML={{ __html: node.html ?? '' }} />
          </Typography>
        )}

        {mode === 'read' && (canReply || canEdit || canDelete) ? (
          <Group gap="xs" wrap="wrap">
            {canReply ? (
              <Button
                ref={replyButton}
                variant="subtle"
                size="compact-sm"
                onClick={() => setMode('reply')}
                aria-label={`Reply to ${author.username}`}
              >
                Reply
              </Button>
            ) : null}
            {canEdit ? (
              <Button
                ref={editButton}
                variant="subtle"
                size="compact-sm"
                onClick={() => setMode('edit')}
                aria-describedby={context.moderator ? undefined : hintId}
                aria-label="Edit your comment"
              >
                Edit
              </Button>
            ) : null}
            {canDelete ? (
              <Button
                variant="subtle"
                size="compact-sm"
                onClick={() => setConfirming(true)}
                aria-label={own ? 'Delete your comment' : `Delete the comment by ${author.username}`}
              >
                Delete
              </Button>
            ) : null}
            {canEdit && !context.moderator ? (
              <Text size="xs" c="dimmed" id={hintId}>
                You can edit it until {clockTime(until)}.
              </Text>
            ) : null}
          </Group>
        ) : null}

        {mode === 'reply' ? (
          <CommentForm
            name={`reply-${node.id}`}
            label={`Your reply to ${author.username}`}
            submitLabel="Post reply"
            errorTitle="Your reply was not posted"
            autoFocus
            onSubmit={(body) =>
              create.mutateAsync({ body, parentId: node.id }).then((reply) => {
                notifySuccess(sentMessage(reply, 'reply'));
                close(replyButton);
              })
            }
            onRefused={(error) => {
              if (hasDetail(error, 'COMMENTS_CLOSED')) context.onClosed();
            }}
            onCancel={() => close(replyButton)}
          />
        ) : null}
      </Stack>

      <Modal
        opened={confirming}
        onClose={() => {
          setConfirming(false);
          remove.reset();
        }}
        title="Delete this comment?"
        centered
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        <Stack gap="md">
          <Text size="sm">
            {node.replies.length > 0
              ? 'Its replies stay; it shows as deleted among them. This cannot be undone.'
              : 'This cannot be undone.'}
          </Text>
          {remove.isError ? <FormErrorAlert title="The comment was not deleted" error={remove.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button color="red.9" onClick={onDelete} loading={remove.isPending}>
              Delete comment
            </Button>
          </Group>
        </Stack>
      </Modal>
    </article>
  );
}

/** Where a comment that others do not see stands, in words (the badge's colour only repeats them). */
function ModerationState({ status, own }: { status: 'pending' | 'rejected'; own: boolean }) {
  return (
    <Group gap="xs" wrap="wrap">
      {status === 'pending' ? (
        <StatusBadge tone="neutral" label="Awaiting moderation" size="sm" />
      ) : (
        <StatusBadge tone="negative" label="Rejected" size="sm" />
      )}
      {own ? (
        <Text size="xs" c="dimmed">
          {status === 'pending'
            ? 'Only you can see it until a moderator approves it.'
            : 'A moderator rejected it: only you and the moderators can see it.'}
        </Text>
      ) : null}
    </Group>
  );
}
