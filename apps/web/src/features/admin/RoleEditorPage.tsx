import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { adminRolePath, paths } from '../../app/paths';
import { FormErrorAlert, FormProblemAlert } from '../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../components/ui/notify';
import { ApiError } from '../../lib/api';
import { sentence, showApiErrors, splitApiError, submitWith, useAppForm } from '../../lib/forms';
import { useMe } from '../auth';
import {
  type CatalogueEntry,
  createRole,
  type GrantablePermission,
  type Role,
  type RoleGrant,
  setRolePermissions,
  updateRole,
} from './api/admin.api';
import { adminKeys, useCatalogue, useDeleteRole, useRoles } from './api/admin.queries';
import { conditionsInWords, type GrantConditions, humanise, MANAGE_ALL } from './admin.format';
import { useOwnLevel } from './useOwnLevel';
import styles from './admin.module.css';
import { LoadError } from './components/LoadError';

const NAME = /^[a-z][a-z0-9-]{1,40}$/;

type Field = 'name' | 'description' | 'level';
const API_FIELDS: Record<string, Field> = { name: 'name', description: 'description', level: 'level' };

/** One role's editor (`/admin/roles/new` makes one): description, level and the permission matrix. */
export function RoleEditorPage() {
  const { roleId = 'new' } = useParams();
  const roles = useRoles();
  const catalogue = useCatalogue();
  const me = useMe();
  const isNew = roleId === 'new';

  const failed = [roles, catalogue].find((query) => query.isError);
  if (failed) {
    return (
      <Stack gap="lg">
        <title>Role · Administration · Atrium</title>
        <Title order={1}>Role</Title>
        <LoadError title="Could not load the role" query={failed} />
      </Stack>
    );
  }
  if (!roles.data || !catalogue.data || me.isPending) {
    return (
      <Stack gap="lg">
        <title>Role · Administration · Atrium</title>
        <div role="status">
          <VisuallyHidden>Loading the role…</VisuallyHidden>
        </div>
        <Skeleton height={36} width="40%" radius="md" />
        <Skeleton height={320} radius="md" />
      </Stack>
    );
  }
  const role = isNew ? undefined : roles.data.find((r) => r.id === roleId);
  if (!isNew && !role) {
    return (
      <Stack gap="sm" align="flex-start">
        <title>Role not found · Administration · Atrium</title>
        <Title order={1}>Role not found</Title>
        <Text>No role has this address: it may have been deleted.</Text>
        <Anchor component={Link} to={paths.admin.roles}>
          Back to the roles
        </Anchor>
      </Stack>
    );
  }
  return (
    <RoleEditor
      key={role?.id ?? 'new'}
      role={role}
      roles={roles.data}
      catalogue={catalogue.data}
      held={me.data?.permissions ?? []}
      isAdmin={me.data?.roles.includes('admin') ?? false}
    />
  );
}

interface EditorProps {
  role: Role | undefined;
  roles: Role[];
  catalogue: CatalogueEntry[];
  /** What the signed-in user holds without conditions: all they may grant. */
  held: string[];
  isAdmin: boolean;
}

