import { Button, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useId, useRef } from 'react';

import { ApiErrorAlert } from '../../../components/ui/ApiErrorAlert';
import { AlertIcon } from '../../../components/ui/icons';
import { notifyFailure, notifySuccess } from '../../../components/ui/notify';
import type { Versioned } from '../api/writing.api';
import type { EditorValues } from '../editor-values';
import classes from '../Writing.module.css';
import { dateTime } from '../writing.format';

interface ConflictPanelProps {
  mine: EditorValues;
  /** Their version, once fetched. */
  theirs: Versioned | undefined;
  /** Why their version could not be fetched (if it could not). */
  error: unknown;
  onRetry: () => void;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
  keeping: boolean;
}

/**
 * 412: the post changed since it was read. Both versions side by side (title and Markdown), and
 * three ways out: overwrite theirs with mine, take theirs, or copy my text to keep it elsewhere.
 * The heading takes focus when it appears.
 */
export function ConflictPanel({ mine, theirs, error, onRetry, onKeepMine, onTakeTheirs, keeping }: ConflictPanelProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const headingId = useId();

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const copyMine = async () => {
    try {
      await navigator.clipboard.writeText(`# ${mine.title}\n\n${mine.body}`);
      notifySuccess('Your title and text are copied.');
    } catch {
      notifyFailure('Could not copy', 'The browser did not allow copying. Select your text below and copy it.');
    }
  };

  return (
    <Paper component="section" aria-labelledby={headingId} withBorder radius="md" p="md" className={classes.conflict}>
      <Stack gap="md">
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <AlertIcon size={24} color="var(--mantine-color-orange-light-color)" />
          <Title order={2} size="h3" id={headingId} ref={headingRef} tabIndex={-1} className={classes.focusTarget}>
            Someone else saved this post while you were editing
          </Title>
        </Group>
        <Text size="sm">
          Nothing of yours was written. Compare the two versions, then keep yours (it replaces theirs), take theirs
          (your changes are dropped), or copy your text first.
        </Text>
        {error && !theirs ? (
          <ApiErrorAlert title="Could not load their version" error={error} onRetry={onRetry} />
        ) : null}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Version heading="Your version" title={mine.title} body={mine.body} note="Not saved" />
          {theirs ? (
            <Version
              heading="Their version"
              title={theirs.post.title}
              body={theirs.post.body}
              note={`Saved ${dateTime(theirs.post.updatedAt)}`}
            />
          ) : error ? null : (
            <Stack gap="xs" role="status" aria-label="Loading their version">
              <Skeleton height={20} width="50%" />
              <Skeleton height={160} />
            </Stack>
          )}
        </SimpleGrid>
        <Group gap="sm">
          <Button onClick={onKeepMine} disabled={!theirs} loading={keeping}>
            Keep mine
          </Button>
          <Button variant="default" onClick={onTakeTheirs} disabled={!theirs}>
            Take theirs
          </Button>
          <Button variant="default" onClick={() => void copyMine()}>
            Copy my text
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function Version({ heading, title, body, note }: { heading: string; title: string; body: string; note: string }) {
  const id = useId();
  return (
    <Stack component="section" gap={6} aria-labelledby={id} miw={0}>
      <Title order={3} size="h5" id={id}>
        {heading}
      </Title>
      <Text size="sm" c="dimmed">
        {note}
      </Text>
      <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
        {title}
      </Text>
      <Textarea
        label={`${heading}: text`}
        value={body}
        readOnly
        autosize
        minRows={6}
        maxRows={16}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
    </Stack>
  );
}
