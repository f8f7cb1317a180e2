import { Alert, Button, Checkbox, Group, Modal, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';

import { FormErrorAlert } from '../../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../../components/ui/notify';
import { ApiError } from '../../../lib/api';
import type { AdminUser, RoleAssignment } from '../api/admin.api';
import { useRoles, useSetUserRoles } from '../api/admin.queries';
import { useOwnLevel } from '../useOwnLevel';
import { LoadError } from './LoadError';

/** `yyyy-mm-dd` of a moment, in the local time zone (what a date input shows). */
function localDay(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The role ends at the end of the chosen day, in the admin's time zone. */
export function endOfDay(day: string): string {
  return new Date(`${day}T23:59:59.999`).toISOString();
}

interface Choice {
  held: boolean;
  /** `yyyy-mm-dd`, or '' for no end. */
  until: string;
}

/** The user's roles, each with an optional last day: replaces them all (`PUT /users/:id/roles`). */
export function UserRolesModal({ user, onClose }: { user: AdminUser | undefined; onClose: () => void }) {
  return (
    <Modal
      opened={user !== undefined}
      onClose={onClose}
      title={user ? `Roles of ${user.username}` : ''}
      centered
      size="lg"
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {user ? <RolesForm key={user.id} user={user} onDone={onClose} /> : null}
    </Modal>
  );
}

function RolesForm({ user, onDone }: { user: AdminUser; onDone: () => void }) {
  const roles = useRoles();
  const ownLevel = useOwnLevel(roles.data);
  const save = useSetUserRoles();
  const [choices, setChoices] = useState<Record<string, Choice>>(() =>
    Object.fromEntries(
      user.roles.map((role) => [role.roleId, { held: true, until: role.expiresAt ? localDay(role.expiresAt) : '' }]),
    ),
  );
  const today = localDay(new Date().toISOString());

  if (roles.isPending) return <Skeleton height={160} radius="md" />;
  if (roles.isError) {
    return <LoadError title="Could not load the roles" query={roles} />;
  }

  const choice = (id: string): Choice => choices[id] ?? { held: false, until: '' };
  const change = (id: string, next: Partial<Choice>) =>
    setChoices((current) => ({ ...current, [id]: { ...choice(id), ...next } }));
  const pastDay = Object.entries(choices).some(([, c]) => c.held && c.until !== '' && c.until < today);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending || pastDay) return;
    const assignments: RoleAssignment[] = Object.entries(choices)
      .filter(([, c]) => c.held)
      .map(([roleId, c]) => (c.until ? { roleId, expiresAt: endOfDay(c.until) } : { roleId }));
    save.mutate(
      { id: user.id, roles: assignments },
      {
        onSuccess: (updated) => {
          notifySuccess(
            updated.roles.length === 0
              ? `${updated.username} holds no role now.`
              : `${updated.username} now holds ${updated.roles.map((r) => r.name).join(', ')}.`,
          );
          onDone();
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} aria-label={`Roles of ${user.username}`} noValidate>
      <Stack gap="md">
        <Text size="sm">
          Tick the roles {user.username} should hold. A role with a last day ends at the end of that day; without one it
          stays until removed. You can give or take only roles below your own level.
        </Text>
        {save.isError ? (
          <FormErrorAlert
            title="Could not change the roles"
            error={save.error}
            details={save.error instanceof ApiError ? save.error.details : []}
            focusOnShow
          />
        ) : null}
        <Stack gap="sm" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {roles.data.map((role) => {
            const current = choice(role.id);
            const locked = ownLevel !== undefined && role.level >= ownLevel;
            const past = current.held && current.until !== '' && current.until < today;
            return (
              <Group component="li" key={role.id} justify="space-between" align="flex-start" wrap="wrap" gap="sm">
                <Checkbox
                  label={role.name}
                  description={
                    locked ? `${role.description || 'No description'} (at or above your level)` : role.description
                  }
                  checked={current.held}
                  disabled={locked}
                  onChange={(event) => change(role.id, { held: event.currentTarget.checked })}
                  style={{ flex: '1 1 14rem' }}
                />
                {/* A last day only for a role the user is to hold. */}
                {current.held && !locked ? (
                  <TextInput
                    type="date"
                    label={`Last day of ${role.name}`}
                    description="Optional"
                    value={current.until}
                    min={today}
                    onChange={(event) => change(role.id, { until: event.currentTarget.value })}
                    error={past ? 'Choose today or a later day.' : undefined}
                    style={{ flex: '0 1 11rem' }}
                    miw={0}
                  />
                ) : null}
              </Group>
            );
          })}
        </Stack>
        {pastDay ? (
          <Alert color="red" variant="light" role="alert">
            A last day is in the past: choose today or a later day.
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save roles
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