function RoleEditor({ role, roles, catalogue, held, isAdmin }: EditorProps) {
  const ownLevel = useOwnLevel(roles) ?? 0;
  const canUpdate = held.includes('roles:update');
  const canCreate = held.includes('roles:create');
  const canDelete = held.includes('roles:delete');
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  // Why the role cannot be changed here, if it cannot (the API's rules).
  const readOnlyReason = !role
    ? canCreate
      ? undefined
      : 'You cannot create roles.'
    : !canUpdate
      ? 'You can view roles but not change them.'
      : role.level >= ownLevel
        ? `This role's level (${role.level}) is not below yours (${ownLevel}): only someone of a higher level can change it.`
        : role.isSystem && !isAdmin
          ? 'This is a system role: only an administrator can change it.'
          : undefined;
  const readOnly = readOnlyReason !== undefined;

  const [grants, setGrants] = useState<Map<string, GrantConditions>>(
    () => new Map((role?.permissions ?? []).map((p) => [p.permission, p.conditions])),
  );
  const form = useAppForm<{ name: string; description: string; level: number | string }>('role', {
    initialValues: {
      name: role?.name ?? '',
      description: role?.description ?? '',
      level: role?.level ?? Math.max(1, Math.min(10, ownLevel - 1)),
    },
    validate: ({ name, level, description }) => ({
      name:
        role || NAME.test(name)
          ? undefined
          : 'Use 2 to 41 lowercase letters, digits or dashes, starting with a letter.',
      level:
        role?.isSystem ||
        (typeof level === 'number' && Number.isInteger(level) && level >= 1 && level < Math.min(100, ownLevel))
          ? undefined
          : `Choose a whole number from 1 to ${Math.min(99, ownLevel - 1)} (below your own level).`,
      description: description.length > 200 ? 'Use at most 200 characters.' : undefined,
    }),
  });

  const permissions = (): RoleGrant[] =>
    [...grants.entries()].map(([permission, conditions]) => ({
      permission: permission as GrantablePermission,
      // Conditions come back as the API keeps them; they are sent back unchanged.
      ...(conditions && Object.keys(conditions).length > 0
        ? { conditions: conditions as RoleGrant['conditions'] }
        : {}),
    }));

  const save = useMutation({
    mutationFn: async (values: { name: string; description: string; level: number }): Promise<Role> => {
      if (!role) {
        return createRole({
          name: values.name,
          level: values.level,
          ...(values.description ? { description: values.description } : {}),
          permissions: permissions(),
        });
      }
      const changed =
        values.description !== role.description || (!role.isSystem && values.level !== role.level)
          ? await updateRole({
              id: role.id,
              changes: {
                description: values.description,
                ...(role.isSystem ? {} : { level: values.level }),
              },
            })
          : role;
      const before = new Set(role.permissions.map((p) => p.permission));
      const same = before.size === grants.size && [...grants.keys()].every((p) => before.has(p));
      return same ? changed : setRolePermissions({ id: role.id, permissions: permissions() });
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.roles() });
      notifySuccess(role ? `Role ${saved.name} saved.` : `Role ${saved.name} created.`);
      if (!role) void navigate(adminRolePath(saved.id));
    },
    onError: (error) => {
      if (nameTaken(error)) {
        // "A role with this name exists": the name field is to blame.
        form.setFieldError('name', sentence(error.message));
        form.getInputNode('name')?.focus();
      } else {
        showApiErrors(form, error, API_FIELDS);
      }
    },
  });
  const nameTaken = (error: unknown): error is ApiError =>
    !role && error instanceof ApiError && error.code === 'CONFLICT' && error.details.length === 0;

  const onSubmit = submitWith(form, ({ name, description, level }) => {
    if (save.isPending) return;
    save.mutate({ name: name.trim(), description: description.trim(), level: Number(level) });
  });
  const split = save.isError && !nameTaken(save.error) ? splitApiError(save.error, API_FIELDS) : undefined;

  const toggle = (permission: string, on: boolean) =>
    setGrants((current) => {
      const next = new Map(current);
      if (on) next.set(permission, role?.permissions.find((p) => p.permission === permission)?.conditions ?? null);
      else next.delete(permission);
      return next;
    });

  const title = role ? `Role ${role.name}` : 'New role';
  return (
    <Stack gap="lg">
      <title>{`${title} · Administration · Atrium`}</title>
      <Anchor component={Link} to={paths.admin.roles} size="sm">
        ← All roles
      </Anchor>
      <Title order={1}>{title}</Title>
      {readOnlyReason ? (
        <Alert color="gray" variant="light" title="Read only">
          {readOnlyReason}
        </Alert>
      ) : null}

      <form onSubmit={onSubmit} noValidate aria-label={title}>
        <Stack gap="lg">
          <FormProblemAlert title="Could not save the role" error={save.error} problem={split} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              {...form.getInputProps('name')}
              label="Name"
              description={role ? 'A role keeps its name.' : 'Lowercase letters, digits and dashes'}
              required={!role}
              readOnly={Boolean(role) || readOnly}
              autoComplete="off"
            />
            <NumberInput
              {...form.getInputProps('level')}
              label="Level"
              description={role?.isSystem ? 'A system role keeps its level.' : `1 to ${Math.max(1, ownLevel - 1)}`}
              min={1}
              max={Math.max(1, ownLevel - 1)}
              allowDecimal={false}
              readOnly={role?.isSystem || readOnly}
            />
          </SimpleGrid>
          <Textarea
            {...form.getInputProps('description')}
            label="Description"
            autosize
            minRows={2}
            maxLength={200}
            readOnly={readOnly}
          />
          {role?.permissions.some((p) => p.permission === MANAGE_ALL) ? (
            // One grant of everything (the admin role): an empty matrix would say the opposite.
            <Text>This role holds every permission, including any added in later versions.</Text>
          ) : (
            <PermissionMatrix catalogue={catalogue} grants={grants} held={held} readOnly={readOnly} onToggle={toggle} />
          )}
          {readOnly ? null : (
            <Group justify="space-between" wrap="wrap">
              <Button type="submit" loading={save.isPending}>
                {role ? 'Save role' : 'Create role'}
              </Button>
              {role && !role.isSystem && canDelete && role.level < ownLevel ? <DeleteRole role={role} /> : null}
            </Group>
          )}
        </Stack>
      </form>
    </Stack>
  );
}

