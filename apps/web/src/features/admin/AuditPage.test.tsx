import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { api, callsTo, json, requestsTo } from '../../test/msw';
import { envelope, errorEnvelope } from '../../test/api-fixtures';
import { auditEvent, listEnvelope, renderAdmin, userOf } from './test-fixtures';

const auditQueries = () => requestsTo('/api/v1/audit-events').map((request) => new URL(request.url).searchParams);

const auditApi = api.get('/api/v1/audit-events', ({ request }) => {
  const action = new URL(request.url).searchParams.get('action');
  if (action === 'nothing.matches') return json(listEnvelope([]));
  return json(
    listEnvelope([auditEvent(1), auditEvent(2, { action: 'auth.login_failed', actorId: null, metadata: {} })], 1, 2),
  );
});

describe('Admin: audit log', () => {
  it('sends the filters to the API (days as the start and end of local days) and keeps them in the address', async () => {
    const user = userEvent.setup({ delay: null });
    const { router } = renderAdmin(paths.admin.audit, {}, auditApi);

    expect(await screen.findByRole('heading', { level: 1, name: 'Audit log' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('2 events.'));

    await user.type(screen.getByRole('textbox', { name: /Action/ }), 'user.roles_changed');
    await user.type(screen.getByRole('textbox', { name: /Target/ }), 'user:abc');
    await user.type(screen.getByLabelText('From'), '2025-05-01');
    await user.type(screen.getByLabelText('To'), '2025-05-31');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));

    await waitFor(() => expect(auditQueries().at(-1)?.get('action')).toBe('user.roles_changed'));
    const sent = auditQueries().at(-1);
    expect(sent?.get('target')).toBe('user:abc');
    expect(sent?.get('from')).toBe(new Date('2025-05-01T00:00:00').toISOString());
    expect(sent?.get('to')).toBe(new Date('2025-05-31T23:59:59.999').toISOString());
    expect(router.state.location.search).toBe(
      '?action=user.roles_changed&target=user%3Aabc&from=2025-05-01&to=2025-05-31',
    );
  });

  it('without users:read, refuses an actor that is not a user id, at the field', async () => {
    const user = userEvent.setup({ delay: null });
    renderAdmin(paths.admin.audit, { permissions: ['audit:read'] }, auditApi);
    await screen.findByRole('table', { name: 'Audit events' });
    const before = requestsTo('/api/v1/audit-events').length;

    const actor = screen.getByRole('textbox', { name: /Actor/ });
    await user.type(actor, 'ada');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(actor).toHaveAccessibleDescription(/Enter a user id/);
    expect(actor).toHaveFocus();
    expect(requestsTo('/api/v1/audit-events')).toHaveLength(before);
    expect(callsTo('/api/v1/users')).toBe(0);
  });

  it('finds the actor by username, filters by their id, and shows their name in the field', async () => {
    const user = userEvent.setup({ delay: null });
    const grace = userOf(7, { username: 'grace' });
    const { router } = renderAdmin(
      paths.admin.audit,
      {},
      auditApi,
      api.get('/api/v1/users', ({ request }) => {
        const search = new URL(request.url).searchParams.get('search') ?? '';
        // The search matches parts of names too: only the exact username counts.
        return json(listEnvelope('grace'.includes(search) ? [userOf(9, { username: 'gracefield' }), grace] : []));
      }),
      api.get('/api/v1/users/{id}', () => json(envelope(grace))),
    );
    await screen.findByRole('table', { name: 'Audit events' });

    const actor = screen.getByRole('textbox', { name: /Actor/ });
    expect(actor).toHaveAccessibleDescription(/username/);
    await user.type(actor, 'nobody');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(await screen.findByText('No user is called “nobody”. Enter a username or a user id.')).toBeInTheDocument();
    expect(actor).toHaveFocus();
    expect(router.state.location.search).toBe('');

    await user.clear(actor);
    await user.type(actor, 'Grace');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(auditQueries().at(-1)?.get('actor')).toBe(grace.id));
    expect(router.state.location.search).toBe(`?actor=${grace.id}`);
    await waitFor(() => expect(screen.getByRole('textbox', { name: /Actor/ })).toHaveValue('grace'));
  });

  it('opens an event’s details in a drawer, and says when nothing matches', async () => {
    const user = userEvent.setup({ delay: null });
    renderAdmin(`${paths.admin.audit}?action=nothing.matches`, {}, auditApi);
    expect(await screen.findAllByText('No event matches these filters.')).not.toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));

    const table = await screen.findByRole('table', { name: 'Audit events' });
    await user.click(await within(table).findByRole('button', { name: /^Details of user.roles_changed/ }));
    const drawer = await screen.findByRole('dialog', { name: 'Event user.roles_changed' });
    expect(within(drawer).getByRole('row', { name: /IP address 203.0.113.7/ })).toBeInTheDocument();
    expect(within(drawer).getByText(/"role": "author"/)).toBeInTheDocument();
    await user.click(within(drawer).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('narrows the log to an event’s target from its drawer', async () => {
    const user = userEvent.setup({ delay: null });
    const { router } = renderAdmin(paths.admin.audit, {}, auditApi);
    const table = await screen.findByRole('table', { name: 'Audit events' });
    await user.click(await within(table).findByRole('button', { name: /^Details of user.roles_changed/ }));
    const drawer = await screen.findByRole('dialog', { name: 'Event user.roles_changed' });
    await user.click(within(drawer).getByRole('link', { name: 'Everything done to this target' }));

    const target = auditEvent(1).target ?? '';
    await waitFor(() => expect(auditQueries().at(-1)?.get('target')).toBe(target));
    expect(router.state.location.search).toBe(`?target=${encodeURIComponent(target)}`);
    expect(screen.getByRole('textbox', { name: /Target/ })).toHaveValue(target);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  describe('names who acted', () => {
    const grace = userOf(7, { username: 'grace' });
    const gone = userOf(8);
    const events = api.get('/api/v1/audit-events', () =>
      json(
        listEnvelope([
          auditEvent(1, { actorId: grace.id }),
          auditEvent(2, { action: 'post.deleted', actorId: gone.id }),
          auditEvent(3, { action: 'user.roles_changed', actorId: grace.id, at: '2025-06-01T11:00:00.000Z' }),
        ]),
      ),
    );
    const users = api.get('/api/v1/users/{id}', ({ params }) =>
      params.id === grace.id
        ? json(envelope(grace))
        : json(errorEnvelope('NOT_FOUND', 'No such user', 'req-u-404'), 404),
    );

    it('shows the actor’s username in the drawer, with their id, and narrows the log to them by name', async () => {
      const user = userEvent.setup({ delay: null });
      const { router } = renderAdmin(paths.admin.audit, {}, events, users);
      const table = await screen.findByRole('table', { name: 'Audit events' });
      await user.click((await within(table).findAllByRole('button', { name: /^Details of user.roles_changed/ }))[0]);
      const drawer = await screen.findByRole('dialog', { name: 'Event user.roles_changed' });
      expect(await within(drawer).findByRole('row', { name: 'Actor grace' })).toBeInTheDocument();
      expect(within(drawer).getByRole('row', { name: `Actor’s user id ${grace.id}` })).toBeInTheDocument();
      // One request per actor, however many of their events are on the page.
      expect(requestsTo(`/api/v1/users/${grace.id}`)).toHaveLength(1);

      await user.click(within(drawer).getByRole('link', { name: 'Everything grace did' }));
      await waitFor(() => expect(auditQueries().at(-1)?.get('actor')).toBe(grace.id));
      expect(router.state.location.search).toBe(`?actor=${grace.id}`);
    });

    it('says plainly when the actor’s name cannot be found, and keeps their id', async () => {
      const user = userEvent.setup({ delay: null });
      renderAdmin(paths.admin.audit, {}, events, users);
      const table = await screen.findByRole('table', { name: 'Audit events' });
      await waitFor(() => expect(requestsTo(`/api/v1/users/${gone.id}`)).toHaveLength(1));
      await user.click(await within(table).findByRole('button', { name: /^Details of post.deleted/ }));
      const drawer = await screen.findByRole('dialog', { name: 'Event post.deleted' });
      expect(within(drawer).getByRole('row', { name: 'Actor A user whose name cannot be shown' })).toBeInTheDocument();
      expect(within(drawer).getByRole('row', { name: `Actor’s user id ${gone.id}` })).toBeInTheDocument();
      expect(within(drawer).getByRole('link', { name: 'Everything this actor did' })).toBeInTheDocument();
    });

    it('does not ask for users without users:read', async () => {
      renderAdmin(paths.admin.audit, { permissions: ['audit:read'] }, events, users);
      await screen.findByRole('table', { name: 'Audit events' });
      await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('3 events.'));
      expect(requestsTo(`/api/v1/users/${grace.id}`)).toHaveLength(0);
      expect(requestsTo(`/api/v1/users/${gone.id}`)).toHaveLength(0);
    });
  });
});
