import {
  Badge,
  Button,
  Group,
  Modal,
  NativeSelect,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useState } from 'react';

import { DataTable } from '../../components/ui/DataTable';
import { FormErrorAlert } from '../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../components/ui/notify';
import { useCan } from '../auth';
import type { Job, JobState, QueueName } from './api/admin.api';
import { ADMIN_PAGE_SIZE, useDeleteJob, useJobs, useQueues, useRetryJob } from './api/admin.queries';
import { dateTime, humanise } from './admin.format';
import { TableSkeleton } from './components/TableSkeleton';
import { useListParams } from './useListParams';
import styles from './admin.module.css';
import { LoadError } from './components/LoadError';
import { useRemovalFocus } from './useRemovalFocus';

const STATES: { value: JobState; label: string }[] = [
  { value: 'failed', label: 'Failed' },
  { value: 'waiting', label: 'Waiting' },
  { value: 'active', label: 'Running' },
  { value: 'delayed', label: 'Delayed' },
  { value: 'completed', label: 'Completed' },
];
const isState = (value: string): value is JobState => STATES.some((state) => state.value === value);

/** The background queues: how many jobs each holds per state, and the jobs of one state (failed first) to retry or delete. */
export function QueuesPage() {
  const queues = useQueues();
  const { get, page, update } = useListParams();
  const names = queues.data?.queues.map((queue) => queue.name) ?? [];
  const queue = (names.find((name) => name === get('queue')) ?? names[0]) as QueueName | undefined;
  const stateParam = get('state');
  const state: JobState = isState(stateParam) ? stateParam : 'failed';

  return (
    <Stack gap="lg">
      <title>Queues · Administration · Atrium</title>
      <Title order={1}>Queues</Title>
      {queues.isPending ? (
        <>
          <div role="status">
            <VisuallyHidden>Loading the queues…</VisuallyHidden>
          </div>
          <Skeleton height={160} radius="md" />
        </>
      ) : queues.isError ? (
        <LoadError title="Could not load the queues" query={queues} />
      ) : (
        <>
          <Text size="sm">
            {queues.data.runner === 'redis'
              ? 'Jobs run in worker processes through Redis.'
              : 'Jobs run inside the API itself; waiting jobs are lost when it restarts.'}
          </Text>
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={0}>
              {/* States down, queues across: three queues fit a phone's width. */}
              <Table fz="sm" verticalSpacing="xs" captionSide="top">
                <Table.Caption>Jobs per queue and state</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">State</Table.Th>
                    {queues.data.queues.map((q) => (
                      <Table.Th key={q.name} scope="col" ta="right">
                        {humanise(q.name)}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {STATES.map((s) => (
                    <Table.Tr key={s.value}>
                      <Table.Th scope="row">{s.label}</Table.Th>
                      {queues.data.queues.map((q) => (
                        <Table.Td key={q.name} ta="right">
                          {s.value === 'failed' && q.counts.failed > 0 ? (
                            <Badge color="red" variant="light" c="var(--mantine-color-text)">
                              {q.counts.failed}
                            </Badge>
                          ) : (
                            q.counts[s.value]
                          )}
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
          {queue ? (
            <Stack gap="sm">
              <Title order={2} size="h3">
                Jobs
              </Title>
              <SimpleGrid cols={{ base: 1, xs: 2 }} maw={480}>
                <NativeSelect
                  label="Queue"
                  data={names.map((name) => ({ value: name, label: humanise(name) }))}
                  value={queue}
                  onChange={(event) => update({ queue: event.currentTarget.value })}
                />
                <NativeSelect
                  label="State"
                  data={STATES}
                  value={state}
                  onChange={(event) => update({ state: event.currentTarget.value })}
                />
              </SimpleGrid>
              <JobList queue={queue} state={state} page={page} onPage={(next) => update({ page: String(next) })} />
            </Stack>
          ) : null}
        </>
      )}
    </Stack>
  );
}

function JobList({
  queue,
  state,
  page,
  onPage,
}: {
  queue: QueueName;
  state: JobState;
  page: number;
  onPage: (page: number) => void;
}) {
  const jobs = useJobs(queue, state, page);
  const canManage = useCan('queues:manage');
  const retry = useRetryJob();
  const [deleting, setDeleting] = useState<Job>();
  const stateLabel = STATES.find((s) => s.value === state)?.label.toLowerCase() ?? state;
  const total = jobs.data?.pagination.totalItems ?? 0;

  if (jobs.isError) {
    return <LoadError title="Could not load the jobs" query={jobs} />;
  }

  const onRetry = (job: Job) =>
    retry.mutate(
      { queue, id: job.id },
      {
        onSuccess: () =>
          notifySuccess(`Job ${job.id} (${job.name}) is back in the ${humanise(queue).toLowerCase()} queue.`),
      },
    );

  return (
    <Stack gap="sm">
      <div role="status">
        {jobs.isSuccess ? (
          <Text size="sm">
            {total === 0
              ? `No ${stateLabel} jobs in this queue.`
              : `${total} ${stateLabel} ${total === 1 ? 'job' : 'jobs'}.`}
          </Text>
        ) : (
          <VisuallyHidden>Loading jobs…</VisuallyHidden>
        )}
      </div>
      {retry.isError ? <FormErrorAlert title="Could not retry the job" error={retry.error} /> : null}
      {jobs.isPending ? (
        <TableSkeleton rows={2} />
      ) : (
        <DataTable<Job>
          aria-label={`${STATES.find((s) => s.value === state)?.label ?? ''} jobs`}
          records={jobs.data?.items ?? []}
          fetching={jobs.isFetching}
          idAccessor="id"
          totalRecords={total}
          recordsPerPage={ADMIN_PAGE_SIZE}
          page={page}
          onPageChange={onPage}
          paginationText={({ from, to, totalRecords }) => `${from}–${to} of ${totalRecords}`}
          noRecordsText={`No ${stateLabel} jobs.`}
          columns={[
            {
              accessor: 'name',
              title: 'Job',
              render: (job) => (
                <Stack gap={2} miw={0}>
                  <Text size="sm" fw={600}>
                    {job.name}{' '}
                    <Text span c="dimmed" size="sm">
                      #{job.id}
                    </Text>
                  </Text>
                  {Object.entries(job.data).map(([key, value]) => (
                    <Text key={key} size="xs" style={{ overflowWrap: 'anywhere' }}>
                      {humanise(key)}: {value}
                    </Text>
                  ))}
                  {job.failedReason ? (
                    <Text size="xs" className={styles.danger} style={{ overflowWrap: 'anywhere' }}>
                      Failed: {job.failedReason}
                    </Text>
                  ) : null}
                </Stack>
              ),
            },
            {
              accessor: 'attemptsMade',
              title: 'Attempts',
              visibleMediaQuery: (theme) => `(min-width: ${theme.breakpoints.sm})`,
              render: (job) => `${job.attemptsMade} of ${job.attempts}`,
            },
            {
              accessor: 'createdAt',
              title: 'Created',
              visibleMediaQuery: (theme) => `(min-width: ${theme.breakpoints.sm})`,
              render: (job) => <time dateTime={job.createdAt}>{dateTime(job.createdAt)}</time>,
            },
            ...(canManage
              ? [
                  {
                    accessor: 'actions',
                    title: <VisuallyHidden>Actions</VisuallyHidden>,
                    textAlign: 'right' as const,
                    render: (job: Job) => (
                      <Group gap={6} justify="flex-end" wrap="wrap">
                        {job.state === 'failed' ? (
                          <Button
                            size="compact-sm"
                            variant="default"
                            aria-label={`Retry job ${job.id}`}
                            loading={retry.isPending && retry.variables.id === job.id}
                            onClick={() => onRetry(job)}
                          >
                            Retry
                          </Button>
                        ) : null}
                        {job.state !== 'active' ? (
                          <Button
                            size="compact-sm"
                            variant="default"
                            className={styles.danger}
                            aria-label={`Delete job ${job.id}`}
                            onClick={() => setDeleting(job)}
                          >
                            Delete
                          </Button>
                        ) : null}
                      </Group>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      <DeleteJobModal queue={queue} job={deleting} onClose={() => setDeleting(undefined)} />
    </Stack>
  );
}

function DeleteJobModal({ queue, job, onClose }: { queue: QueueName; job: Job | undefined; onClose: () => void }) {
  const remove = useDeleteJob();
  const focus = useRemovalFocus();
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <Modal
      {...focus.modalProps}
      opened={job !== undefined}
      onClose={close}
      title={job ? `Delete job ${job.id}?` : ''}
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack gap="md">
        <Text size="sm">The job is removed from the queue and will not run. This cannot be undone.</Text>
        {remove.isError ? <FormErrorAlert title="Could not delete the job" error={remove.error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button
            color="red.9"
            loading={remove.isPending}
            onClick={() =>
              job &&
              remove.mutate(
                { queue, id: job.id },
                {
                  onSuccess: () => {
                    notifySuccess(`Job ${job.id} deleted.`);
                    focus.markRemoved();
                    close();
                  },
                },
              )
            }
          >
            Delete job
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
