import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { paths } from '../../app/paths';
import { envelope, errorEnvelope } from '../../test/api-fixtures';
import { api, json, requestsTo } from '../../test/msw';
import { QUEUES_REFRESH_MS } from './api/admin.queries';
import { failedJob, listEnvelope, renderAdmin } from './test-fixtures';

const counts = { waiting: 1, active: 0, delayed: 2, failed: 2, completed: 40 };
const queuesApi = api.get('/api/v1/admin/queues', () =>
  json(
    envelope({
      runner: 'in-process' as const,
      queues: [
        { name: 'mail' as const, counts },
        { name: 'maintenance' as const, counts: { ...counts, failed: 0 } },
      ],
    }),
  ),
);

describe('Admin: queues', () => {
  it('shows the counts per queue and state, and lists the failed jobs of the first queue', async () => {
    const user = userEvent.setup({ delay: null });
    renderAdmin(
      paths.admin.queues,
      {},
      queuesApi,
      api.get('/api/v1/admin/queues/{name}/jobs', () => json(listEnvelope([failedJob('41'), failedJob('42')]))),
    );

    const counts = await screen.findByRole('table', { name: 'Jobs per queue and state' });
    const cells = (state: string) =>
      within(within(counts).getByRole('rowheader', { name: state }).closest('tr') as HTMLElement)
        .getAllByRole('cell')
        .map((cell) => cell.textContent);
    // Mail, then maintenance.
    expect(cells('Failed')).toEqual(['2', '0']);
    expect(cells('Delayed')).toEqual(['2', '2']);
    expect(cells('Completed')).toEqual(['40', '40']);
    expect(screen.getByText(/waiting jobs are lost when it restarts/)).toBeInTheDocument();
    const jobs = await screen.findByRole('table', { name: 'Failed jobs' });
    expect(await within(jobs).findAllByText('Failed: 550 no such user')).toHaveLength(2);
    expect(new URL(requestsTo('/api/v1/admin/queues/mail/jobs')[0].url).searchParams.get('state')).toBe('failed');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Queue' }), 'maintenance');
    await user.selectOptions(screen.getByRole('combobox', { name: 'State' }), 'delayed');
    await waitFor(() => expect(requestsTo('/api/v1/admin/queues/maintenance/jobs').length).toBeGreaterThan(0));
    expect(
      new URL(requestsTo('/api/v1/admin/queues/maintenance/jobs').at(-1)?.url ?? '').searchParams.get('state'),
    ).toBe('delayed');
  });

  it('retries a failed job and deletes another after a confirmation; a refusal is shown', async () => {
    const user = userEvent.setup({ delay: null });
    renderAdmin(
      paths.admin.queues,
      {},
      queuesApi,
      api.get('/api/v1/admin/queues/{name}/jobs', () => json(listEnvelope([failedJob('41'), failedJob('42')]))),
      api.post('/api/v1/admin/queues/{name}/jobs/{id}/retry', ({ params }) =>
        params.id === '41'
          ? json(envelope({ ...failedJob('41'), state: 'waiting' as const, failedReason: null }))
          : json(errorEnvelope('CONFLICT', 'Only failed jobs can be retried', 'req-q-1'), 409),
      ),
      api.delete('/api/v1/admin/queues/{name}/jobs/{id}', () => json(envelope({ message: 'Deleted' }))),
    );

    await user.click(await screen.findByRole('button', { name: 'Retry job 41' }));
    expect(await screen.findByText('Job 41 (mail.send) is back in the mail queue.')).toBeInTheDocument();
    expect(requestsTo('/api/v1/admin/queues/mail/jobs/41/retry')).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Retry job 42' }));
    expect(await screen.findByText('Only failed jobs can be retried')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Delete job 42' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete job 42?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete job' }));
    expect(await screen.findByText('Job 42 deleted.')).toBeInTheDocument();
    expect(requestsTo('/api/v1/admin/queues/mail/jobs/42').map((r) => r.method)).toEqual(['DELETE']);
  });

  it('offers no retry or delete without queues:manage', async () => {
    renderAdmin(
      paths.admin.queues,
      { permissions: ['queues:read'], roles: ['support'] },
      queuesApi,
      api.get('/api/v1/admin/queues/{name}/jobs', () => json(listEnvelope([failedJob('41')]))),
    );
    const jobs = await screen.findByRole('table', { name: 'Failed jobs' });
    await within(jobs).findByText(/550 no such user/);
    expect(screen.queryByRole('button', { name: /Retry/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Delete/ })).not.toBeInTheDocument();
  });

  it('lists again by itself: a job that failed meanwhile shows without a reload', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      let failed = [failedJob('41')];
      renderAdmin(
        paths.admin.queues,
        {},
        queuesApi,
        api.get('/api/v1/admin/queues/{name}/jobs', () => json(listEnvelope(failed))),
      );
      const jobs = await screen.findByRole('table', { name: 'Failed jobs' });
      await within(jobs).findByRole('button', { name: 'Retry job 41' });
      expect(within(jobs).queryByRole('button', { name: 'Retry job 42' })).not.toBeInTheDocument();

      failed = [failedJob('41'), failedJob('42')];
      await vi.advanceTimersByTimeAsync(QUEUES_REFRESH_MS + 100);
      expect(await within(jobs).findByRole('button', { name: 'Retry job 42' })).toBeInTheDocument();
      expect(screen.getByText('2 failed jobs.')).toBeInTheDocument();
    } finally {
      vi.useRealTimers();
    }
  });
});
