import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { errorEnvelope, infoEnvelope, instanceInfo, readyBody, redisDownBody } from '../../test/api-fixtures';
import { mockApi } from '../../test/fetch-mock';
import { renderApp } from '../../test/render';
import { READINESS_REFRESH_MS } from './api/status.queries';

const readinessSection = () => screen.getByRole('region', { name: 'Readiness' });
const instanceSection = () => screen.getByRole('region', { name: 'Instance' });

/** One dependency check, addressed by its name in the "Dependency checks" list as a screen reader would. */
function checkRow(name: string) {
  const list = within(readinessSection()).getByRole('list', { name: 'Dependency checks' });
  return within(within(list).getByRole('listitem', { name }));
}

describe('System status page', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the instance facts from /api/v1/info', async () => {
    mockApi({
      '/api/v1/info': () => ({ status: 200, body: infoEnvelope() }),
      '/readiness': () => ({ status: 200, body: readyBody }),
    });
    renderApp('/');

    expect(screen.getByRole('heading', { level: 1, name: 'System status' })).toBeInTheDocument();
    const instance = within(instanceSection());
    expect(await instance.findByText('0.1.0')).toBeInTheDocument();
    expect(instance.getByText('Atrium')).toBeInTheDocument();
    expect(instance.getByText('Embedded')).toBeInTheDocument();
    expect(instance.getByText(/in-process PostgreSQL \(PGlite\)/)).toBeInTheDocument();
    expect(instance.getByText(instanceInfo.instance.id)).toBeInTheDocument();
    expect(instance.getByText('7')).toBeInTheDocument();
    const installed = instance.getByText(/2025/);
    expect(installed.tagName).toBe('TIME');
    expect(installed).toHaveAttribute('dateTime', instanceInfo.instance.installedAt);
    // Each value is announced with its label (a <dl>): the version's term is "Version".
    expect(instance.getByText('Version').tagName).toBe('DT');
  });

  it('explains services mode when the API runs against external Postgres and Redis', async () => {
    mockApi({
      '/api/v1/info': () => ({ status: 200, body: infoEnvelope({ ...instanceInfo, mode: 'services' }) }),
      '/readiness': () => ({ status: 200, body: readyBody }),
    });
    renderApp('/');

    const instance = within(instanceSection());
    expect(await instance.findByText('Services')).toBeInTheDocument();
    expect(instance.getByText(/External PostgreSQL and Redis/)).toBeInTheDocument();
    expect(instance.queryByText('Embedded')).not.toBeInTheDocument();
  });

  it('shows Ready with every check, its status and its measurement', async () => {
    mockApi({
      '/api/v1/info': () => ({ status: 200, body: infoEnvelope() }),
      '/readiness': () => ({ status: 200, body: readyBody }),
    });
    renderApp('/');

    const readiness = within(readinessSection());
    expect(await readiness.findByText('Ready')).toBeInTheDocument();
    expect(readiness.getByText(/Every required dependency answered/)).toBeInTheDocument();

    expect(checkRow('Database').getByText('Up')).toBeInTheDocument();
    expect(checkRow('Database').getByText('Answered in 2.4 ms')).toBeInTheDocument();
    expect(checkRow('Redis').getByText('Not configured')).toBeInTheDocument();
    expect(checkRow('Redis').getByText('Not used in embedded mode')).toBeInTheDocument();
    expect(checkRow('Disk').getByText('Up')).toBeInTheDocument();
    expect(checkRow('Disk').getByText('42.7 GB free at /srv/atrium/.data')).toBeInTheDocument();
  });

  it('shows Not ready and names the check that is down when /readiness answers 503', async () => {
    mockApi({
      '/api/v1/info': () => ({ status: 200, body: infoEnvelope() }),
      '/readiness': () => ({ status: 503, body: redisDownBody }),
    });
    renderApp('/');

    const readiness = within(readinessSection());
    expect(await readiness.findByText('Not ready')).toBeInTheDocument();
    expect(
      readiness.getByText('Redis and Job queues are down. Requests that need them will fail.'),
    ).toBeInTheDocument();
    expect(readiness.queryByRole('alert')).not.toBeInTheDocument();

    expect(checkRow('Redis').getByText('Down')).toBeInTheDocument();
    expect(checkRow('Redis').getByText('connect ECONNREFUSED 10.0.0.5:6379')).toBeInTheDocument();
    expect(checkRow('Database').getByText('Up')).toBeInTheDocument();
    expect(checkRow('Database').getByText('Answered in 3.1 ms')).toBeInTheDocument();
    expect(checkRow('Disk').getByText('120.5 GB free at /var/lib/atrium')).toBeInTheDocument();
    expect(checkRow('Job queues').getByText('Down')).toBeInTheDocument();
    expect(checkRow('Job queues').getByText('Job queues unreachable')).toBeInTheDocument();
  });

  it('says how many migrations are pending when that keeps the database from being ready', async () => {
    mockApi({
      '/api/v1/info': () => ({ status: 200, body: infoEnvelope() }),
      '/readiness': () => ({
        status: 503,
        body: {
          ...readyBody,
          status: 'not_ready',
          checks: { ...readyBody.checks, database: { status: 'down', latencyMs: 1.2, pendingMigrations: 2 } },
        },
      }),
    });
    renderApp('/');

    expect(await within(readinessSection()).findByText('Not ready')).toBeInTheDocument();
    expect(
      within(readinessSection()).getByText('Database is down. Requests that need it will fail.'),
    ).toBeInTheDocument();
    expect(checkRow('Database').getByText('Down')).toBeInTheDocument();
    expect(checkRow('Database').getByText('2 pending migrations')).toBeInTheDocument();
  });

  it('shows loading skeletons until the API answers', async () => {
    let answer: () => void = () => {};
    const gate = new Promise<void>((resolve) => (answer = resolve));
    const { fetchMock } = mockApi({
      '/api/v1/info': () => ({ status: 200, body: infoEnvelope() }),
      '/readiness': () => ({ status: 200, body: readyBody }),
    });
    const answerNow = fetchMock.getMockImplementation();
    fetchMock.mockImplementation(async (input) => {
      await gate;
      return answerNow!(input);
    });
    renderApp('/');

    expect(screen.getByText('Loading instance details…')).toBeInTheDocument();
    expect(screen.getByText('Checking readiness…')).toBeInTheDocument();
    expect(readinessSection()).toHaveAttribute('aria-busy', 'true');

    answer();
    expect(await within(readinessSection()).findByText('Ready')).toBeInTheDocument();
    expect(screen.queryByText('Checking readiness…')).not.toBeInTheDocument();
    expect(readinessSection()).toHaveAttribute('aria-busy', 'false');
  });

  it('re-checks readiness every 10 seconds and shows the new state', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let readinessReply = { status: 200, body: readyBody as unknown };
    const { callsTo } = mockApi({
      '/api/v1/info': () => ({ status: 200, body: infoEnvelope() }),
      '/readiness': () => readinessReply,
    });
    renderApp('/');

    expect(await within(readinessSection()).findByText('Ready')).toBeInTheDocument();
    const callsBefore = callsTo('/readiness');

    readinessReply = { status: 503, body: redisDownBody };
    await vi.advanceTimersByTimeAsync(READINESS_REFRESH_MS);

    expect(await within(readinessSection()).findByText('Not ready')).toBeInTheDocument();
    expect(callsTo('/readiness')).toBe(callsBefore + 1);
    expect(READINESS_REFRESH_MS).toBe(10_000);
  });

  it('shows the error message and request id from the error envelope, and Retry asks again', async () => {
    const user = userEvent.setup();
    let infoReply = {
      status: 500,
      body: errorEnvelope('INTERNAL_ERROR', 'Internal server error', 'req-7f3a9c') as unknown,
    };
    const { callsTo } = mockApi({
      '/api/v1/info': () => infoReply,
      '/readiness': () => ({ status: 200, body: readyBody }),
    });
    renderApp('/');

    const alert = await within(instanceSection()).findByRole('alert');
    expect(within(alert).getByText('Could not load instance details')).toBeInTheDocument();
    expect(within(alert).getByText('Internal server error')).toBeInTheDocument();
    expect(within(alert).getByText('req-7f3a9c')).toBeInTheDocument();
    expect(callsTo('/api/v1/info')).toBe(1);

    infoReply = { status: 200, body: infoEnvelope() };
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));

    expect(await within(instanceSection()).findByText(instanceInfo.instance.id)).toBeInTheDocument();
    expect(within(instanceSection()).queryByRole('alert')).not.toBeInTheDocument();
    expect(callsTo('/api/v1/info')).toBe(2);
  });

  it('says the API is unreachable when the connection fails, and recovers on Retry', async () => {
    const user = userEvent.setup();
    let reachable = false;
    mockApi({
      '/api/v1/info': () => (reachable ? { status: 200, body: infoEnvelope() } : 'network-error'),
      '/readiness': () => (reachable ? { status: 200, body: readyBody } : 'network-error'),
    });
    renderApp('/');

    const alert = await within(readinessSection()).findByRole('alert');
    expect(within(alert).getByText('Could not check readiness')).toBeInTheDocument();
    expect(within(alert).getByText(/could not be reached/)).toBeInTheDocument();

    reachable = true;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await within(readinessSection()).findByText('Ready')).toBeInTheDocument();
  });

  it('reports an error envelope on /readiness (not a readiness body) as an error with its request id', async () => {
    mockApi({
      '/api/v1/info': () => ({ status: 200, body: infoEnvelope() }),
      '/readiness': () => ({
        status: 429,
        body: errorEnvelope('RATE_LIMITED', 'Too many requests, slow down.', 'req-rl-42'),
      }),
    });
    renderApp('/');

    const alert = await within(readinessSection()).findByRole('alert');
    expect(within(alert).getByText('Too many requests, slow down.')).toBeInTheDocument();
    expect(within(alert).getByText('req-rl-42')).toBeInTheDocument();
    expect(within(readinessSection()).queryByText('Ready')).not.toBeInTheDocument();
  });

  it('falls back to the X-Request-ID header when a proxy answers without the envelope', async () => {
    mockApi({
      '/api/v1/info': () => ({ status: 502, body: 'Bad gateway', headers: { 'x-request-id': 'req-from-header' } }),
      '/readiness': () => ({ status: 200, body: readyBody }),
    });
    renderApp('/');

    const alert = await within(instanceSection()).findByRole('alert');
    expect(within(alert).getByText(/unexpected response \(HTTP 502\)/)).toBeInTheDocument();
    expect(within(alert).getByText('req-from-header')).toBeInTheDocument();
    await waitFor(() => expect(within(readinessSection()).getByText('Ready')).toBeInTheDocument());
  });
});
