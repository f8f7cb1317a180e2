import { Anchor, Button, Group, Progress, Skeleton, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useId, useState } from 'react';
import { useSearchParams } from 'react-router';

import { ApiErrorAlert } from '../../../components/ui/ApiErrorAlert';
import { FormErrorAlert } from '../../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../../components/ui/notify';
import type { DataExport } from '../api/account.api';
import { useExport, useExports, useStartExport } from '../api/settings.queries';
import { SettingsSection } from './SettingsSection';

const dateTime = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));

const size = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const isBuilding = (job: DataExport | undefined) => job?.status === 'queued' || job?.status === 'running';

/** A ready export whose link no longer works is not worth showing on its own. */
const isExpired = (job: DataExport) =>
  job.status === 'done' && (!job.downloadUrl || Date.parse(job.expiresAt ?? '') < Date.now());

/** What a screen reader hears once per phase (the bar itself changes every second, silently). */
function phaseMessage(job: DataExport | undefined): string {
  switch (job?.status) {
    case 'queued':
    case 'running':
      return 'Your export is being built.';
    case 'done':
      return 'Your export is ready to download.';
    case 'failed':
      return 'Your export failed.';
    default:
      return '';
  }
}

/**
 * "Export your data": a zip of the profile, posts, comments and images, built in the background.
 * Shows the export the mail links to (`?export=<id>`), the one just started, or the newest one;
 * polls it every second while it is built (a progress bar with its value in words), then gives the
 * download link and until when it works.
 */
export function DataExportSection() {
  const [params] = useSearchParams();
  const fromLink = params.get('export') ?? undefined;
  const [startedId, setStartedId] = useState<string>();
  const recent = useExports(!fromLink && !startedId);
  const newest = recent.data?.find((job) => !isExpired(job));
  const id = startedId ?? fromLink ?? newest?.id;
  const current = useExport(id);
  const start = useStartExport();
  const job = current.data;

  const onStart = () => {
    if (start.isPending) return;
    start.mutate(undefined, {
      onSuccess: (started) => {
        setStartedId(started.id);
        notifySuccess('Export started. We also mail you when it is ready.');
      },
    });
  };

  const loading =
    (id !== undefined && current.isPending) || (id === undefined && recent.isPending && recent.isFetching);

  return (
    <SettingsSection title="Export your data">
      <Stack gap="md" maw={560}>
        <Text size="sm">
          A zip file of your profile, your posts with their revisions, your comments and your images. It is built in the
          background; you can leave this page, and we mail you a link when it is ready. The link works for 24 hours.
        </Text>
        {start.isError ? <FormErrorAlert title="Could not start the export" error={start.error} focusOnShow /> : null}
        {current.isError && !job ? (
          <ApiErrorAlert
            title={
              fromLink && id === fromLink ? 'Could not show the export from your link' : 'Could not show the export'
            }
            error={current.error}
            onRetry={() => void current.refetch()}
            retrying={current.isFetching}
          />
        ) : null}
        {loading ? (
          <Stack gap="xs" aria-hidden="true">
            <Skeleton h={16} w="60%" />
            <Skeleton h={12} />
          </Stack>
        ) : job ? (
          <ExportStatus job={job} />
        ) : null}
        {current.isError && job && isBuilding(job) ? (
          <Text size="sm" c="var(--mantine-color-error)">
            Could not check the progress just now ({current.error.message}); trying again every second.
          </Text>
        ) : null}
        <VisuallyHidden role="status" aria-live="polite">
          {phaseMessage(job)}
        </VisuallyHidden>
        <Group>
          <Button onClick={onStart} loading={start.isPending} disabled={isBuilding(job)}>
            {job && !isBuilding(job) ? 'Export my data again' : 'Export my data'}
          </Button>
        </Group>
      </Stack>
    </SettingsSection>
  );
}

function ExportStatus({ job }: { job: DataExport }) {
  const labelId = useId();
  if (job.status === 'failed') {
    return (
      <FormErrorAlert
        title="The export failed"
        message={`${job.error ?? 'Something went wrong while building it.'} Start another one below.`}
      />
    );
  }
  if (job.status === 'done') {
    return (
      <Stack gap={4}>
        <Text fw={600}>Your export is ready.</Text>
        {job.downloadUrl && !isExpired(job) ? (
          <>
            <Anchor href={job.downloadUrl} download>
              Download your data (zip{job.bytes !== null ? `, ${size(job.bytes)}` : ''})
            </Anchor>
            {job.expiresAt ? (
              <Text size="sm">
                The link works until <time dateTime={job.expiresAt}>{dateTime(job.expiresAt)}</time>.
              </Text>
            ) : null}
          </>
        ) : (
          <Text size="sm">Its link has expired: export your data again for a new one.</Text>
        )}
      </Stack>
    );
  }
  const progress = job.status === 'queued' ? 0 : Math.max(0, Math.min(100, Math.round(job.progress)));
  const words = job.status === 'queued' ? 'Waiting to start (0 % done)' : `Building your export: ${progress} % done`;
  return (
    <Stack gap={6}>
      <Text size="sm" fw={600} id={labelId}>
        {words}
      </Text>
      <Progress.Root size="lg">
        <Progress.Section
          value={progress}
          withAria={false}
          role="progressbar"
          aria-labelledby={labelId}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={progress}
          aria-valuetext={`${progress} per cent`}
        />
      </Progress.Root>
    </Stack>
  );
}
