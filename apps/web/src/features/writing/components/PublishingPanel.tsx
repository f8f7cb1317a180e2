import { ErrorCode } from '@atrium/contracts';
import { Alert, Anchor, Button, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';

import { postPath } from '../../../app/paths';
import { DateTimePicker } from '../../../components/ui/dates';
import { FormErrorAlert } from '../../../components/ui/FormErrorAlert';
import { AlertIcon } from '../../../components/ui/icons';
import { notifyFailure, notifySuccess } from '../../../components/ui/notify';
import { ApiError } from '../../../lib/api';
import { sentence } from '../../../lib/forms';
import { archivePost, deletePost, publishPost, schedulePost, unpublishPost, type Versioned } from '../api/writing.api';
import { dateTime, timeZone } from '../writing.format';
import { ProblemList, problemCount } from './AccessibilityPanel';
import { PostStatusBadge } from './PostStatusBadge';

type Action = 'publish' | 'unpublish' | 'archive';

const ACTIONS: Record<Action, { run: (id: string) => Promise<Versioned>; done: string; failed: string }> = {
  publish: { run: publishPost, done: 'Post published.', failed: 'Could not publish the post' },
  unpublish: { run: unpublishPost, done: 'Post taken back to draft.', failed: 'Could not unpublish the post' },
  archive: { run: archivePost, done: 'Post archived.', failed: 'Could not archive the post' },
};

interface PublishingPanelProps {
  /** The saved post (`undefined` while it has never been saved). */
  base: Versioned | undefined;
  /** Saves what is on screen first; `undefined` when that failed (the form says why). */
  ensureSaved: () => Promise<Versioned | undefined>;
  /** The post as an action left it. */
  onChanged: (next: Versioned) => void;
  onDeleted: () => void;
  /** Something else (a save, a conflict) is under way: the actions wait. */
  busy: boolean;
}

/**
 * Where the post stands and what can be done with it: publish now, schedule, unpublish, archive,
 * delete. Publishing saves what is on screen first. A refusal for accessibility problems lists them.
 */
export function PublishingPanel({ base, ensureSaved, onChanged, onDeleted, busy }: PublishingPanelProps) {
  const headingId = useId();
  const [problems, setProblems] = useState<readonly { code: string; message: string }[]>();
  const [scheduling, setScheduling] = useState(false);
  const [deleting, setDeleting] = useState(false);
  // A refusal speaks of one version: a new save (or their version taken) makes it old news.
  const version = base?.post.version;
  const [problemsOf, setProblemsOf] = useState(version);
  if (problemsOf !== version) {
    setProblemsOf(version);
    setProblems(undefined);
  }

  const act = useMutation({
    mutationFn: async (action: Action) => {
      const saved = await ensureSaved();
      if (!saved) return undefined;
      return ACTIONS[action].run(saved.post.id);
    },
    onSuccess: (next, action) => {
      if (!next) return;
      setProblems(undefined);
      onChanged(next);
      notifySuccess(ACTIONS[action].done);
    },
    onError: (error, action) => {
      if (error instanceof ApiError && error.code === ErrorCode.ACCESSIBILITY_PROBLEMS) {
        setProblems(error.details);
        return;
      }
      notifyFailure(ACTIONS[action].failed, error.message);
    },
  });

  const status = base?.post.status ?? 'draft';
  const disabled = busy || act.isPending;

  return (
    <Stack component="section" gap="sm" aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId}>
        Publishing
      </Title>
      <Group gap="xs">
        <Text size="sm">Status:</Text>
        <PostStatusBadge status={status} label={base ? undefined : 'Not saved yet'} />
      </Group>
      {base?.post.status === 'scheduled' && base.post.scheduledAt ? (
        <Text size="sm">
          Goes live <time dateTime={base.post.scheduledAt}>{dateTime(base.post.scheduledAt)}</time>.
        </Text>
      ) : null}
      {base && (status === 'published' || status === 'archived') ? (
        <Anchor component={Link} to={postPath(base.post.slug)} size="sm">
          View the post
        </Anchor>
      ) : null}

      {problems ? <ProblemsAlert problems={problems} /> : null}

      <Group gap="xs">
        {status === 'draft' || status === 'scheduled' || status === 'archived' ? (
          <Button
            onClick={() => act.mutate('publish')}
            loading={act.isPending && act.variables === 'publish'}
            disabled={disabled}
          >
            {status === 'scheduled' ? 'Publish now' : 'Publish'}
          </Button>
        ) : null}
        {status === 'draft' || status === 'scheduled' ? (
          <Button variant="default" onClick={() => setScheduling(true)} disabled={disabled}>
            {status === 'scheduled' ? 'Reschedule' : 'Schedule'}
          </Button>
        ) : null}
        {base && status !== 'draft' ? (
          <Button
            variant="default"
            onClick={() => act.mutate('unpublish')}
            loading={act.isPending && act.variables === 'unpublish'}
            disabled={disabled}
          >
            {status === 'scheduled' ? 'Cancel schedule' : 'Unpublish'}
          </Button>
        ) : null}
        {status === 'published' ? (
          <Button
            variant="default"
            onClick={() => act.mutate('archive')}
            loading={act.isPending && act.variables === 'archive'}
            disabled={disabled}
          >
            Archive
          </Button>
        ) : null}
        {base ? (
          <Button variant="default" onClick={() => setDeleting(true)} disabled={disabled}>
            Delete
          </Button>
        ) : null}
      </Group>

      <ScheduleDialog
        opened={scheduling}
        current={base?.post.scheduledAt ?? null}
        onClose={() => setScheduling(false)}
        ensureSaved={ensureSaved}
        onScheduled={(next) => {
          setScheduling(false);
          setProblems(undefined);
          onChanged(next);
        }}
        onProblems={(found) => {
          setScheduling(false);
          setProblems(found);
        }}
      />
      {base ? (
        <DeleteDialog
          opened={deleting}
          post={base}
          onClose={() => setDeleting(false)}
          onDeleted={() => {
            setDeleting(false);
            onDeleted();
          }}
        />
      ) : null}
    </Stack>
  );
}

