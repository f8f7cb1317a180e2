import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { envelope, meOf } from '../../test/api-fixtures';
import { rememberSignIn, signedInApi } from '../../test/auth';
import { api, callsTo, json, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { Can, useCan } from './permissions';

function Gated() {
  const canReadUsers = useCan('users:read');
  return (
    <>
      <p>{canReadUsers ? 'May read users' : 'May not read users'}</p>
      <Can permission="users:read" fallback={<p>No administration</p>}>
        <p>Administration</p>
      </Can>
    </>
  );
}

const renderGated = () => renderPage([{ path: '/', element: <Gated /> }], '/');

describe('permission gate (useCan, <Can>)', () => {
  it('shows what needs a permission to a user whose /auth/me lists it', async () => {
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.get('/api/v1/auth/me', () => json(envelope(meOf(undefined, ['users:read'])))),
    );
    renderGated();

    expect(await screen.findByText('Administration')).toBeInTheDocument();
    expect(screen.getByText('May read users')).toBeInTheDocument();
    expect(screen.queryByText('No administration')).not.toBeInTheDocument();
  });

  it('hides it from a user without the permission, and while /auth/me has not answered', async () => {
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.get('/api/v1/auth/me', () => json(envelope(meOf(undefined, ['posts:read'])))),
    );
    renderGated();

    // Unknown yet: hidden.
    expect(screen.getByText('No administration')).toBeInTheDocument();
    await screen.findByRole('button', { name: 'ada' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(callsTo('/api/v1/auth/me')).toBe(1);
    expect(screen.getByText('No administration')).toBeInTheDocument();
    expect(screen.getByText('May not read users')).toBeInTheDocument();
  });

  it('asks nothing and shows nothing while signed out', async () => {
    renderGated();

    expect(screen.getByText('No administration')).toBeInTheDocument();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(callsTo('/api/v1/auth/me')).toBe(0);
  });
});
