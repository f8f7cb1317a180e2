import { Anchor, Button, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';

import { paths } from '../../app/paths';
import { FocusHeading } from '../../components/ui/FocusHeading';
import { FormErrorAlert } from '../../components/ui/FormErrorAlert';
import { passwordLengthProblem, showApiErrors, splitApiError, submitWith, useAppForm } from '../../lib/forms';
import { resetPassword } from './api/auth.api';
import { AuthPageFrame } from './components/AuthPageFrame';
import { emailLinkToken } from './emailLinkToken';

type Field = 'password';
const API_FIELDS: Record<string, Field> = { password: 'password' };

/** Opened from the link in the reset mail (`/reset-password?token=…`). */
export function ResetPasswordPage() {
  const [searchParams] = useSearchParams();
  const token = emailLinkToken(searchParams);
  const form = useAppForm<Record<Field, string>>('reset-password', {
    initialValues: { password: '' },
    validate: ({ password }) => ({ password: passwordLengthProblem(password) }),
  });
  const reset = useMutation({
    mutationFn: (password: string) => resetPassword(token ?? '', password),
    onError: (error) => showApiErrors(form, error, API_FIELDS),
  });

  // Checked before the form: nobody types a new password into a page whose link cannot work.
  if (!token) {
    return (
      <AuthPageFrame documentTitle="Choose a new password">
        <FocusHeading order={1}>This link is incomplete or damaged</FocusHeading>
        <Text>
          Ask for a new one. If your mail program split the link over two lines, you can also copy all of it into the
          address bar.
        </Text>
        <Button component={Link} to={paths.forgotPassword}>
          Ask for a new reset link
        </Button>
      </AuthPageFrame>
    );
  }

  if (reset.isSuccess) {
    return (
      <AuthPageFrame documentTitle="Password changed">
        <FocusHeading order={1}>Password changed</FocusHeading>
        <Text>
          Sign in with your new password. For your safety, every device that was signed in has been signed out.
        </Text>
        <Button component={Link} to={paths.signIn}>
          Sign in
        </Button>
      </AuthPageFrame>
    );
  }

  const onSubmit = submitWith(form, ({ password }) => {
    if (reset.isPending) return;
    reset.mutate(password);
  });

  const split = reset.isError ? splitApiError(reset.error, API_FIELDS) : undefined;
  // A used or expired link is the usual reason; the way out is a new link.
  const linkProblem = split?.showForm && Object.keys(split.fields).length === 0;

  return (
    <AuthPageFrame documentTitle="Choose a new password">
      <div>
        <Title order={1}>Choose a new password</Title>
        <Text mt={4}>You will be signed out everywhere and can then sign in with it.</Text>
      </div>
      {split?.showForm ? (
        <Stack gap="xs">
          <FormErrorAlert
            title="Could not change the password"
            error={reset.error}
            details={split.unplaced}
            focusOnShow={linkProblem}
          />
          {linkProblem ? (
            <Anchor component={Link} to={paths.forgotPassword} size="sm">
              Ask for a new reset link
            </Anchor>
          ) : null}
        </Stack>
      ) : null}
      <form onSubmit={onSubmit} noValidate aria-label="Choose a new password">
        <Stack gap="md">
          <PasswordInput
            {...form.getInputProps('password')}
            label="New password"
            description="At least 8 characters. A few unrelated words make a strong, memorable password."
            autoComplete="new-password"
            visibilityToggleButtonProps={{ 'aria-label': 'Show password' }}
            visibilityToggleFocusable
            required
          />
          <Button type="submit" loading={reset.isPending}>
            Change password
          </Button>
        </Stack>
      </form>
    </AuthPageFrame>
  );
}
