import { Group, Skeleton, Stack, Text } from '@mantine/core';

import { ApiErrorAlert } from '../../../components/ui/ApiErrorAlert';
import { PostHtml } from '../../../components/ui/PostHtml';
import { useLivePreview } from '../api/writing.queries';
import classes from '../Writing.module.css';

interface LivePreviewProps {
  /** The Markdown on screen, saved or not. */
  body: string;
}

/**
 * The text on screen as readers will see it: rendered by the server exactly as a save would
 * render it (`POST /posts/preview`, a moment after typing stops), never Markdown rendered in the
 * browser — for drafts and published posts alike, before anything is saved. Mount it only while
 * it is on screen: the server is asked only then.
 */
export function LivePreview({ body }: LivePreviewProps) {
  const preview = useLivePreview(body);
  if (body.trim() === '') return <Text>Nothing to preview yet: write some text first.</Text>;
  const minutes = preview.data?.readingTimeMinutes;
  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text size="sm" c="dimmed">
          The text above as readers will see it, saved or not.
        </Text>
        {/* Polite: a screen reader hears that it is updating and when it is done, not every keystroke. */}
        <Text size="sm" c="dimmed" role="status" aria-live="polite" aria-atomic="true" data-testid="preview-status">
          {preview.updating
            ? 'Updating the preview…'
            : preview.isError
              ? 'The preview is not up to date.'
              : minutes !== undefined
                ? `About ${minutes} minute${minutes === 1 ? '' : 's'} to read.`
                : ''}
        </Text>
      </Group>
      {preview.isError && !preview.updating ? (
        <ApiErrorAlert
          title="Could not update the preview"
          error={preview.error}
          onRetry={() => void preview.refetch()}
          retrying={preview.isFetching}
        />
      ) : null}
      {preview.data && !preview.isError ? (
        <PostHtml
          data-testid="preview-body"
          aria-busy={preview.updating}
          className={preview.updating ? `${classes.preview} ${classes.previewStale}` : classes.preview}
          html={preview.data.html}
        />
      ) : preview.updating ? (
        <Skeleton height={120} aria-hidden="true" />
      ) : null}
    </Stack>
  );
}
