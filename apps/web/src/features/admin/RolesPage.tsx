import { Anchor, Badge, Button, Group, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';

import { adminRolePath } from '../../app/paths';
import { DataTable } from '../../components/ui/DataTable';
import { useCan } from '../auth';
import type { Role } from './api/admin.api';
import { useRoles } from './api/admin.queries';
import { count, MANAGE_ALL } from './admin.format';
import { TableSkeleton } from './components/TableSkeleton';
import { LoadError } from './components/LoadError';

/** Every role, highest level first; each opens in the editor (read-only where the API allows no change). */
export function RolesPage() {
  const roles = useRoles();
  const canCreate = useCan('roles:create');

  return (
    <Stack gap="lg">
      <title>Roles · Administration · Atrium</title>
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Title order={1}>Roles</Title>
        {canCreate ? (
          <Button component={Link} to={adminRolePath('new')}>
            New role
          </Button>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed">
        A role is a set of permissions. Its level decides who may change it: only people holding a higher level. System
        roles come with Atrium and cannot be deleted.
      </Text>
      {roles.isError ? (
        <LoadError title="Could not load the roles" query={roles} />
      ) : roles.isPending ? (
        <TableSkeleton />
      ) : (
        <>
          {roles.isPending ? (
            <div role="status">
              <VisuallyHidden>Loading roles…</VisuallyHidden>
            </div>
          ) : null}
          <DataTable<Role>
            aria-label="Roles"
            records={roles.data ?? []}
            fetching={roles.isFetching}
            idAccessor="id"
            noRecordsText="No roles yet."
            columns={[
              {
                accessor: 'name',
                title: 'Role',
                render: (role) => (
                  <Stack gap={2}>
                    <Group gap={6}>
                      <Anchor component={Link} to={adminRolePath(role.id)} fw={600}>
                        {role.name}
                      </Anchor>
                      {role.isSystem ? (
                        <Badge variant="outline" color="gray" c="var(--mantine-color-text)" size="sm" tt="none">
                          System
                        </Badge>
                      ) : null}
                    </Group>
                    {role.description ? <Text size="sm">{role.description}</Text> : null}
                  </Stack>
                ),
              },
              // Level and count on one line each, as narrow as they read: the role's description gets the rest
              // (at fixed widths it wrapped to a word a line on a phone, and "Every permission" broke in two).
              { accessor: 'level', title: 'Level', noWrap: true },
              {
                accessor: 'permissions',
                title: 'Permissions',
                noWrap: true,
                render: (role) =>
                  // `manage all` is one grant of every permission (the admin role): not "1 permission".
                  role.permissions.some((p) => p.permission === MANAGE_ALL)
                    ? 'Every permission'
                    : count(role.permissions.length, 'permission'),
              },
            ]}
          />
        </>
      )}
    </Stack>
  );
}
