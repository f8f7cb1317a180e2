import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { adminRolePath, paths } from '../../app/paths';
import { envelope, errorEnvelope, message } from '../../test/api-fixtures';
import { bodyOf } from '../../test/auth';
import { api, json, requestsTo } from '../../test/msw';
import { adminRole, authorRole, catalogue, editorRole, renderAdmin, reviewerRole, rolesApi } from './test-fixtures';

const catalogueApi = api.get('/api/v1/permissions', () => json(envelope(catalogue)));

describe('Admin: roles', () => {
  it('lists the roles with their level and permission count, system roles marked', async () => {
    renderAdmin(paths.admin.roles, {}, rolesApi);

    const table = await screen.findByRole('table', { name: 'Roles' });
    await within(table).findByRole('link', { name: 'editor' });
    const editorRow = within(table).getByRole('link', { name: 'editor' }).closest('tr');
    expect(editorRow).toHaveTextContent('System');
    expect(editorRow).toHaveTextContent('50');
    expect(editorRow).toHaveTextContent('3 permissions');
    // The admin role's one grant of everything is not "1 permission".
    expect(within(table).getByRole('link', { name: 'admin' }).closest('tr')).toHaveTextContent('Every permission');
    expect(within(table).getByRole('link', { name: 'reviewer' }).closest('tr')).not.toHaveTextContent('System');
    expect(screen.getByRole('link', { name: 'New role' })).toHaveAttribute('href', '/admin/roles/new');
  });

  it('shows a role’s permissions as a matrix with conditions in words, and replaces them', async () => {
    const user = userEvent.setup({ delay: null });
    renderAdmin(
      adminRolePath(authorRole.id),
      {},
      rolesApi,
      catalogueApi,
      api.put('/api/v1/roles/{id}/permissions', async ({ request }) => {
        const body = await request.json();
        return json(
          envelope({ ...authorRole, permissions: body.permissions.map((p) => ({ conditions: null, ...p })) }),
        );
      }),
    );

    expect(await screen.findByRole('heading', { level: 1, name: 'Role author' })).toBeInTheDocument();
    const posts = screen.getByRole('group', { name: 'Posts' });
    expect(within(posts).getByRole('checkbox', { name: 'Read posts' })).toBeChecked();
    const update = within(posts).getByRole('checkbox', { name: 'Update posts' });
    expect(update).toBeChecked();
    expect(update).toHaveAccessibleDescription('Only where the author is the acting user');
    expect(within(posts).getByRole('checkbox', { name: 'Publish posts' })).not.toBeChecked();
    // A system role keeps its name and level.
    expect(screen.getByRole('textbox', { name: /Name/ })).toHaveAttribute('readonly');
    expect(screen.queryByRole('button', { name: 'Delete role' })).not.toBeInTheDocument();

    await user.click(within(posts).getByRole('checkbox', { name: 'Publish posts' }));
    await user.click(screen.getByRole('button', { name: 'Save role' }));

    expect(await screen.findByText('Role author saved.')).toBeInTheDocument();
    expect(await bodyOf(requestsTo(`/api/v1/roles/${authorRole.id}/permissions`)[0])).toEqual({
      permissions: [
        { permission: 'posts:read' },
        { permission: 'posts:create' },
        // The condition is kept as it was.
        { permission: 'posts:update', conditions: { authorId: '${user.id}' } },
        { permission: 'posts:publish' },
      ],
    });
    expect(requestsTo(`/api/v1/roles/${authorRole.id}`)).toHaveLength(0);
  });

  it('is read-only for a role at or above the user’s own level', async () => {
    renderAdmin(adminRolePath(editorRole.id), { roles: ['editor'] }, rolesApi, catalogueApi);

    expect(await screen.findByRole('heading', { level: 1, name: 'Role editor' })).toBeInTheDocument();
    expect(screen.getByText(/is not below yours \(50\)/)).toBeInTheDocument();
    expect(
      within(screen.getByRole('group', { name: 'Posts' })).getByRole('checkbox', { name: 'Read posts' }),
    ).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Save role' })).not.toBeInTheDocument();
  });

  it('says the admin role holds every permission instead of showing an empty matrix', async () => {
    renderAdmin(adminRolePath(adminRole.id), {}, rolesApi, catalogueApi);

    expect(await screen.findByRole('heading', { level: 1, name: 'Role admin' })).toBeInTheDocument();
    expect(await screen.findByText(/holds every permission/)).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'Posts' })).not.toBeInTheDocument();
  });

  it('creates a role with a level and permissions, and goes to its page', async () => {
    const user = userEvent.setup({ delay: null });
    const { router } = renderAdmin(
      adminRolePath('new'),
      {},
      rolesApi,
      catalogueApi,
      api.post('/api/v1/roles', async ({ request }) => {
        const body = await request.json();
        return json(
          envelope({
            ...reviewerRole,
            id: '0193c5a2-aaaa-7000-8000-000000000099',
            name: body.name,
            permissions: [{ permission: 'comments:moderate', conditions: null }],
          }),
          201,
        );
      }),
    );

    expect(await screen.findByRole('heading', { level: 1, name: 'New role' })).toBeInTheDocument();
    await user.type(screen.getByRole('textbox', { name: /Name/ }), 'moderator');
    const level = screen.getByRole('textbox', { name: /Level/ });
    await user.clear(level);
    await user.type(level, '30');
    await user.click(
      within(screen.getByRole('group', { name: 'Comments' })).getByRole('checkbox', { name: 'Moderate comments' }),
    );
    await user.click(screen.getByRole('button', { name: 'Create role' }));

    expect(await screen.findByText('Role moderator created.')).toBeInTheDocument();
    expect(await bodyOf(requestsTo('/api/v1/roles').find((r) => r.method === 'POST'))).toEqual({
      name: 'moderator',
      level: 30,
      permissions: [{ permission: 'comments:moderate' }],
    });
    await waitFor(() =>
      expect(router.state.location.pathname).toBe('/admin/roles/0193c5a2-aaaa-7000-8000-000000000099'),
    );
  });

  it('shows a taken name at the name field', async () => {
    const user = userEvent.setup({ delay: null });
    renderAdmin(
      adminRolePath('new'),
      {},
      rolesApi,
      catalogueApi,
      api.post('/api/v1/roles', () => json(errorEnvelope('CONFLICT', 'A role with this name exists', 'req-r-1'), 409)),
    );
    const name = await screen.findByRole('textbox', { name: /Name/ });
    await user.type(name, 'reviewer');
    await user.click(screen.getByRole('button', { name: 'Create role' }));
    await waitFor(() => expect(name).toHaveAccessibleDescription(/A role with this name exists\./));
    expect(name).toHaveFocus();
  });

  it('deletes a custom role after a confirmation', async () => {
    const user = userEvent.setup({ delay: null });
    const { router } = renderAdmin(
      adminRolePath(reviewerRole.id),
      {},
      rolesApi,
      catalogueApi,
      api.delete('/api/v1/roles/{id}', () => json(message('Deleted'))),
    );

    await user.click(await screen.findByRole('button', { name: 'Delete role' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete reviewer?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete role' }));
    expect(await screen.findByText('Role reviewer deleted.')).toBeInTheDocument();
    expect(requestsTo(`/api/v1/roles/${reviewerRole.id}`).map((r) => r.method)).toEqual(['DELETE']);
    await waitFor(() => expect(router.state.location.pathname).toBe('/admin/roles'));
  });
});
