import { Alert, Button, List, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useId } from 'react';

import { ApiErrorAlert } from '../../../components/ui/ApiErrorAlert';
import { CheckIcon } from '../../../components/ui/icons';
import type { AccessibilityProblem } from '../api/writing.api';
import { useAccessibilityReport } from '../api/writing.queries';

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

/** The API's accessibility report of the last saved version: what would keep it from being published. */
export function AccessibilityPanel({ postId, version }: { postId: string | undefined; version: number | undefined }) {
  const report = useAccessibilityReport(postId, version);
  const headingId = useId();

  return (
    <Stack component="section" gap="xs" aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId}>
        Accessibility check
      </Title>
      {!postId ? (
        <Text size="sm">Checked once the post is saved.</Text>
      ) : report.isPending ? (
        <Text size="sm" role="status">
          Checking…
        </Text>
      ) : report.isError ? (
        <ApiErrorAlert
          title="Could not check the post"
          error={report.error}
          onRetry={() => void report.refetch()}
          retrying={report.isFetching}
        />
      ) : report.data.ok ? (
        <Text size="sm" role="status">
          <CheckIcon size={16} style={{ verticalAlign: 'text-bottom' }} /> No problems found in the last saved version.
        </Text>
      ) : (
        <Alert
          color="yellow"
          variant="light"
          title={problemCount(report.data.problems.length)}
          role="status"
          // The tint's own title colour (yellow on pale yellow) is below 4.5:1; body text on it is not.
          styles={{ title: { color: 'var(--mantine-color-text)' } }}
        >
          <Stack gap="xs">
            <Text size="sm">Fix these before publishing (in the last saved version):</Text>
            <ProblemList problems={report.data.problems} />
          </Stack>
        </Alert>
      )}
      {postId ? (
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
