import {
  Anchor,
  Button,
  Code,
  Drawer,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { type FormEvent, Fragment, type ReactNode, useState } from 'react';
import { Link } from 'react-router';

import { auditPath } from './sections';

import { DataTable } from '../../components/ui/DataTable';
import { type AuditEvent, type AuditQuery, fetchUsers } from './api/admin.api';
import { ADMIN_PAGE_SIZE, useAuditEvents, useUsernames } from './api/admin.queries';
import { useCan } from '../auth';
import { dateTime } from './admin.format';
import { TableSkeleton } from './components/TableSkeleton';
import { useListParams } from './useListParams';
import { LoadError } from './components/LoadError';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const FILTERS = ['action', 'target', 'actor', 'from', 'to'] as const;
type Filter = (typeof FILTERS)[number];

/** The start (or end) of a local day, as the API's `from` (or `to`). */
const startOfDay = (day: string) => new Date(`${day}T00:00:00`).toISOString();
const endOfDay = (day: string) => new Date(`${day}T23:59:59.999`).toISOString();

/** `user.roles_changed` with line-break chances after its dots and underscores (never mid-word). */
function breakable(text: string): ReactNode {
  return text.split(/(?<=[._:])/).map((part, index) => (
    <Fragment key={index}>
      {index > 0 ? <wbr /> : null}
      {part}
    </Fragment>
  ));
}

/** The audit log, newest first: filtered by action, target, actor and days; each event opens in a drawer. */
export function AuditPage() {
  const { get, page, update } = useListParams();
  const applied = Object.fromEntries(FILTERS.map((name) => [name, get(name)])) as Record<Filter, string>;
  const query: AuditQuery = {
    page,
    perPage: ADMIN_PAGE_SIZE,
    ...(applied.action ? { action: applied.action } : {}),
    ...(applied.target ? { target: applied.target } : {}),
    ...(UUID.test(applied.actor) ? { actor: applied.actor } : {}),
    ...(DAY.test(applied.from) ? { from: startOfDay(applied.from) } : {}),
    ...(DAY.test(applied.to) ? { to: endOfDay(applied.to) } : {}),
  };
  const events = useAuditEvents(query);
  // Actors by name where the admin may read users (the events carry the actor's id only).
  const canReadUsers = useCan('users:read');
  const names = useUsernames(
    [
      ...(UUID.test(applied.actor) ? [applied.actor] : []),
      ...(events.data?.items ?? []).flatMap((event) => (event.actorId ? [event.actorId] : [])),
    ],
    canReadUsers,
  );
  // The actor filter shows the name of the user whose id it holds, once known.
  const actorName = UUID.test(applied.actor) ? names.get(applied.actor) : undefined;
  const [open, setOpen] = useState<AuditEvent>();
  const total = events.data?.pagination.totalItems ?? 0;
  const filtered = FILTERS.some((name) => applied[name]);

  return (
    <Stack gap="lg">
      <title>Audit log · Administration · Atrium</title>
      <Title order={1}>Audit log</Title>
      <AuditFilters
        key={`${JSON.stringify(applied)} ${actorName ?? ''}`}
        applied={applied}
        actorName={actorName}
        byName={canReadUsers}
        onApply={(values) => update(values)}
      />

      <div role="status">
        {events.isPending ? (
          <VisuallyHidden>Loading events…</VisuallyHidden>
        ) : events.isSuccess ? (
          <Text size="sm">
            {total === 0
              ? filtered
                ? 'No event matches these filters.'
                : 'Nothing has been recorded yet.'
              : `${total}${events.data.pagination.totalItemsCapped ? '+' : ''} ${total === 1 ? 'event' : 'events'}${filtered ? ' match' : ''}.`}
          </Text>
        ) : null}
      </div>

      {events.isError ? (
        <LoadError title="Could not load the audit log" query={events} />
      ) : events.isPending ? (
        <TableSkeleton />
      ) : (
        <DataTable<AuditEvent>
          aria-label="Audit events"
          records={events.data?.items ?? []}
          fetching={events.isFetching}
          idAccessor="id"
          totalRecords={total}
          recordsPerPage={ADMIN_PAGE_SIZE}
          page={page}
          onPageChange={(next) => update({ page: String(next) })}
          paginationText={({ from, to, totalRecords }) => `${from}–${to} of ${totalRecords}`}
          noRecordsText={filtered ? 'No event matches these filters.' : 'Nothing has been recorded yet.'}
          columns={[
            {
              accessor: 'at',
              title: 'When',
              render: (event) => <time dateTime={event.at}>{dateTime(event.at)}</time>,
            },
            {
              accessor: 'action',
              title: 'Action',
              render: (event) => <Text size="sm">{breakable(event.action)}</Text>,
            },
            {
              accessor: 'target',
              title: 'Target',
              visibleMediaQuery: (theme) => `(min-width: ${theme.breakpoints.sm})`,
              render: (event) => (
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {event.target ?? '—'}
                </Text>
              ),
            },
            {
              accessor: 'actorId',
              title: 'Actor',
              visibleMediaQuery: (theme) => `(min-width: ${theme.breakpoints.md})`,
              render: (event) => (
                <Actor id={event.actorId} name={event.actorId ? names.get(event.actorId) : undefined} />
              ),
            },
            {
              accessor: 'details',
              title: <VisuallyHidden>Details</VisuallyHidden>,
              textAlign: 'right',
              width: 90,
              render: (event) => (
                <Button
                  variant="default"
                  size="compact-sm"
                  aria-label={`Details of ${event.action} at ${dateTime(event.at)}`}
                  onClick={() => setOpen(event)}
                >
                  Details
                </Button>
              ),
            },
          ]}
        />
      )}
      <EventDrawer
        event={open}
        actorName={open?.actorId ? names.get(open.actorId) : undefined}
        onClose={() => setOpen(undefined)}
      />
    </Stack>
  );
}

function AuditFilters({
  applied,
  actorName,
  byName,
  onApply,
}: {
  applied: Record<Filter, string>;
  /** The username of the applied actor id, when known: shown in its place. */
  actorName: string | undefined;
  /** Whether a username may be typed (looked up with `GET /users`: needs users:read). */
  byName: boolean;
  onApply: (values: Record<Filter, string | undefined>) => void;
}) {
  const [values, setValues] = useState({ ...applied, actor: actorName ?? applied.actor });
  const [actorError, setActorError] = useState<string>();
  const [findingActor, setFindingActor] = useState(false);
  const set = (name: Filter) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setValues((current) => ({ ...current, [name]: value }));
  };

  const refuseActor = (message: string) => {
    setActorError(message);
    document.getElementById('audit-actor')?.focus();
  };

  /** The id of the actor typed: an id as it is, a username looked up (exactly that name). */
  const actorId = async (typed: string): Promise<string | undefined> => {
    if (!typed || UUID.test(typed)) return typed;
    if (!byName) {
      refuseActor('Enter a user id such as 0193c5a2-9000-7c31-9a55-3f4b2d1e6a71.');
      return undefined;
    }
    const wanted = typed.replace(/^@/, '').toLowerCase();
    setFindingActor(true);
    try {
      const found = await fetchUsers({ page: 1, perPage: 20, search: wanted });
      const match = found.items.find((candidate) => candidate.username.toLowerCase() === wanted);
      if (!match) refuseActor(`No user is called “${typed}”. Enter a username or a user id.`);
      return match?.id;
    } catch (error) {
      refuseActor(`Could not look “${typed}” up: ${error instanceof Error ? error.message : 'try again'}.`);
      return undefined;
    } finally {
      setFindingActor(false);
    }
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (findingActor) return;
    const typed = values.actor.trim();
    const actor = typed && typed === actorName ? applied.actor : await actorId(typed);
    if (actor === undefined) return;
    setActorError(undefined);
    onApply(
      Object.fromEntries(
        FILTERS.map((name) => [name, (name === 'actor' ? actor : values[name].trim()) || undefined]),
      ) as Record<Filter, string | undefined>,
    );
  };

  return (
    <form onSubmit={(event) => void onSubmit(event)} aria-label="Filter the audit log" noValidate>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
          <TextInput
            label="Action"
            description="Such as user.roles_changed"
            value={values.action}
            onChange={set('action')}
          />
          <TextInput
            label="Target"
            description="kind:id, such as user:0193…"
            value={values.target}
            onChange={set('target')}
          />
          <TextInput
            id="audit-actor"
            label="Actor"
            description={byName ? 'The username (or user id) of who acted' : 'The id of the user who acted'}
            value={values.actor}
            onChange={set('actor')}
            error={actorError}
            aria-invalid={actorError ? true : undefined}
          />
          <TextInput type="date" label="From" value={values.from} onChange={set('from')} />
          <TextInput type="date" label="To" value={values.to} onChange={set('to')} min={values.from || undefined} />
        </SimpleGrid>
        <Group gap="xs">
          <Button type="submit" loading={findingActor}>
            Apply filters
          </Button>
          {FILTERS.some((name) => applied[name]) ? (
            <Button
              variant="default"
              onClick={() =>
                onApply(Object.fromEntries(FILTERS.map((name) => [name, undefined])) as Record<Filter, undefined>)
              }
            >
              Clear filters
            </Button>
          ) : null}
        </Group>
      </Stack>
    </form>
  );
}

