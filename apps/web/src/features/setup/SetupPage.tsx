import { ErrorCode } from '@atrium/contracts';
import { Anchor, Button, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';

import { paths } from '../../app/paths';
import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import { FormErrorAlert } from '../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../components/ui/notify';
import { PageLoader } from '../../components/ui/PageLoader';
import { ApiError } from '../../lib/api';
import {
  type FieldErrors,
  looksLikeEmail,
  passwordLengthProblem,
  showApiErrors,
  splitApiError,
  submitWith,
  useAppForm,
} from '../../lib/forms';
import { runSetup, type SetupInput, type SetupStatus } from './api/setup.api';
import { setupKeys, useSetupStatus } from './api/setup.queries';

type Field = 'siteName' | 'username' | 'email' | 'password' | 'code';
type Values = Record<Field, string>;
const API_FIELDS: Record<string, Field> = {
  siteName: 'siteName',
  username: 'username',
  email: 'email',
  password: 'password',
  code: 'code',
};

const WRONG_CODE = 'That is not the code from the server log. Copy it from the latest start-up.';

function validate(values: Values, codeRequired: boolean): FieldErrors<Field> {
  return {
    username: /^[a-zA-Z0-9_.-]{3,64}$/.test(values.username.trim())
      ? undefined
      : 'Use 3–64 letters, digits, "_", "." or "-".',
    email: looksLikeEmail(values.email) ? undefined : 'Enter an email address such as you@example.com.',
    password: passwordLengthProblem(values.password),
    code: codeRequired && !values.code.trim() ? 'Enter the setup code from the server log.' : undefined,
  };
}

/** The card the page's states share. */
function SetupFrame({ children }: { children: ReactNode }) {
  return (
    <Stack align="center" py={{ base: 'md', sm: 'xl' }}>
      <title>Set up this site · Atrium</title>
      <Paper withBorder radius="md" p={{ base: 'lg', sm: 'xl' }} w="100%" maw={520}>
        <Stack gap="lg">{children}</Stack>
      </Paper>
    </Stack>
  );
}

/**
 * First-run setup: while the site has no administrator, anyone who can reach it (or, in
 * production, whoever holds the code from the server log) creates the first one here, and is
 * signed in as that admin.
 */
export function SetupPage() {
  const status = useSetupStatus();

  if (status.isPending) return <PageLoader label="Checking whether this site is set up…" />;
  if (status.isError) {
    return (
      <SetupFrame>
        <Title order={1}>Set up this site</Title>
        <ApiErrorAlert
          title="Could not check whether this site is set up"
          error={status.error}
          onRetry={() => void status.refetch()}
          retrying={status.isFetching}
        />
      </SetupFrame>
    );
  }
  if (!status.data.required) return <AlreadySetUp />;
  return <SetupForm status={status.data} />;
}

function AlreadySetUp() {
  return (
    <SetupFrame>
      <Title order={1}>This site is set up</Title>
      <Text>It has an administrator already. Sign in with your account, or ask an administrator for help.</Text>
      <Group>
        <Button component={Link} to={paths.signIn}>
          Sign in
        </Button>
        <Anchor component={Link} to={paths.home}>
          Go to the home page
        </Anchor>
      </Group>
    </SetupFrame>
  );
}

function SetupForm({ status }: { status: SetupStatus }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useAppForm<Values>('setup', {
    initialValues: { siteName: '', username: '', email: '', password: '', code: '' },
    validate: (values) => validate(values, status.codeRequired),
  });

  const setup = useMutation({
    mutationFn: (input: SetupInput) => runSetup(input),
    onSuccess: (user) => {
      // The home page (where the admin lands) reads the site's new name by itself.
      queryClient.setQueryData(setupKeys.status, { ...status, required: false });
      notifySuccess(`Welcome, ${user.username}: you are this site's administrator.`);
      void navigate(paths.home, { replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === ErrorCode.FORBIDDEN) {
        form.setErrors({ code: WRONG_CODE });
        form.getInputNode('code')?.focus();
        return;
      }
      // Someone (another tab, the CLI, ADMIN_EMAIL) made an admin meanwhile.
      if (error instanceof ApiError && error.httpStatus === 409 && error.details.length === 0) {
        void queryClient.invalidateQueries({ queryKey: setupKeys.status });
        return;
      }
      showApiErrors(form, error, API_FIELDS);
    },
  });

  const onSubmit = submitWith(form, (values) => {
    if (setup.isPending) return;
    const siteName = values.siteName.trim();
    setup.mutate({
      username: values.username.trim(),
      email: values.email.trim(),
      password: values.password,
      ...(siteName ? { siteName } : {}),
      ...(status.codeRequired ? { code: values.code.trim() } : {}),
    });
  });

  const refusedCode = setup.error instanceof ApiError && setup.error.code === ErrorCode.FORBIDDEN;
  const split = setup.isError && !refusedCode ? splitApiError(setup.error, API_FIELDS) : undefined;

  return (
    <SetupFrame>
      <div>
        <Title order={1}>Set up this site</Title>
        <Text mt={4}>
          This site has no administrator yet. Create the first account: it can manage users, roles and everything else,
          and you are signed in with it right away.
        </Text>
      </div>
      {split?.showForm ? (
        <FormErrorAlert
          title="Could not set up the site"
          error={setup.error}
          details={split.unplaced}
          focusOnShow={Object.keys(split.fields).length === 0}
        />
      ) : null}
      <form onSubmit={onSubmit} noValidate aria-label="Set up this site">
        <Stack gap="md">
          {status.codeRequired ? (
            <TextInput
              {...form.getInputProps('code')}
              label="Setup code"
              description="The one-time code the server printed in its log at start-up (“No admin account yet: … setup code”)."
              autoComplete="one-time-code"
              autoCapitalize="characters"
              spellCheck={false}
              required
            />
          ) : null}
          <TextInput
            {...form.getInputProps('siteName')}
            label="Site name"
            description="Shown on the home page. You can leave it empty."
            maxLength={100}
          />
          <TextInput
            {...form.getInputProps('username')}
            label="Username"
            description="Public, on your profile page."
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
          />
          <TextInput
            {...form.getInputProps('email')}
            type="email"
            label="Email"
            autoComplete="email"
            spellCheck={false}
            required
          />
          <PasswordInput
            {...form.getInputProps('password')}
            label="Password"
            description="A few unrelated words make a strong one."
            autoComplete="new-password"
            visibilityToggleButtonProps={{ 'aria-label': 'Show password' }}
            visibilityToggleFocusable
            required
          />
          <Group justify="flex-end">
            <Button type="submit" loading={setup.isPending}>
              Create the admin account
            </Button>
          </Group>
        </Stack>
      </form>
    </SetupFrame>
  );
}
