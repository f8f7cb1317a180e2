import { Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { Link, Navigate } from 'react-router';

import { paths } from '../../app/paths';
import { FocusHeading } from '../../components/ui/FocusHeading';
import { FormProblemAlert } from '../../components/ui/FormErrorAlert';
import {
  type FieldErrors,
  looksLikeEmail,
  passwordLengthProblem,
  showApiErrors,
  splitApiError,
  submitWith,
  useAppForm,
} from '../../lib/forms';
import { signUp } from './api/auth.api';
import { AuthPageFrame } from './components/AuthPageFrame';
import { useAuth } from './useAuth';

type Field = 'email' | 'username' | 'password';
const API_FIELDS: Record<string, Field> = { email: 'email', username: 'username', password: 'password' };
const USERNAME_PATTERN = /^[a-zA-Z0-9_.-]{3,64}$/;

function validate({ email, username, password }: Record<Field, string>): FieldErrors<Field> {
  return {
    email: !email.trim()
      ? 'Enter your email address.'
      : looksLikeEmail(email)
        ? undefined
        : 'Enter an email address like ada@example.com.',
    username: !username.trim()
      ? 'Choose a username.'
      : USERNAME_PATTERN.test(username.trim())
        ? undefined
        : 'Use 3 to 64 letters, digits, “_”, “.” or “-”, without spaces.',
    password: passwordLengthProblem(password),
  };
}

export function SignUpPage() {
  const { status } = useAuth();
  const form = useAppForm<Record<Field, string>>('sign-up', {
    initialValues: { email: '', username: '', password: '' },
    validate,
  });
  const register = useMutation({
    mutationFn: signUp,
    onError: (error) => showApiErrors(form, error, API_FIELDS),
  });

  if (status === 'signed-in' && !register.isSuccess) return <Navigate to={paths.home} replace />;

  if (register.isSuccess) {
    return (
      <AuthPageFrame documentTitle="Check your inbox">
        <FocusHeading order={1}>Check your inbox</FocusHeading>
        <Text>
          We sent a link to <strong>{register.data.email}</strong>. Open it to confirm your email address, then sign in
          as <strong>{register.data.username}</strong>.
        </Text>
        <Text size="sm" c="dimmed">
          No mail after a few minutes? Look in your spam folder, or sign in and ask for a new one.
        </Text>
        <Button component={Link} to={paths.signIn}>
          Go to sign in
        </Button>
      </AuthPageFrame>
    );
  }

  const onSubmit = submitWith(form, ({ email, username, password }) => {
    if (register.isPending) return;
    register.mutate({ email: email.trim(), username: username.trim(), password });
  });

  const formProblem = register.isError ? splitApiError(register.error, API_FIELDS) : undefined;

  return (
    <AuthPageFrame documentTitle="Sign up">
      <div>
        <Title order={1}>Create your account</Title>
        <Text mt={4}>
          Already have one?{' '}
          <Anchor component={Link} to={paths.signIn}>
            Sign in
          </Anchor>
        </Text>
      </div>
      <FormProblemAlert title="Could not create the account" error={register.error} problem={formProblem} />
      <form onSubmit={onSubmit} noValidate aria-label="Sign up">
        <Stack gap="md">
          <TextInput
            {...form.getInputProps('email')}
            label="Email"
            type="email"
            autoComplete="email"
            inputMode="email"
            required
          />
          <TextInput
            {...form.getInputProps('username')}
            label="Username"
            description="Shown with what you write. 3 to 64 letters, digits, “_”, “.” or “-”."
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
          />
          <PasswordInput
            {...form.getInputProps('password')}
            label="Password"
            description="At least 8 characters. A few unrelated words make a strong, memorable password."
            autoComplete="new-password"
            visibilityToggleButtonProps={{ 'aria-label': 'Show password' }}
            visibilityToggleFocusable
            required
          />
          <Button type="submit" loading={register.isPending}>
            Create account
          </Button>
        </Stack>
      </form>
    </AuthPageFrame>
  );
}