/** Who acted: their username where known (the id otherwise), or the system itself. */
function Actor({ id, name }: { id: string | null; name: string | undefined }) {
  if (!id) return <Text size="sm">The system</Text>;
  return (
    <Text size="sm" style={{ overflowWrap: 'anywhere' }} title={name ? id : undefined}>
      {name ?? id}
    </Text>
  );
}

function EventDrawer({
  event,
  actorName,
  onClose,
}: {
  event: AuditEvent | undefined;
  actorName: string | undefined;
  onClose: () => void;
}) {
  const rows: [string, string][] = event
    ? [
        ['When', dateTime(event.at)],
        ['Action', event.action],
        ['Target', event.target ?? '—'],
        ['Actor', event.actorId ? (actorName ?? 'A user whose name cannot be shown') : 'The system'],
        ...(event.actorId ? [['Actor’s user id', event.actorId] as [string, string]] : []),
        ['IP address', event.ip ?? '—'],
        ['Browser', event.userAgent ?? '—'],
        ['Event id', event.id],
      ]
    : [];
  return (
    <Drawer
      opened={event !== undefined}
      onClose={onClose}
      position="right"
      size="md"
      title={event ? `Event ${event.action}` : ''}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {event ? (
        <Stack gap="md">
          <Table fz="sm" withTableBorder>
            <Table.Tbody>
              {rows.map(([label, value]) => (
                <Table.Tr key={label}>
                  <Table.Th scope="row" w="30%">
                    {label}
                  </Table.Th>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{value}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group gap="md">
            {event.actorId ? (
              <Anchor component={Link} to={auditPath({ actor: event.actorId })} onClick={onClose} size="sm">
                {actorName ? `Everything ${actorName} did` : 'Everything this actor did'}
              </Anchor>
            ) : null}
            {event.target ? (
              <Anchor component={Link} to={auditPath({ target: event.target })} onClick={onClose} size="sm">
                Everything done to this target
              </Anchor>
            ) : null}
          </Group>
          <Title order={3} size="h5">
            Details recorded
          </Title>
          {Object.keys(event.metadata).length === 0 ? (
            <Text size="sm">None.</Text>
          ) : (
            <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} tabIndex={0}>
              {JSON.stringify(event.metadata, null, 2)}
            </Code>
          )}
        </Stack>
      ) : null}
    </Drawer>
  );
}