/** Publishing refused: each problem in words, announced, and focused so it is read at once. */
function ProblemsAlert({ problems }: { problems: readonly { code: string; message: string }[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [problems]);
  return (
    <Alert
      ref={ref}
      tabIndex={-1}
      role="alert"
      color="red"
      variant="light"
      icon={<AlertIcon size={20} />}
      title={`Not published: ${problemCount(problems.length)}`}
    >
      <Stack gap="xs">
        <Text size="sm">Some readers would miss parts of this post. Fix these in the text, then publish again:</Text>
        <ProblemList problems={problems} />
      </Stack>
    </Alert>
  );
}

interface ScheduleDialogProps {
  opened: boolean;
  current: string | null;
  onClose: () => void;
  ensureSaved: () => Promise<Versioned | undefined>;
  onScheduled: (next: Versioned) => void;
  onProblems: (problems: readonly { code: string; message: string }[]) => void;
}

/** `YYYY-MM-DD HH:mm:ss` in the writer's time zone, as the picker takes it. */
const pickerValue = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : null);

function ScheduleDialog({ opened, current, onClose, ensureSaved, onScheduled, onProblems }: ScheduleDialogProps) {
  const [at, setAt] = useState<string | null>(pickerValue(current));
  const [fieldError, setFieldError] = useState<string>();
  const zone = timeZone();

  const schedule = useMutation({
    mutationFn: async (value: string) => {
      const saved = await ensureSaved();
      if (!saved) return undefined;
      // The local time with its offset: "2026-12-24T18:00:00+01:00".
      return schedulePost(saved.post.id, dayjs(value).format());
    },
    onSuccess: (next) => {
      if (!next) return;
      notifySuccess(`Scheduled for ${dateTime(next.post.scheduledAt ?? '')}.`);
      onScheduled(next);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === ErrorCode.ACCESSIBILITY_PROBLEMS) {
        onProblems(error.details);
        return;
      }
      const detail = error instanceof ApiError ? error.details.find((d) => d.field === 'at') : undefined;
      if (detail) setFieldError(sentence(detail.message));
    },
  });

  const submit = () => {
    if (!at) {
      setFieldError('Choose a date and time.');
      return;
    }
    if (!dayjs(at).isAfter(dayjs())) {
      setFieldError('Choose a time in the future.');
      return;
    }
    setFieldError(undefined);
    schedule.mutate(at);
  };

  const otherError = schedule.isError && !fieldError ? schedule.error : undefined;

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="Schedule publication"
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack gap="md">
          <DateTimePicker
            label="Publish at"
            description={`In your time zone (${zone}).`}
            value={at}
            onChange={(value) => {
              setAt(value);
              setFieldError(undefined);
            }}
            minDate={dayjs().format('YYYY-MM-DD')}
            valueFormat="D MMMM YYYY, HH:mm"
            error={fieldError}
            data-autofocus
            popoverProps={{ withinPortal: true }}
            // Names for the calendar's icon buttons (Mantine leaves them unnamed).
            nextLabel="Next month"
            previousLabel="Previous month"
            submitButtonProps={{ 'aria-label': 'Use this date and time' }}
          />
          {otherError ? <FormErrorAlert title="Could not schedule the post" error={otherError} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={schedule.isPending}>
              Schedule
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeleteDialog({
  opened,
  post,
  onClose,
  onDeleted,
}: {
  opened: boolean;
  post: Versioned;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const remove = useMutation({
    mutationFn: () => deletePost(post.post.id),
    onSuccess: () => {
      notifySuccess(`“${post.post.title}” was deleted.`);
      onDeleted();
    },
  });
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="Delete this post?"
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack gap="md">
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          “{post.post.title}” will be deleted for good: readers can no longer open it, and it cannot be brought back.
        </Text>
        {remove.isError ? <FormErrorAlert title="Could not delete the post" error={remove.error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red.9" onClick={() => remove.mutate()} loading={remove.isPending}>
            Delete post
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
