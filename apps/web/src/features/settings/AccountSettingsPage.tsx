import { Button, List, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';

import { paths } from '../../app/paths';
import { FormProblemAlert } from '../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../components/ui/notify';
import { showApiErrors, splitApiError, submitWith, useAppForm } from '../../lib/forms';
import { session } from '../../lib/session';
import { deleteAccount } from './api/account.api';
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
      <DeleteAccountSection />
    </Stack>
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
