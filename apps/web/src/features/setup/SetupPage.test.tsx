import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { ada, detailedErrorEnvelope, envelope, errorEnvelope, tokensEnvelope } from '../../test/api-fixtures';
import { bodyOf } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { session } from '../../lib/session';
import { SetupNotice } from './components/SetupNotice';
import { SetupPage } from './SetupPage';

const status = (required: boolean, codeRequired = false) =>
  api.get('/api/v1/setup', () => json(envelope({ required, codeRequired })));

const renderSetup = () => renderPage([{ path: paths.setup, element: <SetupPage /> }], paths.setup);

/** Password inputs have no textbox role; the label also holds the required-field asterisk. */
const passwordField = () => screen.getByLabelText(/^Password/, { selector: 'input' });

async function fillIn(user: ReturnType<typeof userEvent.setup>, fields: { siteName?: string; code?: string } = {}) {
  if (fields.code !== undefined) await user.type(screen.getByRole('textbox', { name: /^Setup code/ }), fields.code);
  if (fields.siteName) await user.type(screen.getByRole('textbox', { name: 'Site name' }), fields.siteName);
  await user.type(screen.getByRole('textbox', { name: /^Username/ }), 'ada');
  await user.type(screen.getByRole('textbox', { name: /^Email/ }), 'ada@example.com');
  await user.type(passwordField(), 'quiet lantern amber fjord');
  await user.click(screen.getByRole('button', { name: 'Create the admin account' }));
}

describe('Setup page', () => {
  it('creates the first admin, signs them in and lands on the home page', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      status(true),
      api.post('/api/v1/setup', () => json(tokensEnvelope('access-setup', ada), 201)),
    );
    const { router } = renderSetup();

    expect(await screen.findByRole('heading', { level: 1, name: 'Set up this site' })).toBeInTheDocument();
    // Outside production no code is asked.
    expect(screen.queryByRole('textbox', { name: /^Setup code/ })).not.toBeInTheDocument();
    await fillIn(user, { siteName: '  The Reading Room ' });

    expect(await screen.findByRole('heading', { name: 'Elsewhere: /' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(paths.home);
    expect(await bodyOf(requestsTo('/api/v1/setup').at(-1))).toEqual({
      siteName: 'The Reading Room',
      username: 'ada',
      email: 'ada@example.com',
      password: 'quiet lantern amber fjord',
    });
    expect(session.get()).toMatchObject({ status: 'signed-in', accessToken: 'access-setup' });
    expect(await screen.findByText("Welcome, ada: you are this site's administrator.")).toBeInTheDocument();
    // The account menu shows who is signed in now.
    expect(within(screen.getByRole('banner')).getByRole('button', { name: /ada/ })).toBeInTheDocument();
  });

  it('asks for the code from the server log in production, and puts a refused one on its field', async () => {
    const user = userEvent.setup({ delay: null });
    useApi(
      status(true, true),
      api.post('/api/v1/setup', () =>
        json(errorEnvelope('FORBIDDEN', 'The setup code is missing or wrong', 'req-setup-1'), 403),
      ),
    );
    const { router } = renderSetup();

    await screen.findByRole('heading', { level: 1, name: 'Set up this site' });
    // Checked here first: the code is required.
    await fillIn(user);
    const code = screen.getByRole('textbox', { name: /^Setup code/ });
    expect(code).toHaveAttribute('aria-invalid', 'true');
    expect(code).toHaveFocus();
    expect(requestsTo('/api/v1/setup').filter((r) => r.method === 'POST')).toHaveLength(0);

    await user.type(code, ' 7kq2-m9xd-4ht0-vbna ');
    await user.click(screen.getByRole('button', { name: 'Create the admin account' }));
    await waitFor(() =>
      expect(code).toHaveAccessibleDescription(
        expect.stringContaining('That is not the code from the server log. Copy it from the latest start-up.'),
      ),
    );
    expect(code).toHaveFocus();
    expect(await bodyOf(requestsTo('/api/v1/setup').at(-1))).toMatchObject({ code: '7kq2-m9xd-4ht0-vbna' });
    expect(session.get().status).not.toBe('signed-in');
    expect(router.state.location.pathname).toBe(paths.setup);
  });

  it("shows the API's field errors (a weak password) next to their fields", async () => {
    const user = userEvent.setup({ delay: null });
    const weak = 'This password is too easy to guess. A few unrelated words make a strong one.';
    useApi(
      status(true),
      api.post('/api/v1/setup', () =>
        json(
          detailedErrorEnvelope('VALIDATION_ERROR', 'The password is too weak', [
            { field: 'password', message: weak, code: 'WEAK_PASSWORD' },
          ]),
          400,
        ),
      ),
    );
    renderSetup();

    await screen.findByRole('heading', { level: 1, name: 'Set up this site' });
    await fillIn(user);

    const password = passwordField();
    await waitFor(() => expect(password).toHaveAttribute('aria-invalid', 'true'));
    expect(password).toHaveAccessibleDescription(expect.stringContaining(weak));
    expect(password).toHaveFocus();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says the site is set up when an admin exists, with a way to sign in', async () => {
    useApi(status(false));
    renderSetup();

    expect(await screen.findByRole('heading', { level: 1, name: 'This site is set up' })).toBeInTheDocument();
    expect(within(screen.getByRole('main')).getByRole('link', { name: 'Sign in' })).toHaveAttribute(
      'href',
      paths.signIn,
    );
    expect(screen.queryByRole('form', { name: 'Set up this site' })).not.toBeInTheDocument();
  });

  it('says so when someone else set the site up meanwhile (409)', async () => {
    const user = userEvent.setup({ delay: null });
    let required = true;
    useApi(
      api.get('/api/v1/setup', () => json(envelope({ required, codeRequired: false }))),
      api.post('/api/v1/setup', () => {
        required = false;
        return json(errorEnvelope('CONFLICT', 'This site is set up already: sign in instead', 'req-setup-2'), 409);
      }),
    );
    renderSetup();

    await screen.findByRole('heading', { level: 1, name: 'Set up this site' });
    await fillIn(user);

    expect(await screen.findByRole('heading', { level: 1, name: 'This site is set up' })).toBeInTheDocument();
  });

  it('offers a retry when the status cannot be read', async () => {
    const user = userEvent.setup({ delay: null });
    let fail = true;
    useApi(
      api.get('/api/v1/setup', () =>
        fail
          ? json(errorEnvelope('SERVICE_UNAVAILABLE', 'The database is unavailable', 'req-setup-3'), 503)
          : json(envelope({ required: true, codeRequired: false })),
      ),
    );
    renderSetup();

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('The database is unavailable')).toBeInTheDocument();
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('form', { name: 'Set up this site' })).toBeInTheDocument();
  });
});

describe('Setup notice (sign-in and sign-up pages)', () => {
  const renderSignIn = () =>
    renderPage(
      [{ element: <SetupNotice />, children: [{ path: paths.signIn, element: <h1>Sign in</h1> }] }],
      paths.signIn,
    );

  it('links to the setup page while the site has no administrator', async () => {
    useApi(status(true));
    renderSignIn();

    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(await screen.findByText('This site has no administrator yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Set up this site' })).toHaveAttribute('href', paths.setup);
  });

  it('says nothing once it has one', async () => {
    useApi(status(false));
    renderSignIn();

    await waitFor(() => expect(requestsTo('/api/v1/setup')).toHaveLength(1));
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(screen.queryByText('This site has no administrator yet')).not.toBeInTheDocument();
  });
});
