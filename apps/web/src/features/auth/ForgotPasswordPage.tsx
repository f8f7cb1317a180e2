import { Anchor, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router';

import { paths } from '../../app/paths';
import { FocusHeading } from '../../components/ui/FocusHeading';
import { FormProblemAlert } from '../../components/ui/FormErrorAlert';
import { looksLikeEmail, showApiErrors, splitApiError, submitWith, useAppForm } from '../../lib/forms';
import { requestPasswordReset } from './api/auth.api';
import { AuthPageFrame } from './components/AuthPageFrame';

type Field = 'email';
const API_FIELDS: Record<string, Field> = { email: 'email' };

export function ForgotPasswordPage() {
  const form = useAppForm<Record<Field, string>>('forgot-password', {
    initialValues: { email: '' },
    validate: ({ email }) => ({
      email: !email.trim()
        ? 'Enter the email address of your account.'
        : looksLikeEmail(email)
          ? undefined
          : 'Enter an email address like ada@example.com.',
    }),
  });
  const request = useMutation({
    mutationFn: requestPasswordReset,
    onError: (error) => showApiErrors(form, error, API_FIELDS),
  });

  if (request.isSuccess) {
    return (
      <AuthPageFrame documentTitle="Check your inbox">
        <FocusHeading order={1}>Check your inbox</FocusHeading>
        <Text>
          If an account uses <strong>{request.variables}</strong>, a link to choose a new password is on its way. It
          works once, for one hour.
        </Text>
        <Text size="sm" c="dimmed">
          Nothing after a few minutes? Look in your spam folder, or check the address and ask again.
        </Text>
        <Anchor component={Link} to={paths.signIn}>
          Back to sign in
        </Anchor>
      </AuthPageFrame>
    );
  }

  const onSubmit = submitWith(form, ({ email }) => {
    if (request.isPending) return;
    request.mutate(email.trim());
  });

  const split = request.isError ? splitApiError(request.error, API_FIELDS) : undefined;

  return (
    <AuthPageFrame documentTitle="Forgot your password?">
      <div>
        <Title order={1}>Forgot your password?</Title>
        <Text mt={4}>Enter the email address of your account and we will mail you a link to choose a new one.</Text>
      </div>
      <FormProblemAlert title="Could not send the link" error={request.error} problem={split} />
      <form onSubmit={onSubmit} noValidate aria-label="Forgot password">
        <Stack gap="md">
          <TextInput
            {...form.getInputProps('email')}
            label="Email"
            type="email"
            autoComplete="email"
            inputMode="email"
            required
          />
          <Button type="submit" loading={request.isPending}>
            Send reset link
          </Button>
          <Anchor component={Link} to={paths.signIn} size="sm">
            Back to sign in
          </Anchor>
        </Stack>
      </form>
    </AuthPageFrame>
  );
}
