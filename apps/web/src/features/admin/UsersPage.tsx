import {
  Badge,
  Box,
  Button,
  Group,
  Menu,
  Modal,
  NativeSelect,
  Stack,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';

import { auditPath } from './sections';

import { DataTable, type DataTableColumn, type DataTableSortStatus } from '../../components/ui/DataTable';
import { FormErrorAlert } from '../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../components/ui/notify';
import { StatusBadge, type StatusTone } from '../../components/ui/StatusBadge';
import { useAuth, useCan } from '../auth';
import type { AdminUser, UsersQuery, UserStatus } from './api/admin.api';
import { ADMIN_PAGE_SIZE, useDeleteUser, useRestoreUser, useRoles, useUpdateUser, useUsers } from './api/admin.queries';
import { dateOnly } from './admin.format';
import { CreateUserModal } from './components/CreateUserModal';
import { UserRolesModal } from './components/UserRolesModal';
import { TableSkeleton } from './components/TableSkeleton';
import { useListParams } from './useListParams';
import styles from './admin.module.css';
import { LoadError } from './components/LoadError';
import { useRemovalFocus } from './useRemovalFocus';

const STATUS: Record<UserStatus, { label: string; tone: StatusTone }> = {
  active: { label: 'Active', tone: 'positive' },
  inactive: { label: 'Deactivated', tone: 'negative' },
  unverified: { label: 'Unverified', tone: 'neutral' },
  deleted: { label: 'Deleted', tone: 'negative' },
};

const STATUS_OPTIONS = [
  { value: '', label: 'Any status' },
  ...Object.entries(STATUS).map(([value, { label }]) => ({ value, label })),
];

const SORTABLE = ['createdAt', 'username', 'email'] as const;
type SortKey = (typeof SORTABLE)[number];

/** `-createdAt` ⇄ the table's sort status. */
function parseSort(sort: string): DataTableSortStatus<AdminUser> {
  const key = sort.replace(/^[-+]/, '');
  const columnAccessor: SortKey = (SORTABLE as readonly string[]).includes(key) ? (key as SortKey) : 'createdAt';
  return { columnAccessor, direction: sort && !sort.startsWith('-') ? 'asc' : 'desc' };
}

const isStatus = (value: string): value is UserStatus => Object.hasOwn(STATUS, value);

function roleLabel(role: AdminUser['roles'][number]): string {
  return role.expiresAt ? `${role.name} until ${dateOnly(role.expiresAt)}` : role.name;
}

function UserRoles({ user }: { user: AdminUser }) {
  if (user.roles.length === 0) return <Text size="sm">No roles</Text>;
  return (
    <Group gap={4} role="list" aria-label={`Roles of ${user.username}`}>
      {user.roles.map((role) => (
        <Badge key={role.roleId} role="listitem" variant="light" color="gray" c="var(--mantine-color-text)" tt="none">
          {roleLabel(role)}
        </Badge>
      ))}
    </Group>
  );
}

/** Users: search, filters, sort and pages answered by the API; invite, roles, deactivation and deletion. */
export function UsersPage() {
  const { get, page, update } = useListParams();
  const q = get('q');
  const role = get('role');
  const statusParam = get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const sort = get('sort') || '-createdAt';
  const query: UsersQuery = {
    page,
    perPage: ADMIN_PAGE_SIZE,
    sort,
    ...(q ? { search: q } : {}),
    ...(role ? { role } : {}),
    ...(status ? { status } : {}),
  };
  const users = useUsers(query);
  const canReadRoles = useCan('roles:read');
  const roles = useRoles(canReadRoles);
  const canCreate = useCan('users:create');
  const [draft, setDraft] = useState(q);
  const [shownQ, setShownQ] = useState(q);
  const [creating, setCreating] = useState(false);
  if (shownQ !== q) {
    setShownQ(q);
    setDraft(q);
  }

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    update({ q: draft.trim() || undefined });
  };

  const roleOptions = [
    { value: '', label: 'Any role' },
    ...(roles.data ?? []).map((r) => ({ value: r.name, label: r.name })),
  ];
  if (role && !roleOptions.some((option) => option.value === role)) roleOptions.push({ value: role, label: role });

  const total = users.data?.pagination.totalItems ?? 0;

  return (
    <Stack gap="lg">
      <title>Users · Administration · Atrium</title>
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Title order={1}>Users</Title>
        {canCreate ? <Button onClick={() => setCreating(true)}>Invite a user</Button> : null}
      </Group>

      <form role="search" aria-label="Users" onSubmit={onSearch}>
        <Group gap="xs" align="flex-end" wrap="wrap">
          <TextInput
            type="search"
            label="Search users"
            description="Username, email or name"
            value={draft}
            onChange={(event) => setDraft(event.currentTarget.value)}
            style={{ flex: '1 1 14rem' }}
            maw={420}
            miw={0}
          />
          <Button type="submit">Search</Button>
          {q ? (
            <Button variant="default" onClick={() => update({ q: undefined })}>
              Clear search
            </Button>
          ) : null}
        </Group>
      </form>

      <Group gap="md" align="flex-end" wrap="wrap">
        <NativeSelect
          label="Status"
          data={STATUS_OPTIONS}
          value={status ?? ''}
          onChange={(event) => update({ status: event.currentTarget.value || undefined })}
          style={{ flex: '0 1 12rem' }}
          miw={0}
        />
        {canReadRoles ? (
          <NativeSelect
            label="Role"
            data={roleOptions}
            value={role}
            onChange={(event) => update({ role: event.currentTarget.value || undefined })}
            style={{ flex: '0 1 12rem' }}
            miw={0}
          />
        ) : null}
      </Group>

      <div role="status">
        {users.isPending ? (
          <VisuallyHidden>Loading users…</VisuallyHidden>
        ) : users.isSuccess ? (
          <Text size="sm">
            {total === 0
              ? 'No user matches.'
              : `${total}${users.data.pagination.totalItemsCapped ? '+' : ''} ${total === 1 ? 'user' : 'users'}${q ? ` match “${q}”` : ''}.`}
          </Text>
        ) : null}
      </div>

      {users.isError ? (
        <LoadError title="Could not load the users" query={users} />
      ) : users.isPending ? (
        <TableSkeleton />
      ) : (
        <UsersTable
          users={users.data?.items ?? []}
          fetching={users.isFetching}
          total={total}
          page={page}
          sort={parseSort(sort)}
          onSort={({ columnAccessor, direction }) => {
            // A newly chosen column starts A to Z (the table would keep the old column's direction).
            const fresh = columnAccessor !== parseSort(sort).columnAccessor;
            update({ sort: `${!fresh && direction === 'desc' ? '-' : ''}${String(columnAccessor)}` });
          }}
          onPage={(next) => update({ page: String(next) })}
        />
      )}

      <CreateUserModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

interface UsersTableProps {
  users: AdminUser[];
  fetching: boolean;
  total: number;
  page: number;
  sort: DataTableSortStatus<AdminUser>;
  onSort: (status: DataTableSortStatus<AdminUser>) => void;
  onPage: (page: number) => void;
}

function UsersTable({ users, fetching, total, page, sort, onSort, onPage }: UsersTableProps) {
  const [editingRoles, setEditingRoles] = useState<AdminUser>();
  const [confirming, setConfirming] = useState<{ user: AdminUser; action: 'delete' | 'deactivate' }>();

  const columns: DataTableColumn<AdminUser>[] = [
    {
      accessor: 'username',
      title: 'User',
      sortable: true,
      render: (user) => (
        <Stack gap={2} miw={0}>
          <Text fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
            {user.username}
          </Text>
          {user.firstName || user.lastName ? (
            <Text size="sm">{[user.firstName, user.lastName].filter(Boolean).join(' ')}</Text>
          ) : null}
          {/* On a phone, the columns below show here. */}
          <Box hiddenFrom="md">
            <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {user.email}
            </Text>
            <Group gap={4} mt={4}>
              <StatusBadge tone={STATUS[user.status].tone} label={STATUS[user.status].label} size="sm" />
            </Group>
            <Box mt={4}>
              <UserRoles user={user} />
            </Box>
          </Box>
          {/* The Joined column shows from the small breakpoint up; narrower, the date is here. */}
          <Text size="sm" c="dimmed" hiddenFrom="sm">
            Joined <time dateTime={user.createdAt}>{dateOnly(user.createdAt)}</time>
          </Text>
        </Stack>
      ),
    },
    {
      accessor: 'email',
      title: 'Email',
      sortable: true,
      visibleMediaQuery: (theme) => `(min-width: ${theme.breakpoints.md})`,
      render: (user) => (
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {user.email}
        </Text>
      ),
    },
    {
      accessor: 'status',
      title: 'Status',
      visibleMediaQuery: (theme) => `(min-width: ${theme.breakpoints.md})`,
      render: (user) => <StatusBadge tone={STATUS[user.status].tone} label={STATUS[user.status].label} size="sm" />,
    },
    {
      accessor: 'roles',
      title: 'Roles',
      visibleMediaQuery: (theme) => `(min-width: ${theme.breakpoints.md})`,
      render: (user) => <UserRoles user={user} />,
    },
    {
      accessor: 'createdAt',
      title: 'Joined',
      sortable: true,
      visibleMediaQuery: (theme) => `(min-width: ${theme.breakpoints.sm})`,
      render: (user) => <time dateTime={user.createdAt}>{dateOnly(user.createdAt)}</time>,
    },
    {
      accessor: 'actions',
      title: <VisuallyHidden>Actions</VisuallyHidden>,
      textAlign: 'right',
      width: 110,
      render: (user) => (
        <UserActions
          user={user}
          onEditRoles={() => setEditingRoles(user)}
          onConfirm={(action) => setConfirming({ user, action })}
        />
      ),
    },
  ];

  return (
    <>
      <DataTable<AdminUser>
        aria-label="Users"
        records={users}
        columns={columns}
        idAccessor="id"
        fetching={fetching}
        sortStatus={sort}
        onSortStatusChange={onSort}
        totalRecords={total}
        recordsPerPage={ADMIN_PAGE_SIZE}
        page={page}
        onPageChange={onPage}
        noRecordsText="No user matches."
        paginationText={({ from, to, totalRecords }) => `${from}–${to} of ${totalRecords}`}
      />
      <UserRolesModal user={editingRoles} onClose={() => setEditingRoles(undefined)} />
      <ConfirmUserModal confirming={confirming} onClose={() => setConfirming(undefined)} />
    </>
  );
}

function UserActions({
  user,
  onEditRoles,
  onConfirm,
}: {
  user: AdminUser;
  onEditRoles: () => void;
  onConfirm: (action: 'delete' | 'deactivate') => void;
}) {
  const { user: me } = useAuth();
  const canAssign = useCan('users:assign-roles');
  const canUpdate = useCan('users:update');
  const canDelete = useCan('users:delete');
  const canReadAudit = useCan('audit:read');
  const update = useUpdateUser();
  const restore = useRestoreUser();
  const self = me?.id === user.id;
  const deleted = user.status === 'deleted';

  const reactivate = () =>
    update.mutate(
      { id: user.id, changes: { isActive: true } },
      { onSuccess: () => notifySuccess(`${user.username} can sign in again.`) },
    );
  const markVerified = () =>
    update.mutate(
      { id: user.id, changes: { emailVerified: true } },
      { onSuccess: () => notifySuccess(`${user.email} is marked verified.`) },
    );
  const onRestore = () => restore.mutate(user.id, { onSuccess: () => notifySuccess(`${user.username} is restored.`) });

  const items = [
    canAssign && !self && !deleted ? (
      <Menu.Item key="roles" onClick={onEditRoles}>
        Edit roles
      </Menu.Item>
    ) : null,
    canUpdate && !self && !deleted && user.isActive ? (
      <Menu.Item key="deactivate" onClick={() => onConfirm('deactivate')}>
        Deactivate
      </Menu.Item>
    ) : null,
    canUpdate && !deleted && !user.emailVerified ? (
      <Menu.Item key="verify" onClick={markVerified}>
        Mark email verified
      </Menu.Item>
    ) : null,
    canUpdate && !deleted && !user.isActive ? (
      <Menu.Item key="activate" onClick={reactivate}>
        Reactivate
      </Menu.Item>
    ) : null,
    canReadAudit ? (
      <Menu.Item key="audit" component={Link} to={auditPath({ target: `user:${user.id}` })}>
        Audit log
      </Menu.Item>
    ) : null,
    canDelete && !self && !deleted ? (
      <Menu.Item key="delete" className={styles.danger} onClick={() => onConfirm('delete')}>
        Delete
      </Menu.Item>
    ) : null,
    canDelete && deleted ? (
      <Menu.Item key="restore" onClick={onRestore}>
        Restore
      </Menu.Item>
    ) : null,
  ].filter(Boolean);

  const failure = update.error ?? restore.error;
  return (
    <Stack gap={4} align="flex-end">
      {items.length > 0 ? (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button
              variant="default"
              size="compact-sm"
              aria-label={`Actions for ${user.username}`}
              loading={update.isPending || restore.isPending}
            >
              Actions
            </Button>
          </Menu.Target>
          <Menu.Dropdown>{items}</Menu.Dropdown>
        </Menu>
      ) : null}
      {failure ? (
        <Text size="xs" className={styles.danger} role="alert" ta="right">
          {failure.message}
        </Text>
      ) : null}
    </Stack>
  );
}

function ConfirmUserModal({
  confirming,
  onClose,
}: {
  confirming: { user: AdminUser; action: 'delete' | 'deactivate' } | undefined;
  onClose: () => void;
}) {
  const remove = useDeleteUser();
  const update = useUpdateUser();
  const focus = useRemovalFocus();
  const mutation = confirming?.action === 'delete' ? remove : update;
  const close = () => {
    remove.reset();
    update.reset();
    onClose();
  };

  const onConfirm = () => {
    if (!confirming) return;
    const { user, action } = confirming;
    if (action === 'delete') {
      remove.mutate(user.id, {
        onSuccess: () => {
          notifySuccess(`${user.username} is deleted; they can be restored for a while.`);
          focus.markRemoved();
          close();
        },
      });
    } else {
      update.mutate(
        { id: user.id, changes: { isActive: false } },
        {
          onSuccess: () => {
            notifySuccess(`${user.username} is deactivated and signed out everywhere.`);
            close();
          },
        },
      );
    }
  };

  const verb = confirming?.action === 'delete' ? 'Delete' : 'Deactivate';
  return (
    <Modal
      {...focus.modalProps}
      opened={confirming !== undefined}
      onClose={close}
      title={confirming ? `${verb} ${confirming.user.username}?` : ''}
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack gap="md">
        <Text size="sm">
          {confirming?.action === 'delete'
            ? 'The account is hidden and signed out everywhere. It can be restored during the retention period.'
            : 'They are signed out everywhere and their access tokens stop working, until you reactivate them.'}
        </Text>
        {mutation.isError ? <FormErrorAlert title={`Could not ${verb.toLowerCase()}`} error={mutation.error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button color="red.9" onClick={onConfirm} loading={mutation.isPending}>
            {verb}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