function PermissionMatrix({
  catalogue,
  grants,
  held,
  readOnly,
  onToggle,
}: {
  catalogue: CatalogueEntry[];
  grants: Map<string, GrantConditions>;
  held: string[];
  readOnly: boolean;
  onToggle: (permission: string, on: boolean) => void;
}) {
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Permissions
      </Title>
      <Text size="sm" c="dimmed">
        Tick what the role allows. You can grant only what you hold yourself. Conditions set through the API are shown
        under a permission and kept while it stays ticked.
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
        {catalogue.map((entry) => (
          <Paper key={entry.resource} withBorder radius="md" p="sm" component="fieldset" m={0}>
            <Text component="legend" fw={700} px={4}>
              {humanise(entry.resource)}
            </Text>
            <Stack gap={8}>
              {entry.actions.map((action) => {
                const permission = `${entry.resource}:${action}`;
                const granted = grants.has(permission);
                const conditions = conditionsInWords(grants.get(permission));
                const grantable = held.includes(permission);
                return (
                  <Checkbox
                    key={permission}
                    label={humanise(action)}
                    aria-label={`${humanise(action)} ${entry.resource}`}
                    description={
                      conditions ?? (!grantable && !granted && !readOnly ? 'You do not hold this.' : undefined)
                    }
                    checked={granted}
                    disabled={readOnly || (!grantable && !granted)}
                    onChange={(event) => onToggle(permission, event.currentTarget.checked)}
                  />
                );
              })}
            </Stack>
          </Paper>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function DeleteRole({ role }: { role: Role }) {
  const [open, setOpen] = useState(false);
  const remove = useDeleteRole();
  const navigate = useNavigate();
  const close = () => {
    remove.reset();
    setOpen(false);
  };
  return (
    <>
      <Button variant="default" className={styles.danger} onClick={() => setOpen(true)}>
        Delete role
      </Button>
      <Modal
        opened={open}
        onClose={close}
        title={`Delete ${role.name}?`}
        centered
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        <Stack gap="md">
          <Text size="sm">Everyone holding it loses it at once. This cannot be undone.</Text>
          {remove.isError ? <FormErrorAlert title="Could not delete the role" error={remove.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              color="red.9"
              loading={remove.isPending}
              onClick={() =>
                remove.mutate(role.id, {
                  onSuccess: () => {
                    notifySuccess(`Role ${role.name} deleted.`);
                    void navigate(paths.admin.roles);
                  },
                })
              }
            >
              Delete role
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
