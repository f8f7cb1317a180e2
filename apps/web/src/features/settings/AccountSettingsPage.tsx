import { Button, List, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';

import { paths } from '../../app/paths';
import { FormProblemAlert } from '../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../components/ui/notify';
import {
  type FieldErrors,
  looksLikeEmail,
  showApiErrors,
  splitApiError,
  submitWith,
  useAppForm,
} from '../../lib/forms';
import { session } from '../../lib/session';
import { reloadUser, useAuth } from '../auth';
import { changeUsername, deleteAccount, requestEmailChange } from './api/account.api';
import { DataExportSection } from './components/DataExportSection';
import { SettingsSection } from './components/SettingsSection';

type Field = 'password';
const API_FIELDS: Record<string, Field> = { password: 'password' };

export function AccountSettingsPage() {
  return (
    <Stack gap="xl">
      <title>Account settings · Atrium</title>
      <div>
        <Title order={1}>Account</Title>
        <Text mt={4}>Manage your Atrium account as a whole.</Text>
      </div>
      <ChangeEmailSection />
      <ChangeUsernameSection />
      {/* The "export ready" mail links here: /settings/account?export=<id>. */}
      <DataExportSection />
      <DeleteAccountSection />
    </Stack>
  );
}

type EmailField = 'email' | 'password';
const EMAIL_API_FIELDS: Record<string, EmailField> = { email: 'email', password: 'password' };

function validateEmailChange({ email, password }: Record<EmailField, string>): FieldErrors<EmailField> {
  return {
    email: !email.trim()
      ? 'Enter the new email address.'
      : looksLikeEmail(email)
        ? undefined
        : 'Enter an email address like ada@example.com.',
    password: password ? undefined : 'Enter your password.',
  };
}

/** A link goes to the new address; nothing changes until it is followed. */
function ChangeEmailSection() {
  const { user } = useAuth();
  const form = useAppForm<Record<EmailField, string>>('change-email', {
    initialValues: { email: '', password: '' },
    validate: validateEmailChange,
  });
  const change = useMutation({
    mutationFn: ({ email, password }: Record<EmailField, string>) => requestEmailChange(email, password),
    onSuccess: () => form.setFieldValue('password', ''),
    onError: (error) => showApiErrors(form, error, EMAIL_API_FIELDS),
  });
  const onSubmit = submitWith(form, ({ email, password }) => {
    if (change.isPending) return;
    change.mutate({ email: email.trim(), password });
  });
  const split = change.isError ? splitApiError(change.error, EMAIL_API_FIELDS) : undefined;

  return (
    <SettingsSection title="Email address">
      <Stack gap="md" maw={520}>
        <Text size="sm">
          Your account uses <strong>{user?.email}</strong>. To move it to another address, we mail a link there; nothing
          changes until you follow it (within 24 hours). Your current address is told as well.
        </Text>
        {change.isSuccess ? (
          <Text role="status" fw={500}>
            Check your new inbox: we sent a link to {change.variables.email} to confirm the change.
          </Text>
        ) : null}
        <form onSubmit={onSubmit} noValidate aria-label="Change email address">
          <Stack gap="md">
            <FormProblemAlert title="Could not ask for the change" error={change.error} problem={split} />
            <TextInput
              {...form.getInputProps('email')}
              label="New email address"
              type="email"
              autoComplete="email"
              inputMode="email"
              required
            />
            <PasswordInput
              {...form.getInputProps('password')}
              label="Current password"
              autoComplete="current-password"
              visibilityToggleButtonProps={{ 'aria-label': 'Show password' }}
              visibilityToggleFocusable
              required
            />
            <div>
              <Button type="submit" loading={change.isPending}>
                Send confirmation link
              </Button>
            </div>
          </Stack>
        </form>
      </Stack>
    </SettingsSection>
  );
}

type UsernameField = 'username';
const USERNAME_API_FIELDS: Record<string, UsernameField> = { username: 'username' };
const USERNAME_PATTERN = /^[a-zA-Z0-9_.-]{3,64}$/;

/** The sign-up rule; the old name stays reserved for this account for 30 days. */
function ChangeUsernameSection() {
  const { user } = useAuth();
  const form = useAppForm<Record<UsernameField, string>>('change-username', {
    initialValues: { username: '' },
    validate: ({ username }) => ({
      username: !username.trim()
        ? 'Choose a username.'
        : USERNAME_PATTERN.test(username.trim())
          ? undefined
          : 'Use 3 to 64 letters, digits, “_”, “.” or “-”, without spaces.',
    }),
  });
  const change = useMutation({
    mutationFn: changeUsername,
    onSuccess: async (updated) => {
      form.reset();
      await reloadUser().catch(() => undefined);
      notifySuccess(`Your username is now ${updated.username}.`);
    },
    onError: (error) => showApiErrors(form, error, USERNAME_API_FIELDS),
  });
  const onSubmit = submitWith(form, ({ username }) => {
    if (change.isPending) return;
    change.mutate(username.trim());
  });
  const split = change.isError ? splitApiError(change.error, USERNAME_API_FIELDS) : undefined;

  return (
    <SettingsSection title="Username">
      <Stack gap="md" maw={520}>
        <Text size="sm">
          Your username is <strong>{user?.username}</strong>. After a change, your profile moves to the new name and the
          old one stays reserved for you for 30 days: nobody else can take it, and you can take it back.
        </Text>
        <form onSubmit={onSubmit} noValidate aria-label="Change username">
          <Stack gap="md">
            <FormProblemAlert title="Could not change the username" error={change.error} problem={split} />
            <TextInput
              {...form.getInputProps('username')}
              label="New username"
              description="3 to 64 letters, digits, “_”, “.” or “-”."
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
            />
            <div>
              <Button type="submit" loading={change.isPending}>
                Change username
              </Button>
            </div>
          </Stack>
        </form>
      </Stack>
    </SettingsSection>
  );
}

function DeleteAccountSection() {
  const navigate = useNavigate();
  const form = useAppForm<Record<Field, string>>('delete-account', {
    initialValues: { password: '' },
    validate: ({ password }) => ({ password: password ? undefined : 'Enter your password.' }),
  });
  // Signed out locally only once the settings are gone: while they show, being signed out means
  // "sign in again" (RequireAuth), and the route change is a transition the sign-out would overtake.
  const deleted = useRef(false);
  useEffect(
    () => () => {
      if (deleted.current) session.signedOut();
    },
    [],
  );
  const remove = useMutation({
    mutationFn: deleteAccount,
    onSuccess: () => {
      // The API already ended every session; only this tab still has to forget it.
      deleted.current = true;
      notifySuccess('Your account was deleted. You have been signed out.');
      void navigate(paths.home, { replace: true });
    },
    onError: (error) => showApiErrors(form, error, API_FIELDS),
  });

  const onSubmit = submitWith(form, ({ password }) => {
    if (remove.isPending) return;
    remove.mutate(password);
  });

  const split = remove.isError ? splitApiError(remove.error, API_FIELDS) : undefined;

  return (
    <SettingsSection title="Delete account">
      <Stack gap="md" maw={520}>
        <Text size="sm">Deleting your account cannot be undone from here. When you delete it:</Text>
        <List size="sm" spacing={4}>
          <List.Item>you are signed out on every device at once;</List.Item>
          <List.Item>every personal access token stops working;</List.Item>
          <List.Item>your profile is no longer shown to anyone;</List.Item>
          <List.Item>your email address and username can be used for a new account after 30 days.</List.Item>
        </List>
        <form onSubmit={onSubmit} noValidate aria-label="Delete account">
          <Stack gap="md">
            <FormProblemAlert title="Could not delete the account" error={remove.error} problem={split} />
            <PasswordInput
              {...form.getInputProps('password')}
              label="Password"
              description="Enter your password to confirm that you want to delete your account."
              autoComplete="current-password"
              visibilityToggleButtonProps={{ 'aria-label': 'Show password' }}
              visibilityToggleFocusable
              required
            />
            <div>
              {/* red.9: white on red.8 is just under 4.5:1. */}
              <Button type="submit" color="red.9" loading={remove.isPending}>
                Delete my account
              </Button>
            </div>
          </Stack>
        </form>
      </Stack>
    </SettingsSection>
  );
}
