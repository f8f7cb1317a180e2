import { Badge, Button, DataList, Group, PasswordInput, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';

import { FormProblemAlert } from '../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../components/ui/notify';
import { passwordLengthProblem, showApiErrors, splitApiError, submitWith, useAppForm } from '../../lib/forms';
import type { SessionUser } from '../../lib/session';
import { useAuth } from '../auth';
import { updateProfile } from './api/settings.api';
import { useChangePassword } from './api/settings.queries';
import { AvatarSettings } from './components/AvatarSettings';
import { SettingsSection } from './components/SettingsSection';

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
      <SettingsSection title="Avatar">
        <AvatarSettings user={user} />
      </SettingsSection>
      {/* Keyed by user: after a profile reload elsewhere the form starts from the saved values. */}
      <ProfileForm key={user.id} user={user} />
      <ChangePasswordForm />
    </Stack>
  );
}

type ProfileField = 'firstName' | 'lastName' | 'bio';
const PROFILE_API_FIELDS: Record<string, ProfileField> = { firstName: 'firstName', lastName: 'lastName', bio: 'bio' };

function ProfileForm({ user }: { user: SessionUser }) {
  const form = useAppForm<Record<ProfileField, string>>('profile', {
    initialValues: { firstName: user.firstName ?? '', lastName: user.lastName ?? '', bio: user.bio ?? '' },
    validate: ({ firstName, lastName, bio }) => ({
      firstName: firstName.trim().length > NAME_MAX_LENGTH ? `Use at most ${NAME_MAX_LENGTH} characters.` : undefined,
      lastName: lastName.trim().length > NAME_MAX_LENGTH ? `Use at most ${NAME_MAX_LENGTH} characters.` : undefined,
      bio: bio.length > BIO_MAX_LENGTH ? `Use at most ${BIO_MAX_LENGTH} characters.` : undefined,
    }),
  });
  const save = useMutation({
    mutationFn: updateProfile,
    onSuccess: () => notifySuccess('Profile saved.'),
    onError: (error) => showApiErrors(form, error, PROFILE_API_FIELDS),
  });

  const onSubmit = submitWith(form, ({ firstName, lastName, bio }) => {
    if (save.isPending) return;
    save.reset();
    save.mutate({ firstName: firstName.trim(), lastName: lastName.trim(), bio });
  });

  const split = save.isError ? splitApiError(save.error, PROFILE_API_FIELDS) : undefined;

  return (
    <SettingsSection title="Public profile">
      <form onSubmit={onSubmit} noValidate aria-label="Public profile">
        <Stack gap="md">
          <FormProblemAlert title="Could not save the profile" error={save.error} problem={split} />
          <Group grow align="flex-start" wrap="wrap">
            <TextInput {...form.getInputProps('firstName')} label="First name" autoComplete="given-name" miw={200} />
            <TextInput {...form.getInputProps('lastName')} label="Last name" autoComplete="family-name" miw={200} />
          </Group>
          <Textarea
            {...form.getInputProps('bio')}
            label="Bio"
            description={`A few words about you, shown on your profile. ${form.values.bio.length} of ${BIO_MAX_LENGTH} characters.`}
            autosize
            minRows={3}
            maxRows={10}
          />
          <div>
            <Button type="submit" loading={save.isPending}>
              Save profile
            </Button>
          </div>
        </Stack>
      </form>
    </SettingsSection>
  );
}

type PasswordField = 'currentPassword' | 'newPassword';
// The strength check reports on `password` whichever route set it.
const PASSWORD_API_FIELDS: Record<string, PasswordField> = {
  currentPassword: 'currentPassword',
  newPassword: 'newPassword',
  password: 'newPassword',
};

function ChangePasswordForm() {
  const form = useAppForm<Record<PasswordField, string>>('change-password', {
    initialValues: { currentPassword: '', newPassword: '' },
    validate: ({ currentPassword, newPassword }) => ({
      currentPassword: currentPassword ? undefined : 'Enter your current password.',
      newPassword:
        passwordLengthProblem(newPassword) ??
        (newPassword === currentPassword ? 'Choose a password different from the current one.' : undefined),
    }),
  });
  const change = useChangePassword();

  const onSubmit = submitWith(form, ({ currentPassword, newPassword }) => {
    if (change.isPending) return;
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          form.reset();
          notifySuccess('Password changed. Your other devices were signed out.');
        },
        onError: (error) => showApiErrors(form, error, PASSWORD_API_FIELDS),
      },
    );
  });

  const split = change.isError ? splitApiError(change.error, PASSWORD_API_FIELDS) : undefined;

  return (
    <SettingsSection title="Password">
      <form onSubmit={onSubmit} noValidate aria-label="Change password">
        <Stack gap="md" maw={420}>
          <FormProblemAlert title="Could not change the password" error={change.error} problem={split} />
          <PasswordInput
            {...form.getInputProps('currentPassword')}
            label="Current password"
            autoComplete="current-password"
            visibilityToggleButtonProps={{ 'aria-label': 'Show current password' }}
            visibilityToggleFocusable
            required
          />
          <PasswordInput
            {...form.getInputProps('newPassword')}
            label="New password"
            description="At least 8 characters. Your other devices will be signed out."
            autoComplete="new-password"
            visibilityToggleButtonProps={{ 'aria-label': 'Show new password' }}
            visibilityToggleFocusable
            required
          />
          <div>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </div>
        </Stack>
      </form>
    </SettingsSection>
  );
}
