import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { MainNav } from '../../app/layout/MainNav';
import { ada, envelope, meOf } from '../../test/api-fixtures';
import { rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, server } from '../../test/msw';
import { renderPage } from '../../test/render';

const renderNav = (permissions: string[]) => {
  rememberSignIn();
  server.use(
    ...signedInApi(),
    api.get('/api/v1/auth/me', () => json(envelope(meOf(ada, permissions)))),
  );
  return renderPage([{ path: '/', element: <MainNav /> }], '/');
};

describe('the header’s Admin link', () => {
  it('leads to the first administration page the user may open', async () => {
    renderNav(['posts:read', 'audit:read', 'queues:read']);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(await within(nav).findByRole('link', { name: 'Admin' })).toHaveAttribute('href', '/admin/audit');
  });

  it('leads to the dashboard for whoever may read the statistics', async () => {
    renderNav(['stats:read', 'users:read']);
    expect(await screen.findByRole('link', { name: 'Admin' })).toHaveAttribute('href', '/admin');
  });

  it('is not there for a member without any administration permission', async () => {
    renderNav(['posts:read', 'posts:create', 'comments:create']);
    // Once /auth/me has answered, the writing link (posts:create) shows; Admin does not.
    expect(await screen.findByRole('link', { name: 'Write' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Admin' })).not.toBeInTheDocument();
  });
});
