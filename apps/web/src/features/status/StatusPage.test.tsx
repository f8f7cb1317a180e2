import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { paths } from '../../app/paths';
import { errorEnvelope, infoEnvelope, instanceInfo, readyBody, redisDownBody } from '../../test/api-fixtures';
import { api, callsTo, json, networkError, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { READINESS_REFRESH_MS } from './api/status.queries';
import { StatusPage } from './StatusPage';

const renderStatusPage = () => renderPage([{ path: paths.home, element: <StatusPage /> }], paths.home);

const infoApi = (body = infoEnvelope()) => api.get('/api/v1/info', () => json(body));
const readinessApi = (body: typeof readyBody = readyBody, status = 200) =>
  api.get('/readiness', () => json(body, status));

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
    useApi(infoApi(), readinessApi());
    renderStatusPage();

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
    useApi(infoApi(infoEnvelope({ ...instanceInfo, mode: 'services' })), readinessApi());
    renderStatusPage();

    const instance = within(instanceSection());
    expect(await instance.findByText('Services')).toBeInTheDocument();
    expect(instance.getByText(/External PostgreSQL and Redis/)).toBeInTheDocument();
    expect(instance.queryByText('Embedded')).not.toBeInTheDocument();
  });

  it('shows Ready with every check, its status and its measurement', async () => {
    useApi(infoApi(), readinessApi());
    renderStatusPage();

    const readiness = within(readinessSection());
    expect(await readiness.findByText('Ready')).toBeInTheDocument();
    expect(readiness.getByText(/Every required dependency answered/)).toBeInTheDocument();

    expect(checkRow('Database').getByText('Up')).toBeInTheDocument();
    expect(checkRow('Database').getByText('Answered in 2.4 ms')).toBeInTheDocument();
    expect(checkRow('Redis').getByText('Not configured')).toBeInTheDocument();
    expect(checkRow('Redis').getByText('Not used in embedded mode')).toBeInTheDocument();
    expect(checkRow('Disk').getByText('Up')).toBeInTheDocument();
    expect(checkRow('Disk').getByText('42.7 GB free')).toBeInTheDocument();
  });

  it("never shows the server's data path, even when the API sends it (this page is public)", async () => {
    useApi(infoApi(), readinessApi());
    renderStatusPage();

    expect(await within(readinessSection()).findByText('Ready')).toBeInTheDocument();
    expect(readyBody.checks?.disk.path).toBe('/srv/atrium/.data');
    expect(document.body).not.toHaveTextContent('/srv/atrium/.data');
  });

  it('shows only the verdict when the API leaves the details out (a visitor who is not an operator)', async () => {
    const { checks: _checks, ...statusOnly } = readyBody;
    useApi(infoApi(), readinessApi(statusOnly));
    renderStatusPage();

    const readiness = within(readinessSection());
    expect(await readiness.findByText('Ready')).toBeInTheDocument();
    expect(readiness.getByText(/Every required dependency answered/)).toBeInTheDocument();
    expect(readiness.queryByRole('list', { name: 'Dependency checks' })).not.toBeInTheDocument();
    expect(readiness.getByText(/Dependency details are shown to operators only/)).toBeInTheDocument();
    expect(readiness.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('explains Degraded without naming dependencies when the details are left out', async () => {
    const { checks: _checks, ...degraded } = redisDownBody;
    useApi(infoApi(), readinessApi(degraded, 200));
    renderStatusPage();

    const readiness = within(readinessSection());
    expect(await readiness.findByText('Degraded')).toBeInTheDocument();
    expect(
      readiness.getByText(/A supporting service is down. This instance still serves requests/),
    ).toBeInTheDocument();
    expect(readiness.queryByText(/Redis/)).not.toBeInTheDocument();
  });

  it('shows Not ready from a 503 without details as a result, not an error', async () => {
    useApi(infoApi(), readinessApi({ status: 'not_ready', mode: 'services', timestamp: readyBody.timestamp }, 503));
    renderStatusPage();

    const readiness = within(readinessSection());
    expect(await readiness.findByText('Not ready')).toBeInTheDocument();
    expect(readiness.getByText('This instance cannot serve requests right now.')).toBeInTheDocument();
    expect(readiness.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows Degraded and names the checks that are down when Redis is (the replica still serves)', async () => {
    useApi(infoApi(), readinessApi(redisDownBody, 200));
    renderStatusPage();

    const readiness = within(readinessSection());
    expect(await readiness.findByText('Degraded')).toBeInTheDocument();
    expect(
      readiness.getByText(
        'Redis and Job queues are down. This instance still serves requests; rate limits are off and background mail waits until it is back.',
      ),
    ).toBeInTheDocument();
    expect(readiness.queryByRole('alert')).not.toBeInTheDocument();

    expect(checkRow('Redis').getByText('Down')).toBeInTheDocument();
    expect(checkRow('Redis').getByText('connect ECONNREFUSED 10.0.0.5:6379')).toBeInTheDocument();
    expect(checkRow('Database').getByText('Up')).toBeInTheDocument();
    expect(checkRow('Database').getByText('Answered in 3.1 ms')).toBeInTheDocument();
    expect(checkRow('Disk').getByText('120.5 GB free')).toBeInTheDocument();
    expect(checkRow('Job queues').getByText('Down')).toBeInTheDocument();
    expect(checkRow('Job queues').getByText('Job queues unreachable')).toBeInTheDocument();
  });

  it('says how many migrations are pending when that keeps the database from being ready', async () => {
    useApi(
      infoApi(),
      readinessApi(
        {
          ...readyBody,
          status: 'not_ready',
          checks: {
            ...(readyBody.checks as NonNullable<typeof readyBody.checks>),
            database: { status: 'down', latencyMs: 1.2, pendingMigrations: 2 },
          },
        },
        503,
      ),
    );
    renderStatusPage();

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
    useApi(
      api.get('/api/v1/info', async () => {
        await gate;
        return json(infoEnvelope());
      }),
      api.get('/readiness', async () => {
        await gate;
        return json(readyBody);
      }),
    );
    renderStatusPage();

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
    let readinessReply = { status: 200, body: readyBody };
    useApi(
      infoApi(),
      api.get('/readiness', () => json(readinessReply.body, readinessReply.status)),
    );
    renderStatusPage();

    expect(await within(readinessSection()).findByText('Ready')).toBeInTheDocument();
    const callsBefore = callsTo('/readiness');

    readinessReply = { status: 200, body: redisDownBody };
    await vi.advanceTimersByTimeAsync(READINESS_REFRESH_MS);

    expect(await within(readinessSection()).findByText('Degraded')).toBeInTheDocument();
    expect(callsTo('/readiness')).toBe(callsBefore + 1);
    expect(READINESS_REFRESH_MS).toBe(10_000);
  });

  it('shows the error message and request id from the error envelope, and Retry asks again', async () => {
    const user = userEvent.setup({ delay: null });
    let failing = true;
    useApi(
      api.get('/api/v1/info', () =>
        failing
          ? json(errorEnvelope('INTERNAL_ERROR', 'Internal server error', 'req-7f3a9c'), 500)
          : json(infoEnvelope()),
      ),
      readinessApi(),
    );
    renderStatusPage();

    const alert = await within(instanceSection()).findByRole('alert');
    expect(within(alert).getByText('Could not load instance details')).toBeInTheDocument();
    expect(within(alert).getByText('Internal server error')).toBeInTheDocument();
    expect(within(alert).getByText('req-7f3a9c')).toBeInTheDocument();
    expect(callsTo('/api/v1/info')).toBe(1);

    failing = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));

    expect(await within(instanceSection()).findByText(instanceInfo.instance.id)).toBeInTheDocument();
    expect(within(instanceSection()).queryByRole('alert')).not.toBeInTheDocument();
    expect(callsTo('/api/v1/info')).toBe(2);
  });

  it('says the API is unreachable when the connection fails, and recovers on Retry', async () => {
    const user = userEvent.setup({ delay: null });
    let reachable = false;
    useApi(
      api.get('/api/v1/info', () => (reachable ? json(infoEnvelope()) : networkError())),
      api.get('/readiness', () => (reachable ? json(readyBody) : networkError())),
    );
    renderStatusPage();

    const alert = await within(readinessSection()).findByRole('alert');
    expect(within(alert).getByText('Could not check readiness')).toBeInTheDocument();
    expect(within(alert).getByText(/could not be reached/)).toBeInTheDocument();

    reachable = true;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await within(readinessSection()).findByText('Ready')).toBeInTheDocument();
  });

  it('reports an error envelope on /readiness (not a readiness body) as an error with its request id', async () => {
    useApi(
      infoApi(),
      // Not in the spec for this route (the probe documents only its own body): raw MSW.
      http.get('*/readiness', () =>
        HttpResponse.json(errorEnvelope('RATE_LIMITED', 'Too many requests, slow down.', 'req-rl-42'), { status: 429 }),
      ),
    );
    renderStatusPage();

    const alert = await within(readinessSection()).findByRole('alert');
    expect(within(alert).getByText('Too many requests, slow down.')).toBeInTheDocument();
    expect(within(alert).getByText('req-rl-42')).toBeInTheDocument();
    expect(within(readinessSection()).queryByText('Ready')).not.toBeInTheDocument();
  });

  it('falls back to the X-Request-ID header when a proxy answers without the envelope', async () => {
    useApi(
      // A proxy's own page, not the API's envelope: raw MSW.
      http.get('*/api/v1/info', () =>
        HttpResponse.text('Bad gateway', { status: 502, headers: { 'x-request-id': 'req-from-header' } }),
      ),
      readinessApi(),
    );
    renderStatusPage();

    const alert = await within(instanceSection()).findByRole('alert');
    expect(within(alert).getByText(/unexpected response \(HTTP 502\)/)).toBeInTheDocument();
    expect(within(alert).getByText('req-from-header')).toBeInTheDocument();
    await waitFor(() => expect(within(readinessSection()).getByText('Ready')).toBeInTheDocument());
  });
});
