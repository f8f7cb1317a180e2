import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { envelope, errorEnvelope } from '../../test/api-fixtures';
import { rememberSignIn, signedInApi } from '../../test/auth';
import { api, callsTo, json, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { RequireAuth } from '../auth';
import { AccountSettingsPage } from './AccountSettingsPage';
import type { DataExport } from './api/account.api';

const EXPORT_ID = '0190a000-0000-7000-8000-000000000001';
const DOWNLOAD = `/api/v1/exports/${EXPORT_ID}/download?token=signed`;
const EXPIRES = '2099-06-02T12:00:00.000Z';

const job = (changes: Partial<DataExport> = {}): DataExport => ({
  id: EXPORT_ID,
  status: 'queued',
  progress: 0,
  bytes: null,
  createdAt: '2099-06-01T12:00:00.000Z',
  finishedAt: null,
  expiresAt: null,
  downloadUrl: null,
  error: null,
  ...changes,
});
const done = job({
  status: 'done',
  progress: 100,
  bytes: 1_572_864,
  finishedAt: '2099-06-01T12:00:05.000Z',
  expiresAt: EXPIRES,
  downloadUrl: DOWNLOAD,
});

/** `GET /me/exports/:id` answers these, one per call, then the last one for good. */
const pollApi = (...states: DataExport[]) => {
  let call = 0;
  return api.get('/api/v1/me/exports/{id}', () => json(envelope(states[Math.min(call++, states.length - 1)])));
};

const renderAccountPage = (path: string = paths.settings.account) =>
  renderPage(
    [{ element: <RequireAuth />, children: [{ path: paths.settings.account, element: <AccountSettingsPage /> }] }],
    path,
  );

const exportSection = async () => within(await screen.findByRole('region', { name: 'Export your data' }));

describe('Export your data (account page)', () => {
  it('starts an export, shows its progress in a bar and in words while polling, then the download link', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.get('/api/v1/me/exports', () => json(envelope([]))),
      api.post('/api/v1/me/exports', () => json(envelope(job()), 202)),
      pollApi(job(), job({ status: 'running', progress: 40 }), done),
    );
    renderAccountPage();

    const section = await exportSection();
    await user.click(section.getByRole('button', { name: 'Export my data' }));

    expect(await screen.findByText('Export started. We also mail you when it is ready.')).toBeInTheDocument();
    expect(section.getByText('Waiting to start (0 % done)')).toBeInTheDocument();
    expect(section.getByRole('progressbar', { name: 'Waiting to start (0 % done)' })).toHaveAttribute(
      'aria-valuenow',
      '0',
    );
    // One in the making: not a second one.
    expect(section.getByRole('button', { name: 'Export my data' })).toBeDisabled();

    const bar = await section.findByRole('progressbar', { name: 'Building your export: 40 % done' }, { timeout: 3000 });
    expect(bar).toHaveAttribute('aria-valuenow', '40');
    expect(bar).toHaveAttribute('aria-valuetext', '40 per cent');
    expect(section.getByRole('status')).toHaveTextContent('Your export is being built.');

    const link = await section.findByRole('link', { name: 'Download your data (zip, 1.5 MB)' }, { timeout: 3000 });
    expect(link).toHaveAttribute('href', DOWNLOAD);
    expect(link).toHaveAttribute('download');
    expect(section.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(section.getByText(/The link works until/).querySelector('time')).toHaveAttribute('datetime', EXPIRES);
    expect(section.getByRole('status')).toHaveTextContent('Your export is ready to download.');
    expect(section.getByRole('button', { name: 'Export my data again' })).toBeEnabled();

    // Done: no more polling.
    const polls = callsTo(`/api/v1/me/exports/${EXPORT_ID}`);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(callsTo(`/api/v1/me/exports/${EXPORT_ID}`)).toBe(polls);
  });

  it('shows the export the mail links to (?export=<id>)', async () => {
    rememberSignIn();
    useApi(...signedInApi(), pollApi(done));
    renderAccountPage(`${paths.settings.account}?export=${EXPORT_ID}`);

    const section = await exportSection();
    expect(await section.findByRole('link', { name: /Download your data/ })).toHaveAttribute('href', DOWNLOAD);
    // The list is not needed for it.
    expect(callsTo('/api/v1/me/exports')).toBe(0);
  });

  it('says why the export the link names cannot be shown', async () => {
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.get('/api/v1/me/exports/{id}', () => json(errorEnvelope('NOT_FOUND', 'No such export', 'req-x-1'), 404)),
    );
    renderAccountPage(`${paths.settings.account}?export=${EXPORT_ID}`);

    const section = await exportSection();
    expect(await section.findByText('Could not show the export from your link')).toBeInTheDocument();
    expect(section.getByText('No such export')).toBeInTheDocument();
  });

  it('shows a failed export with its reason', async () => {
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.get('/api/v1/me/exports', () => json(envelope([job({ status: 'failed', error: 'The disk is full.' })]))),
      pollApi(job({ status: 'failed', error: 'The disk is full.' })),
    );
    renderAccountPage();

    const section = await exportSection();
    expect(await section.findByText('The export failed')).toBeInTheDocument();
    expect(section.getByText(/The disk is full\./)).toBeInTheDocument();
    await waitFor(() => expect(section.getByRole('status')).toHaveTextContent('Your export failed.'));
  });

  it('says when a progress check fails, and carries on', async () => {
    rememberSignIn();
    let call = 0;
    useApi(
      ...signedInApi(),
      api.get('/api/v1/me/exports/{id}', () =>
        call++ === 0
          ? json(envelope(job({ status: 'running', progress: 40 })))
          : call === 2
            ? json(errorEnvelope('INTERNAL_ERROR', 'The server had a problem', 'req-x-2'), 500)
            : json(envelope(done)),
      ),
    );
    renderAccountPage(`${paths.settings.account}?export=${EXPORT_ID}`);

    const section = await exportSection();
    expect(await section.findByRole('progressbar', { name: 'Building your export: 40 % done' })).toBeInTheDocument();
    expect(
      await section.findByText(/Could not check the progress just now \(The server had a problem\)/, undefined, {
        timeout: 3000,
      }),
    ).toBeInTheDocument();
    // The bar stays; the next check brings the link.
    expect(section.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '40');
    expect(await section.findByRole('link', { name: /Download your data/ }, { timeout: 3000 })).toBeInTheDocument();
  });
});
