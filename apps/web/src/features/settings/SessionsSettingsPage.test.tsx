import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { ada, currentSession, envelope, errorEnvelope, message, otherSession } from '../../test/api-fixtures';
import { rememberSignIn, signedInApi } from '../../test/auth';
import { mockApi } from '../../test/fetch-mock';
import { renderApp } from '../../test/render';

const sessionList = () => screen.getByRole('list', { name: 'Sessions' });
const sessionItem = (name: string) => within(within(sessionList()).getByRole('listitem', { name }));

describe('Sessions settings page', () => {
  it('lists the signed-in devices with this one marked, and ends another one', async () => {
    const user = userEvent.setup();
    rememberSignIn();
    let sessions = [currentSession, otherSession];
    const { requestsTo } = mockApi({
      ...signedInApi(),
      '/api/v1/auth/sessions': () => ({ status: 200, body: envelope(sessions) }),
      [`/api/v1/auth/sessions/${otherSession.id}`]: () => {
        sessions = [currentSession];
        return { status: 200, body: message('Session ended') };
      },
    });
    renderApp('/settings/sessions');

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
    const user = userEvent.setup();
    rememberSignIn();
    const { callsTo } = mockApi({
      ...signedInApi(),
      '/api/v1/auth/sessions': () => ({ status: 200, body: envelope([currentSession, otherSession]) }),
      '/api/v1/auth/logout-all': () => ({ status: 200, body: message('Signed out of 2 session(s)') }),
    });
    const { router } = renderApp('/settings/sessions');

    await user.click(await screen.findByRole('button', { name: 'Sign out everywhere' }));
    const dialog = await screen.findByRole('dialog', { name: 'Sign out of every device?' });
    expect(callsTo('/api/v1/auth/logout-all')).toBe(0);
    await user.click(within(dialog).getByRole('button', { name: 'Sign out everywhere' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(callsTo('/api/v1/auth/logout-all')).toBe(1);
    expect(within(screen.getByRole('banner')).getByRole('link', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('refreshes an expired access token once and retries, so the list still loads', async () => {
    rememberSignIn();
    let refreshes = 0;
    const { requestsTo } = mockApi({
      ...signedInApi(),
      '/api/v1/auth/refresh': () => {
        refreshes += 1;
        return {
          status: 200,
          body: envelope({ accessToken: `access-${refreshes}`, tokenType: 'Bearer', expiresIn: 900, user: ada }),
        };
      },
      '/api/v1/auth/sessions': (request) =>
        request.headers.get('authorization') === 'Bearer access-1'
          ? { status: 401, body: errorEnvelope('TOKEN_EXPIRED', 'The access token has expired; refresh it', 'req-exp') }
          : { status: 200, body: envelope([currentSession]) },
    });
    renderApp('/settings/sessions');

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
    mockApi({
      ...signedInApi(),
      '/api/v1/auth/refresh': () =>
        ++refreshes === 1
          ? signedInApi()['/api/v1/auth/refresh']()
          : { status: 401, body: errorEnvelope('UNAUTHENTICATED', 'The refresh token is invalid', 'req-r2') },
      '/api/v1/auth/sessions': () => ({
        status: 401,
        body: errorEnvelope('TOKEN_EXPIRED', 'The access token has expired; refresh it', 'req-exp'),
      }),
    });
    const { router } = renderApp('/settings/sessions');

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(router.state.location.search).toBe('?returnTo=%2Fsettings%2Fsessions');
    expect(refreshes).toBe(2);
  });
});
