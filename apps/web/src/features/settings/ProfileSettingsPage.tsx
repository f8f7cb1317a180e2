import { Badge, Button, DataList, Group, PasswordInput, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent } from 'react';

import { FormProblemAlert } from '../../components/ui/FormErrorAlert';
import type { SessionUser } from '../../lib/session';
import { type FieldErrors, passwordLengthProblem, splitApiError, useFormFields } from '../../lib/forms';
import { useAuth } from '../auth/useAuth';
import { updateProfile } from './api/settings.api';
import { SettingsSection } from './components/SettingsSection';
import { useChangePassword } from './api/settings.queries';

const BIO_MAX_LENGTH = 2000;
const NAME_MAX_LENGTH = 100;

export function ProfileSettingsPage() {
  const { user } = useAuth();
  // RequireAuth renders this page only for a signed-in user.
  if (!user) return null;
  return (
    <Stack gap="xl">
      <title>Profile settings · Atrium</title>
      <div>
        <Title order={1}>Profile</Title>
        <Text mt={4}>How you appear on Atrium, and how you sign in.</Text>
      </div>
      <SettingsSection title="Account">
        <DataList labelWidth="8rem" withDivider>
          <DataList.Item>
            <DataList.ItemLabel>Username</DataList.ItemLabel>
            <DataList.ItemValue>{user.username}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Email</DataList.ItemLabel>
            <DataList.ItemValue>
              <Group gap="xs">
                <span>{user.email}</span>
                <Badge variant="light" color={user.emailVerified ? 'green' : 'yellow'} c="var(--mantine-color-text)">
                  {user.emailVerified ? 'Confirmed' : 'Not confirmed'}
                </Badge>
              </Group>
            </DataList.ItemValue>
          </DataList.Item>
        </DataList>
      </SettingsSection>
      {/* Keyed by user: after a profile reload elsewhere the form starts from the saved values. */}
      <ProfileForm key={user.id} user={user} />
      <ChangePasswordForm />
    </Stack>
  );
}

type ProfileField = 'firstName' | 'lastName' | 'bio';
const PROFILE_ORDER: readonly ProfileField[] = ['firstName', 'lastName', 'bio'];
const PROFILE_API_FIELDS: Record<string, ProfileField> = { firstName: 'firstName', lastName: 'lastName', bio: 'bio' };

function ProfileForm({ user }: { user: SessionUser }) {
  const form = useFormFields<ProfileField>({
    firstName: user.firstName ?? '',
    lastName: user.lastName ?? '',
    bio: user.bio ?? '',
  });
  const save = useMutation({
    mutationFn: updateProfile,
    onError: (error) => form.showErrors(splitApiError(error, PROFILE_API_FIELDS).fields, PROFILE_ORDER),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (save.isPending) return;
    const { firstName, lastName, bio } = form.values;
    const problems: FieldErrors<ProfileField> = {
      firstName: firstName.trim().length > NAME_MAX_LENGTH ? `Use at most ${NAME_MAX_LENGTH} characters.` : undefined,
      lastName: lastName.trim().length > NAME_MAX_LENGTH ? `Use at most ${NAME_MAX_LENGTH} characters.` : undefined,
      bio: bio.length > BIO_MAX_LENGTH ? `Use at most ${BIO_MAX_LENGTH} characters.` : undefined,
    };
    if (form.showErrors(problems, PROFILE_ORDER)) return;
    save.reset();
    save.mutate({ firstName: firstName.trim(), lastName: lastName.trim(), bio });
  };

  const split = save.isError ? splitApiError(save.error, PROFILE_API_FIELDS) : undefined;

  return (
    <SettingsSection title="Public profile">
      <form onSubmit={onSubmit} noValidate aria-label="Public profile">
        <Stack gap="md">
          <FormProblemAlert title="Could not save the profile" error={save.error} problem={split} />
          <Group grow align="flex-start" wrap="wrap">
            <TextInput {...form.field('firstName')} label="First name" autoComplete="given-name" miw={200} />
            <TextInput {...form.field('lastName')} label="Last name" autoComplete="family-name" miw={200} />
          </Group>
          <Textarea
            {...form.field('bio')}
            label="Bio"
            description={`A few words about you, shown on your profile. ${form.values.bio.length} of ${BIO_MAX_LENGTH} characters.`}
            autosize
            minRows={3}
            maxRows={10}
          />
          <Group gap="md">
            <Button type="submit" loading={save.isPending}>
              Save profile
            </Button>
            <Text size="sm" role="status">
              {save.isSuccess ? 'Profile saved.' : ''}
            </Text>
          </Group>
        </Stack>
      </form>
    </SettingsSection>
  );
}

type PasswordField = 'currentPassword' | 'newPassword';
const PASSWORD_ORDER: readonly PasswordField[] = ['currentPassword', 'newPassword'];
// The strength check reports on `password` whichever route set it.
const PASSWORD_API_FIELDS: Record<string, PasswordField> = {
  currentPassword: 'currentPassword',
  newPassword: 'newPassword',
  password: 'newPassword',
};

function ChangePasswordForm() {
  const form = useFormFields<PasswordField>({ currentPassword: '', newPassword: '' });
  const change = useChangePassword();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (change.isPending) return;
    const { currentPassword, newPassword } = form.values;
    const problems: FieldErrors<PasswordField> = {
      currentPassword: currentPassword ? undefined : 'Enter your current password.',
      newPassword:
        passwordLengthProblem(newPassword) ??
        (newPassword === currentPassword ? 'Choose a password different from the current one.' : undefined),
    };
    if (form.showErrors(problems, PASSWORD_ORDER)) return;
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => form.reset(),
        onError: (error) => form.showErrors(splitApiError(error, PASSWORD_API_FIELDS).fields, PASSWORD_ORDER),
      },
    );
  };

  const split = change.isError ? splitApiError(change.error, PASSWORD_API_FIELDS) : undefined;

  return (
    <SettingsSection title="Password">
      <form onSubmit={onSubmit} noValidate aria-label="Change password">
        <Stack gap="md" maw={420}>
          <FormProblemAlert title="Could not change the password" error={change.error} problem={split} />
          <PasswordInput
            {...form.field('currentPassword')}
            label="Current password"
            autoComplete="current-password"
            visibilityToggleButtonProps={{ 'aria-label': 'Show current password' }}
            visibilityToggleFocusable
            required
          />
          <PasswordInput
            {...form.field('newPassword')}
            label="New password"
            description="At least 8 characters. Your other devices will be signed out."
            autoComplete="new-password"
            visibilityToggleButtonProps={{ 'aria-label': 'Show new password' }}
            visibilityToggleFocusable
            required
          />
          <Group gap="md">
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
            <Text size="sm" role="status">
              {change.isSuccess ? 'Password changed. Your other devices were signed out.' : ''}
            </Text>
          </Group>
        </Stack>
      </form>
    </SettingsSection>
  );
}
