import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { detailedErrorEnvelope, envelope, message } from '../../test/api-fixtures';
import { bodyOf } from '../../test/auth';
import { api, json, requestsTo } from '../../test/msw';
import { dateOnly } from './admin.format';
import { authorRole, listEnvelope, renderAdmin, rolesApi, userOf } from './test-fixtures';

const usersQueries = () => requestsTo('/api/v1/users').map((request) => new URL(request.url).searchParams);

const usersApi = api.get('/api/v1/users', ({ request }) => {
  const search = new URL(request.url).searchParams.get('search');
  const page = Number(new URL(request.url).searchParams.get('page') ?? 1);
  if (search === 'grace') return json(listEnvelope([userOf(7, { username: 'grace', email: 'grace@example.com' })]));
  return json(listEnvelope([userOf(1), userOf(2, { status: 'deleted', isActive: true })], page, 45));
});

const rows = () =>
  within(screen.getByRole('table', { name: 'Users' }))
    .getAllByRole('row')
    .slice(1);

describe('Admin: users', () => {
  it('sends the search, filters, sort and page to the API, and keeps them in the address', async () => {
    const user = userEvent.setup({ delay: null });
    const { router } = renderAdmin(paths.admin.users, {}, usersApi, rolesApi);

    expect(await screen.findByRole('heading', { level: 1, name: 'Users' })).toBeInTheDocument();
    expect(await screen.findByText('user1', { selector: 'p' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('45 users.');
    expect(usersQueries()[0]?.get('sort')).toBe('-createdAt');
    expect(usersQueries()[0]?.get('perPage')).toBe('20');

    await user.type(screen.getByRole('searchbox', { name: /Search users/ }), 'grace');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(usersQueries().at(-1)?.get('search')).toBe('grace');
    expect(screen.getByRole('status')).toHaveTextContent('1 user match “grace”.');
    expect(router.state.location.search).toBe('?q=grace');

    await user.click(screen.getByRole('button', { name: 'Clear search' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'deleted');
    await waitFor(() => expect(usersQueries().at(-1)?.get('status')).toBe('deleted'));
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Role' })).toHaveTextContent('author'));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Role' }), 'author');
    await waitFor(() => expect(usersQueries().at(-1)?.get('role')).toBe('author'));
    expect(usersQueries().at(-1)?.get('status')).toBe('deleted');

    // Sorting by username: ascending first.
    // A sortable header is a button (mantine-datatable).
    await user.click(screen.getByRole('button', { name: /^User/ }));
    await waitFor(() => expect(usersQueries().at(-1)?.get('sort')).toBe('username'));

    // The next page.
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(usersQueries().at(-1)?.get('page')).toBe('2'));
    expect(usersQueries().at(-1)?.get('role')).toBe('author');
  });

  it('says when each user joined on a phone too, where the Joined column is left out', async () => {
    renderAdmin(paths.admin.users, {}, usersApi, rolesApi);

    await screen.findByText('user1', { selector: 'p' });
    // The test's window matches no width query: the table is at its narrowest, without the Joined column.
    expect(screen.queryByRole('columnheader', { name: /Joined/ })).not.toBeInTheDocument();
    const first = rows()[0];
    expect(within(first).getByText(/^Joined/)).toHaveTextContent(`Joined ${dateOnly(userOf(1).createdAt)}`);
    expect(within(first).getByText(dateOnly(userOf(1).createdAt))).toHaveAttribute('datetime', userOf(1).createdAt);
  });

  it('gives a user the author role until a chosen day, and shows it in the list', async () => {
    const user = userEvent.setup({ delay: null });
    const target = userOf(1);
    let roleCalls = 0;
    renderAdmin(
      paths.admin.users,
      {},
      rolesApi,
      api.get('/api/v1/users', () =>
        json(
          listEnvelope([
            roleCalls === 0
              ? target
              : {
                  ...target,
                  roles: [
                    ...target.roles,
                    {
                      roleId: authorRole.id,
                      name: 'author',
                      level: 20,
                      assignedAt: '2025-06-01T12:00:00.000Z',
                      expiresAt: '2099-01-15T23:59:59.999Z',
                    },
                  ],
                },
          ]),
        ),
      ),
      api.put('/api/v1/users/{id}/roles', async ({ request }) => {
        roleCalls += 1;
        const body = await request.json();
        return json(
          envelope({
            ...target,
            roles: body.roles.map((r) => ({
              roleId: r.roleId,
              name: r.roleId === authorRole.id ? 'author' : 'member',
              level: 20,
              assignedAt: '2025-06-01T12:00:00.000Z',
              expiresAt: r.expiresAt ?? null,
            })),
          }),
        );
      }),
    );

    await user.click(await screen.findByRole('button', { name: 'Actions for user1' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Edit roles' }));
    const dialog = await screen.findByRole('dialog', { name: 'Roles of user1' });
    // Roles at or above the admin's own level cannot be given.
    expect(await within(dialog).findByRole('checkbox', { name: /admin/ })).toBeDisabled();
    // A last day is asked for a ticked role only.
    expect(within(dialog).queryByLabelText(/Last day of author/)).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('checkbox', { name: /author/ }));
    const expiry = within(dialog).getByLabelText(/Last day of author/);
    await user.type(expiry, '2099-01-15');
    await user.click(within(dialog).getByRole('button', { name: 'Save roles' }));

    await waitFor(() => expect(requestsTo(`/api/v1/users/${target.id}/roles`)).toHaveLength(1));
    expect(await bodyOf(requestsTo(`/api/v1/users/${target.id}/roles`)[0])).toEqual({
      roles: [
        { roleId: '0193c5a2-aaaa-7000-8000-000000000005' },
        { roleId: authorRole.id, expiresAt: new Date('2099-01-15T23:59:59.999').toISOString() },
      ],
    });
    expect(await screen.findByText('user1 now holds member, author.')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const roleList = await screen.findAllByRole('list', { name: 'Roles of user1' });
    await waitFor(() => expect(roleList[0]).toHaveTextContent(/author until/));
  });

  it('shows the API’s reason when a role change is refused', async () => {
    const user = userEvent.setup({ delay: null });
    renderAdmin(
      paths.admin.users,
      {},
      rolesApi,
      api.get('/api/v1/users', () => json(listEnvelope([userOf(1)]))),
      api.put('/api/v1/users/{id}/roles', () =>
        json(
          detailedErrorEnvelope('VALIDATION_ERROR', 'The request is not valid', [
            { field: 'roles.expiresAt', code: 'IN_THE_PAST', message: 'expiresAt must be in the future' },
          ]),
          400,
        ),
      ),
    );
    await user.click(await screen.findByRole('button', { name: 'Actions for user1' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Edit roles' }));
    const dialog = await screen.findByRole('dialog', { name: 'Roles of user1' });
    await user.click(await within(dialog).findByRole('button', { name: 'Save roles' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Could not change the roles');
    expect(alert).toHaveTextContent('ExpiresAt must be in the future.');
  });

  it('invites a user, showing a taken username at its field', async () => {
    const user = userEvent.setup({ delay: null });
    let attempts = 0;
    renderAdmin(
      paths.admin.users,
      {},
      rolesApi,
      api.get('/api/v1/users', () => json(listEnvelope([userOf(1)]))),
      api.post('/api/v1/users', async ({ request }) => {
        attempts += 1;
        const body = await request.json();
        if (attempts === 1) {
          return json(
            detailedErrorEnvelope('CONFLICT', 'Taken', [
              { field: 'username', code: 'TAKEN', message: 'this username is taken' },
            ]),
            409,
          );
        }
        return json(envelope(userOf(9, { username: body.username, email: body.email })), 201);
      }),
    );

    await user.click(await screen.findByRole('button', { name: 'Invite a user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Invite a user' });
    await user.type(within(dialog).getByRole('textbox', { name: /Email/ }), 'lin@example.com');
    await user.type(within(dialog).getByRole('textbox', { name: /Username/ }), 'lin');
    await user.click(within(dialog).getByRole('button', { name: 'Send the invitation' }));
    const username = within(dialog).getByRole('textbox', { name: /Username/ });
    await waitFor(() => expect(username).toHaveAccessibleDescription('This username is taken.'));
    expect(username).toHaveFocus();

    await user.clear(username);
    await user.type(username, 'lin2');
    await user.click(within(dialog).getByRole('button', { name: 'Send the invitation' }));
    expect(await screen.findByText(/lin2 is invited: a mail to lin@example.com/)).toBeInTheDocument();
    expect(
      await bodyOf(
        requestsTo('/api/v1/users')
          .filter((r) => r.method === 'POST')
          .at(-1),
      ),
    ).toEqual({
      email: 'lin@example.com',
      username: 'lin2',
    });
  });

  it('marks an invited user’s email address verified', async () => {
    const user = userEvent.setup({ delay: null });
    const invited = userOf(3, { emailVerified: false, status: 'unverified' });
    renderAdmin(
      paths.admin.users,
      {},
      rolesApi,
      api.get('/api/v1/users', () => json(listEnvelope([invited]))),
      api.patch('/api/v1/users/{id}', () =>
        json(envelope({ ...invited, emailVerified: true, status: 'active' as const })),
      ),
    );
    await user.click(await screen.findByRole('button', { name: 'Actions for user3' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Mark email verified' }));
    expect(await screen.findByText('user3@example.com is marked verified.')).toBeInTheDocument();
    expect(await bodyOf(requestsTo(`/api/v1/users/${invited.id}`)[0])).toEqual({ emailVerified: true });
  });

  it('deactivates after a confirmation, and restores a deleted user', async () => {
    const user = userEvent.setup({ delay: null });
    const active = userOf(1);
    const deleted = userOf(2, { status: 'deleted', deletedAt: '2025-06-01T00:00:00.000Z' });
    renderAdmin(
      paths.admin.users,
      {},
      rolesApi,
      api.get('/api/v1/users', () => json(listEnvelope([active, deleted]))),
      api.patch('/api/v1/users/{id}', () =>
        json(envelope({ ...active, isActive: false, status: 'inactive' as const })),
      ),
      api.post('/api/v1/users/{id}/restore', () => json(envelope({ ...deleted, status: 'active' as const }))),
      api.delete('/api/v1/users/{id}', () => json(message('Deleted'))),
    );

    await user.click(await screen.findByRole('button', { name: 'Actions for user1' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Deactivate' }));
    const dialog = await screen.findByRole('dialog', { name: 'Deactivate user1?' });
    await user.click(within(dialog).getByRole('button', { name: 'Deactivate' }));
    expect(await screen.findByText('user1 is deactivated and signed out everywhere.')).toBeInTheDocument();
    expect(await bodyOf(requestsTo(`/api/v1/users/${active.id}`)[0])).toEqual({ isActive: false });

    await user.click(screen.getByRole('button', { name: 'Actions for user2' }));
    expect(screen.queryByRole('menuitem', { name: 'Delete' })).not.toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: 'Mark email verified' })).not.toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: 'Audit log' })).toHaveAttribute(
      'href',
      `/admin/audit?target=user%3A${deleted.id}`,
    );
    await user.click(await screen.findByRole('menuitem', { name: 'Restore' }));
    expect(await screen.findByText('user2 is restored.')).toBeInTheDocument();
    expect(requestsTo(`/api/v1/users/${deleted.id}/restore`)).toHaveLength(1);
  });
});
