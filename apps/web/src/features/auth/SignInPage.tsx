import { ErrorCode } from '@atrium/contracts';
import { Anchor, Button, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';

import { paths } from '../../app/paths';
import { FormErrorAlert } from '../../components/ui/FormErrorAlert';
import { ApiError } from '../../lib/api';
import {
  type FieldErrors,
  focusFirstError,
  showApiErrors,
  splitApiError,
  submitWith,
  useAppForm,
} from '../../lib/forms';
import { AuthPageFrame } from './components/AuthPageFrame';
import { safeReturnTo } from './returnTo';
import { useAuth } from './useAuth';

type Field = 'login' | 'password' | 'totpCode';
type Values = Record<Field, string>;
const API_FIELDS: Record<string, Field> = { login: 'login', password: 'password', totpCode: 'totpCode' };

function validate({ login, password, totpCode }: Values, needsCode: boolean): FieldErrors<Field> {
  return {
    login: login.trim() ? undefined : 'Enter your email address or username.',
    password: password ? undefined : 'Enter your password.',
    totpCode: needsCode && !totpCode.trim() ? 'Enter the code from your authenticator app.' : undefined,
  };
}

const isTotpRequired = (error: unknown) => error instanceof ApiError && error.code === ErrorCode.TOTP_REQUIRED;

/** What went wrong, without saying whether the account exists (no account enumeration: docs/API.md, "Accounts and authentication"). */
function signInProblem(error: unknown): { title: string; message?: string } {
  if (!(error instanceof ApiError)) return { title: 'Could not sign you in' };
  switch (error.code) {
    case ErrorCode.UNAUTHENTICATED:
      return { title: 'Could not sign you in', message: 'The email address, username or password is wrong.' };
    case ErrorCode.ACCOUNT_LOCKED: {
      const minutes = error.retryAfterSeconds === undefined ? undefined : Math.ceil(error.retryAfterSeconds / 60);
      return {
        title: 'Account locked for now',
        message:
          minutes === undefined
            ? error.message
            : `Too many failed sign-ins. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}, or reset your password.`,
      };
    }
    case ErrorCode.RATE_LIMITED: {
      const seconds = error.retryAfterSeconds;
      return {
        title: 'Too many attempts',
        message:
          seconds === undefined
            ? 'Too many attempts from this network. Wait a moment and try again.'
            : `Too many attempts from this network. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`,
      };
    }
    default:
      return { title: 'Could not sign you in' };
  }
}

export function SignInPage() {
  const { status, signIn } = useAuth();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const returnTo = safeReturnTo(searchParams.get('returnTo'));
  // The account has two-factor authentication: the API asked for a code with the password.
  const [needsCode, setNeedsCode] = useState(false);
  const form = useAppForm<Values>('sign-in', {
    initialValues: { login: '', password: '', totpCode: '' },
    validate: (values) => validate(values, needsCode),
  });
  const attempt = useMutation({
    mutationFn: ({ login, password, totpCode }: Values) => signIn(login, password, totpCode.trim() || undefined),
    onSuccess: () => navigate(returnTo, { replace: true }),
    onError: (error, { totpCode }) => {
      if (isTotpRequired(error)) {
        setNeedsCode(true);
        // Asked for the first time: the new field takes focus (autoFocus). Refused: say so on it.
        if (totpCode.trim()) {
          const errors = { totpCode: 'That code did not work. Enter the current one, or a recovery code.' };
          form.setErrors(errors);
          focusFirstError(form, errors);
        }
        return;
      }
      showApiErrors(form, error, API_FIELDS);
    },
  });

  // Already signed in (another tab, or the back button): nothing to do here.
  if (status === 'signed-in' && !attempt.isPending) return <Navigate to={returnTo} replace />;

  const onSubmit = submitWith(form, (values) => {
    if (attempt.isPending) return;
    attempt.mutate({ ...values, login: values.login.trim() });
  });

  const split =
    attempt.isError && !isTotpRequired(attempt.error) ? splitApiError(attempt.error, API_FIELDS) : undefined;
  const problem = split?.showForm ? signInProblem(attempt.error) : undefined;

  return (
    <AuthPageFrame documentTitle="Sign in">
      <div>
        <Title order={1}>Sign in</Title>
        <Text mt={4}>
          New to Atrium?{' '}
          <Anchor component={Link} to={paths.signUp}>
            Create an account
          </Anchor>
        </Text>
      </div>
      {problem && split ? (
        <FormErrorAlert
          title={problem.title}
          message={problem.message}
          error={attempt.error}
          details={split.unplaced}
          focusOnShow={Object.keys(split.fields).length === 0}
        />
      ) : null}
      <form onSubmit={onSubmit} noValidate aria-label="Sign in">
        <Stack gap="md">
          <TextInput
            {...form.getInputProps('login')}
            label="Email or username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
          />
          <PasswordInput
            {...form.getInputProps('password')}
            label="Password"
            autoComplete="current-password"
            visibilityToggleButtonProps={{ 'aria-label': 'Show password' }}
            visibilityToggleFocusable
            required
          />
          {needsCode ? (
            <TextInput
              {...form.getInputProps('totpCode')}
              label="Authentication code"
              description="The 6-digit code from your authenticator app, or one of your recovery codes."
              autoComplete="one-time-code"
              autoCapitalize="none"
              spellCheck={false}
              // It appears because the API asked for it: the person continues right here.
              autoFocus
              required
            />
          ) : null}
          <Group justify="space-between" align="center">
            <Anchor component={Link} to={paths.forgotPassword} size="sm">
              Forgot your password?
            </Anchor>
            <Button type="submit" loading={attempt.isPending}>
              Sign in
            </Button>
          </Group>
        </Stack>
      </form>
    </AuthPageFrame>
  );
}
