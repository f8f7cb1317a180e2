import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import {
  ada,
  currentSession,
  envelope,
  errorEnvelope,
  message,
  otherSession,
  tokensEnvelope,
} from '../../test/api-fixtures';
import { rememberSignIn, signedInApi } from '../../test/auth';
import { api, callsTo, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { RequireAuth } from '../auth';
import { SessionsSettingsPage } from './SessionsSettingsPage';

const renderSessionsPage = () =>
  renderPage(
    [{ element: <RequireAuth />, children: [{ path: paths.settings.sessions, element: <SessionsSettingsPage /> }] }],
    paths.settings.sessions,
  );

const expired = () => json(errorEnvelope('TOKEN_EXPIRED', 'The access token has expired; refresh it', 'req-exp'), 401);

const sessionList = () => screen.getByRole('list', { name: 'Sessions' });
const sessionItem = (name: string) => within(within(sessionList()).getByRole('listitem', { name }));

describe('Sessions settings page', () => {
  it('lists the signed-in devices with this one marked, and ends another one', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    let sessions = [currentSession, otherSession];
    useApi(
      ...signedInApi(),
      api.get('/api/v1/auth/sessions', () => json(envelope(sessions))),
      api.delete('/api/v1/auth/sessions/{id}', ({ params }) => {
        sessions = sessions.filter((session) => session.id !== params.id);
        return json(message('Session ended'));
      }),
    );
    renderSessionsPage();

    expect(await screen.findByRole('heading', { level: 1, name: 'Sessions' })).toBeInTheDocument();
    await screen.findByRole('list', { name: 'Sessions' });
    expect(within(sessionList()).getAllByRole('listitem')).toHaveLength(2);

    const current = sessionItem('Chrome on Linux');
    expect(current.getByText('This device')).toBeInTheDocument();
    expect(current.getByText(/203\.0\.113\.7/)).toBeInTheDocument();
    // This device signs out from the user menu; only the others can be ended here.
    expect(current.queryByRole('button', { name: 'End session' })).not.toBeInTheDocument();

    const other = sessionItem('Firefox on Windows');
    expect(other.queryByText('This device')).not.toBeInTheDocument();
    expect(other.getByText(/198\.51\.100\.23/)).toBeInTheDocument();
    const endButton = other.getByRole('button', { name: 'End session' });
    expect(endButton).toHaveAccessibleDescription('Firefox on Windows');

    await user.click(endButton);

    expect(await screen.findByText('Session on Firefox on Windows ended.')).toBeInTheDocument();
    await waitFor(() => expect(within(sessionList()).getAllByRole('listitem')).toHaveLength(1));
    expect(within(sessionList()).queryByRole('listitem', { name: 'Firefox on Windows' })).not.toBeInTheDocument();
    const [deleted] = requestsTo(`/api/v1/auth/sessions/${otherSession.id}`);
    expect(deleted?.method).toBe('DELETE');
    expect(deleted?.headers.get('authorization')).toBe('Bearer access-1');
  });

  it('signs out everywhere after confirmation and goes to sign in', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.get('/api/v1/auth/sessions', () => json(envelope([currentSession, otherSession]))),
      api.post('/api/v1/auth/logout-all', () => json(message('Signed out of 2 session(s)'))),
    );
    const { router } = renderSessionsPage();

    await user.click(await screen.findByRole('button', { name: 'Sign out everywhere' }));
    const dialog = await screen.findByRole('dialog', { name: 'Sign out of every device?' });
    expect(callsTo('/api/v1/auth/logout-all')).toBe(0);
    await user.click(within(dialog).getByRole('button', { name: 'Sign out everywhere' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Elsewhere: /sign-in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(callsTo('/api/v1/auth/logout-all')).toBe(1);
    expect(within(screen.getByRole('banner')).getByRole('link', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('refreshes an expired access token once and retries, so the list still loads', async () => {
    rememberSignIn();
    let refreshes = 0;
    useApi(
      api.post('/api/v1/auth/refresh', () => {
        refreshes += 1;
        return json(
          envelope({ accessToken: `access-${refreshes}`, tokenType: 'Bearer' as const, expiresIn: 900, user: ada }),
        );
      }),
      api.get('/api/v1/auth/sessions', ({ request }) =>
        request.headers.get('authorization') === 'Bearer access-1' ? expired() : json(envelope([currentSession])),
      ),
    );
    renderSessionsPage();

    expect(await screen.findByText('This device')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    // One refresh restored the session at start; exactly one more renewed the expired token.
    expect(refreshes).toBe(2);
    expect(requestsTo('/api/v1/auth/sessions').map((request) => request.headers.get('authorization'))).toEqual([
      'Bearer access-1',
      'Bearer access-2',
    ]);
  });

  it('sends to sign in when the expired token cannot be refreshed (session ended elsewhere)', async () => {
    rememberSignIn();
    let refreshes = 0;
    useApi(
      api.post('/api/v1/auth/refresh', () =>
        ++refreshes === 1
          ? json(tokensEnvelope('access-1'))
          : json(errorEnvelope('UNAUTHENTICATED', 'The refresh token is invalid', 'req-r2'), 401),
      ),
      api.get('/api/v1/auth/sessions', expired),
    );
    const { router } = renderSessionsPage();

    expect(await screen.findByRole('heading', { level: 1, name: 'Elsewhere: /sign-in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(router.state.location.search).toBe('?returnTo=%2Fsettings%2Fsessions');
    expect(refreshes).toBe(2);
  });
});
