import { Alert, Button, List, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useId } from 'react';

import { ApiErrorAlert } from '../../../components/ui/ApiErrorAlert';
import { CheckIcon } from '../../../components/ui/icons';
import type { AccessibilityProblem } from '../api/writing.api';
import { CHECK_DELAY_MS, useAccessibilityReport, useLivePreview } from '../api/writing.queries';

/** What each kind of problem means, before the API's own sentence on what to fix. */
export const PROBLEM_KIND: Record<AccessibilityProblem['code'], string> = {
  IMAGE_WITHOUT_ALT: 'An image has no description',
  HEADING_LEVEL_SKIPPED: 'A heading skips a level',
  LINK_TEXT_EMPTY: 'A link has no text',
  LINK_TEXT_VAGUE: 'A link’s text says nothing on its own',
};

export function ProblemList({ problems }: { problems: readonly { code: string; message: string }[] }) {
  return (
    <List size="sm" spacing={6}>
      {problems.map((problem, index) => (
        <List.Item key={`${problem.code}-${index}`}>
          <Text span fw={600} size="sm">
            {PROBLEM_KIND[problem.code as AccessibilityProblem['code']] ?? 'Problem'}:
          </Text>{' '}
          {problem.message}
        </List.Item>
      ))}
    </List>
  );
}

/**
 * The API's accessibility report of the text as it is written (the live preview's report, asked
 * `CHECK_DELAY_MS` after typing stops), or of the last saved version while the text is empty or
 * the preview cannot be had. Publishing checks the saved version, which autosave keeps close behind.
 */
export function AccessibilityPanel({
  postId,
  version,
  body,
}: {
  postId: string | undefined;
  version: number | undefined;
  body: string;
}) {
  const live = useLivePreview(body, CHECK_DELAY_MS);
  const saved = useAccessibilityReport(postId, version);
  const headingId = useId();
  const useLive = body.trim() !== '' && !live.isError;
  const report = useLive ? live : saved;
  const data = useLive ? live.data?.accessibility : saved.data;
  const which = useLive ? 'the text as written' : 'the last saved version';

  return (
    <Stack component="section" gap="xs" aria-labelledby={headingId} aria-busy={useLive && live.updating}>
      <Title order={2} size="h4" id={headingId}>
        Accessibility check
      </Title>
      {!useLive && !postId ? (
        <Text size="sm">Checked as you write.</Text>
      ) : !data ? (
        report.isError ? (
          <ApiErrorAlert
            title="Could not check the post"
            error={report.error}
            onRetry={() => void report.refetch()}
            retrying={report.isFetching}
          />
        ) : (
          <Text size="sm" role="status">
            Checking…
          </Text>
        )
      ) : data.ok ? (
        <Text size="sm" role="status">
          <CheckIcon size={16} style={{ verticalAlign: 'text-bottom' }} /> No problems found in {which}.
        </Text>
      ) : (
        <Alert
          color="yellow"
          variant="light"
          title={problemCount(data.problems.length)}
          role="status"
          // The tint's own title colour (yellow on pale yellow) is below 4.5:1; body text on it is not.
          styles={{ title: { color: 'var(--mantine-color-text)' } }}
        >
          <Stack gap="xs">
            <Text size="sm">Fix these before publishing (in {which}):</Text>
            <ProblemList problems={data.problems} />
          </Stack>
        </Alert>
      )}
      {useLive || postId ? (
        <div>
          {/* Bordered, as the publishing actions above: a borderless button's padding set it in from the text. */}
          <Button variant="default" onClick={() => void report.refetch()} loading={report.isFetching}>
            Check again
            <VisuallyHidden> for accessibility problems</VisuallyHidden>
          </Button>
        </div>
      ) : null}
    </Stack>
  );
}

export const problemCount = (count: number) =>
  count === 1 ? '1 problem to fix before publishing' : `${count} problems to fix before publishing`;
