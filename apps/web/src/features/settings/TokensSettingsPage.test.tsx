import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  LIVE_PERMISSION_RESOURCES,
  type Permission,
  PERMISSION_DESCRIPTIONS,
  PERMISSION_RESOURCE_INFO,
  PERMISSIONS,
} from '@atrium/contracts';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { ada, type ApiTokenFixture, ciToken, envelope, errorEnvelope, meOf, message } from '../../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { RequireAuth } from '../auth';
import { TokensSettingsPage } from './TokensSettingsPage';

const renderTokensPage = () =>
  renderPage(
    [{ element: <RequireAuth />, children: [{ path: paths.settings.tokens, element: <TokensSettingsPage /> }] }],
    paths.settings.tokens,
  );

const created = {
  ...ciToken,
  id: '0193c5a2-dddd-7000-8000-000000000004',
  name: 'Backup script',
  prefix: 'Zq81xB',
  scopes: ['profile:read' as const],
  lastUsedAt: null,
  token: 'atr_pat_Zq81xB_s3cr3t-value',
};

describe('Access tokens settings page', () => {
  it('lists tokens, creates one that is shown once, and revokes one after confirmation', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    let tokens: ApiTokenFixture[] = [ciToken];
    useApi(
      ...signedInApi(),
      api.get('/api/v1/auth/me', () => json(envelope(meOf()))),
      api.get('/api/v1/me/tokens', () => json(envelope(tokens))),
      api.post('/api/v1/me/tokens', () => {
        tokens = [ciToken, created];
        return json(envelope(created), 201);
      }),
      api.delete('/api/v1/me/tokens/{id}', ({ params }) => {
        tokens = tokens.filter((token) => token.id !== params.id);
        return json(message('Token revoked'));
      }),
    );
    renderTokensPage();

    expect(await screen.findByRole('heading', { level: 1, name: 'Access tokens' })).toBeInTheDocument();
    const list = await screen.findByRole('list', { name: 'Tokens' });
    const ci = within(within(list).getByRole('listitem', { name: 'CI deploy' }));
    expect(ci.getByText('atr_pat_k3Jd9a…')).toBeInTheDocument();
    expect(ci.getByText('posts:create')).toBeInTheDocument();
    expect(ci.getByText(/Never expires/)).toBeInTheDocument();

    const form = within(screen.getByRole('form', { name: 'New token' }));
    await user.click(form.getByRole('button', { name: 'Create token' }));
    const name = form.getByRole('textbox', { name: /^Name/ });
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveFocus();

    const scopes = form.getByRole('group', { name: /^Scopes/ });
    expect(scopes).toHaveAccessibleDescription(/Choose at least one scope\./);

    await user.type(name, 'Backup script');
    // The scopes offered are the user's own permissions, of features that exist (posts, not comments yet).
    expect(form.getAllByRole('checkbox').map((box) => box.getAttribute('value'))).toEqual([
      'profile:read',
      'profile:update',
      'posts:read',
      'posts:create',
    ]);
    await user.click(form.getByRole('checkbox', { name: 'profile:read' }));
    await user.click(form.getByRole('button', { name: 'Create token' }));

    expect(await screen.findByRole('heading', { name: 'Token Backup script created' })).toHaveFocus();
    expect(screen.getByText('atr_pat_Zq81xB_s3cr3t-value')).toBeInTheDocument();
    expect(screen.getByText(/it is shown only once/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Copy token' })).toBeInTheDocument();
    const post = requestsTo('/api/v1/me/tokens').find((request) => request.method === 'POST');
    expect(await bodyOf(post)).toEqual({ name: 'Backup script', scopes: ['profile:read'] });
    expect(await within(list).findByRole('listitem', { name: 'Backup script' })).toBeInTheDocument();

    await user.click(ci.getByRole('button', { name: 'Revoke' }));
    const dialog = await screen.findByRole('dialog', { name: 'Revoke CI deploy?' });
    expect(requestsTo(`/api/v1/me/tokens/${ciToken.id}`)).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Revoke token' }));

    expect(await screen.findByText('Token CI deploy revoked.')).toBeInTheDocument();
    await waitFor(() => expect(within(list).queryByRole('listitem', { name: 'CI deploy' })).not.toBeInTheDocument());
    expect(requestsTo(`/api/v1/me/tokens/${ciToken.id}`)[0]?.method).toBe('DELETE');
  });

  it('groups the scopes by resource with what each allows, offers only live features, and has shortcuts', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    // An administrator: every permission of the catalogue, the content modules' ones included.
    useApi(
      ...signedInApi(),
      api.get('/api/v1/auth/me', () => json(envelope(meOf(ada, [...PERMISSIONS])))),
      api.get('/api/v1/me/tokens', () => json(envelope([]))),
      api.post('/api/v1/me/tokens', () => json(envelope(created), 201)),
    );
    renderTokensPage();

    const form = within(await screen.findByRole('form', { name: 'New token' }));
    const scopes = within(await form.findByRole('group', { name: /^Scopes/ }));
    const groups = scopes.getAllByRole('group').map((group) => group.querySelector('legend')?.textContent);
    expect(groups).toEqual([
      'Your profile',
      'Users',
      'Roles',
      'Audit log',
      'Statistics',
      'Background jobs',
      'Posts',
      'Comments',
      'Categories',
      'Tags',
    ]);
    // Every feature that exists offers its scopes (LIVE_PERMISSION_RESOURCES).
    const live = PERMISSIONS.filter((permission) =>
      (LIVE_PERMISSION_RESOURCES as readonly string[]).includes(permission.split(':')[0]),
    );
    expect(scopes.getAllByRole('checkbox')).toHaveLength(live.length);

    // Each group says what the resource is; each scope, in one sentence, what it allows.
    const users = within(scopes.getByRole('group', { name: 'Users' }));
    expect(scopes.getByRole('group', { name: 'Users' })).toHaveAccessibleDescription(
      PERMISSION_RESOURCE_INFO.users.description,
    );
    expect(users.getAllByRole('checkbox')).toHaveLength(5);
    expect(users.getByRole('checkbox', { name: 'users:assign-roles' })).toHaveAccessibleDescription(
      'Give other users roles below your own level, for good or until a date.',
    );
    const boxes = scopes.getAllByRole<HTMLInputElement>('checkbox');
    for (const box of boxes) {
      expect(box).toHaveAccessibleDescription(PERMISSION_DESCRIPTIONS[box.value as Permission]);
    }

    const checked = () => boxes.filter((box) => box.checked).map((box) => box.value);
    await user.click(form.getByRole('button', { name: 'Read-only' }));
    expect(checked()).toEqual([
      'profile:read',
      'users:read',
      'roles:read',
      'audit:read',
      'stats:read',
      'queues:read',
      'posts:read',
      'comments:read',
    ]);
    await user.click(form.getByRole('button', { name: 'Everything I hold' }));
    expect(checked()).toHaveLength(live.length);
    await user.click(form.getByRole('checkbox', { name: 'queues:manage' }));

    await user.type(form.getByRole('textbox', { name: /^Name/ }), 'Ops bot');
    await user.click(form.getByRole('button', { name: 'Create token' }));
    await screen.findByRole('heading', { name: 'Token Backup script created' });
    const post = requestsTo('/api/v1/me/tokens').find((request) => request.method === 'POST');
    const sent = (await bodyOf(post)) as { name: string; scopes: string[] };
    expect(sent.name).toBe('Ops bot');
    expect([...sent.scopes].sort()).toEqual(live.filter((permission) => permission !== 'queues:manage').sort());
  });

  it('offers only the shortcuts and groups a plain user can use', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.get('/api/v1/auth/me', () => json(envelope(meOf(ada, ['profile:read', 'profile:update', 'posts:read'])))),
      api.get('/api/v1/me/tokens', () => json(envelope([]))),
    );
    renderTokensPage();

    const form = within(await screen.findByRole('form', { name: 'New token' }));
    const scopes = within(await form.findByRole('group', { name: /^Scopes/ }));
    expect(scopes.getByRole('group', { name: 'Your profile' })).toBeInTheDocument();
    expect(scopes.getAllByRole('checkbox').map((box) => box.getAttribute('value'))).toEqual([
      'profile:read',
      'profile:update',
      'posts:read',
    ]);
    await user.click(form.getByRole('button', { name: 'Read-only' }));
    expect(scopes.getByRole('checkbox', { name: 'profile:read' })).toBeChecked();
    expect(scopes.getByRole('checkbox', { name: 'profile:update' })).not.toBeChecked();
  });

  it('asks to confirm the email address first when the API refuses an unverified account', async () => {
    rememberSignIn();
    const unverified = { ...ada, emailVerified: false };
    useApi(
      ...signedInApi(unverified),
      api.get('/api/v1/auth/me', () => json(envelope(meOf(unverified)))),
      api.get('/api/v1/me/tokens', () =>
        json(errorEnvelope('EMAIL_NOT_VERIFIED', 'Verify your email address first', 'req-403'), 403),
      ),
    );
    renderTokensPage();

    expect(await screen.findByText('Confirm your email address first')).toBeInTheDocument();
    expect(
      screen.getByText(/Personal access tokens are available once your email address is confirmed/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'New token' })).not.toBeInTheDocument();
  });
});
