import {
  Anchor,
  Button,
  Checkbox,
  Code,
  Group,
  PasswordInput,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';

import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import { FocusHeading } from '../../components/ui/FocusHeading';
import { FormErrorAlert, FormProblemAlert } from '../../components/ui/FormErrorAlert';
import { StatusBadge } from '../../components/ui/StatusBadge';
import { showApiErrors, splitApiError, submitWith, useAppForm } from '../../lib/forms';
import { useMe } from '../auth';
import { disableTwoFactor, enableTwoFactor, setupTwoFactor, type TwoFactorSetup } from './api/account.api';
import { useTwoFactorChanged } from './api/settings.queries';
import { CopyValueButton } from './components/CopyValueButton';
import { SettingsSection } from './components/SettingsSection';

/**
 * The QR code and its encoder load only once a setup has started. Should the chunk fail to load
 * (a deploy replaced it), the key below still does the job.
 */
const TwoFactorQrCode = lazy(() =>
  import('./components/TwoFactorQrCode').catch(() => ({
    default: () => (
      <Text size="sm" c="dimmed">
        The QR code could not be shown. Enter the key below instead.
      </Text>
    ),
  })),
);

/** A base32 key in groups of four (`JBSW Y3DP …`), easier to read and type; apps ignore the spaces. */
const groupedKey = (secret: string) => secret.replace(/\s/g, '').replace(/(.{4})(?=.)/g, '$1 ');

export function SecuritySettingsPage() {
  return (
    <Stack gap="xl">
      <title>Security settings · Atrium</title>
      <div>
        <Title order={1}>Security</Title>
        <Text mt={4}>Protect your account with a second step at sign-in.</Text>
      </div>
      <SettingsSection title="Two-factor authentication">
        <TwoFactor />
      </SettingsSection>
    </Stack>
  );
}

function TwoFactor() {
  const me = useMe();
  const twoFactorChanged = useTwoFactorChanged();
  // Shown once, right after turning it on: they take precedence over the "on" view until confirmed.
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const [turnedOff, setTurnedOff] = useState(false);

  if (me.isPending) {
    return (
      <>
        <VisuallyHidden>Loading your security settings…</VisuallyHidden>
        <Skeleton height={72} radius="md" aria-hidden="true" />
      </>
    );
  }
  if (me.isError) {
    return (
      <ApiErrorAlert
        title="Could not load your security settings"
        error={me.error}
        onRetry={() => void me.refetch()}
        retrying={me.isFetching}
      />
    );
  }
  if (recoveryCodes) return <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(undefined)} />;
  if (me.data.twoFactorEnabled) {
    return (
      <TwoFactorOn
        onTurnedOff={() => {
          setTurnedOff(true);
          twoFactorChanged(false);
        }}
      />
    );
  }
  return (
    <TwoFactorOff
      turnedOff={turnedOff}
      onEnabled={(codes) => {
        setTurnedOff(false);
        setRecoveryCodes(codes);
        twoFactorChanged(true);
      }}
    />
  );
}

function TwoFactorOff({ turnedOff, onEnabled }: { turnedOff: boolean; onEnabled: (codes: string[]) => void }) {
  const setup = useMutation({ mutationFn: setupTwoFactor });

  if (setup.data) return <ConfirmSetup setup={setup.data} onEnabled={onEnabled} />;

  return (
    <Stack gap="md" align="flex-start">
      <Text size="sm" role="status">
        {turnedOff ? 'Two-factor authentication is off.' : ''}
      </Text>
      <StatusBadge tone="neutral" label="Off" />
      <Text size="sm">
        With two-factor authentication, signing in asks for a code from an authenticator app on your phone as well as
        your password.
      </Text>
      {setup.isError ? <FormErrorAlert title="Could not start the setup" error={setup.error} focusOnShow /> : null}
      <Button onClick={() => setup.mutate()} loading={setup.isPending}>
        Set up
      </Button>
    </Stack>
  );
}

type CodeField = 'code';
const CODE_API_FIELDS: Record<string, CodeField> = { code: 'code' };

const QR_SIZE = 184;

function ConfirmSetup({ setup, onEnabled }: { setup: TwoFactorSetup; onEnabled: (codes: string[]) => void }) {
  const form = useAppForm<Record<CodeField, string>>('confirm-two-factor', {
    initialValues: { code: '' },
    validate: ({ code }) => ({
      code: /^\d{6}$/.test(code.replace(/\s/g, ''))
        ? undefined
        : 'Enter the 6-digit code shown in your authenticator app.',
    }),
  });
  const enable = useMutation({
    mutationFn: enableTwoFactor,
    onSuccess: onEnabled,
    onError: (error) => showApiErrors(form, error, CODE_API_FIELDS),
  });

  const onSubmit = submitWith(form, ({ code }) => {
    if (enable.isPending) return;
    enable.mutate(code.replace(/\s/g, ''));
  });

  const split = enable.isError ? splitApiError(enable.error, CODE_API_FIELDS) : undefined;

  return (
    <Stack gap="md">
      <FocusHeading order={3} size="h4">
        Add Atrium to your authenticator app
      </FocusHeading>
      <Text size="sm">
        Scan this QR code with your authenticator app (such as Aegis, Google Authenticator or 1Password):
      </Text>
      <Suspense
        fallback={
          <>
            <VisuallyHidden>Loading the QR code…</VisuallyHidden>
            <Skeleton width={QR_SIZE} height={QR_SIZE} radius="sm" aria-hidden="true" />
          </>
        }
      >
        <TwoFactorQrCode uri={setup.otpauthUri} size={QR_SIZE} />
      </Suspense>
      <Text size="sm">Cannot scan it? Enter this key in the app instead, choosing a time-based code:</Text>
      <Group gap="sm" wrap="wrap">
        <Text size="sm" fw={600} component="span">
          Key:
        </Text>
        <Code fz="md" ff="monospace" style={{ wordSpacing: '0.25em' }}>
          {groupedKey(setup.secret)}
        </Code>
        {/* The key as the API gave it, without the spaces. */}
        <CopyValueButton value={setup.secret} label="Copy key" />
      </Group>
      <Text size="sm">
        On a phone with the app installed you can also{' '}
        <Anchor href={setup.otpauthUri}>open the setup in the authenticator app</Anchor>.
      </Text>
      <form onSubmit={onSubmit} noValidate aria-label="Confirm two-factor authentication">
        <Stack gap="md" maw={320}>
          <FormProblemAlert title="Could not turn on two-factor authentication" error={enable.error} problem={split} />
          <TextInput
            {...form.getInputProps('code')}
            label="6-digit code"
            description="The code your app shows now for Atrium."
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={7}
            spellCheck={false}
            required
          />
          <div>
            <Button type="submit" loading={enable.isPending}>
              Turn on
            </Button>
          </div>
        </Stack>
      </form>
    </Stack>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const form = useAppForm<{ saved: boolean }>('recovery-codes', {
    initialValues: { saved: false },
    validate: ({ saved }) => ({ saved: saved ? undefined : 'Confirm that you saved the recovery codes.' }),
  });
  const all = codes.join('\n');
  // The checkbox is right above the button: the message appears there without moving focus.
  const onSubmit = form.onSubmit(() => onDone());

  return (
    <Stack gap="md">
      <FocusHeading order={3} size="h4">
        Two-factor authentication is on. Save your recovery codes
      </FocusHeading>
      <Text size="sm">
        If you lose your phone, each of these codes signs you in once instead of a code from the app. Keep them
        somewhere safe, such as a password manager. They are shown only now.
      </Text>
      <Code block ff="monospace">
        {all}
      </Code>
      <div>
        <CopyValueButton value={all} label="Copy codes" />
      </div>
      <form onSubmit={onSubmit} noValidate aria-label="Recovery codes saved">
        <Stack gap="md" align="flex-start">
          <Checkbox {...form.getInputProps('saved', { type: 'checkbox' })} label="I have saved these codes" />
          <Button type="submit">Done</Button>
        </Stack>
      </form>
    </Stack>
  );
}

type DisableField = 'password' | 'code';
const DISABLE_API_FIELDS: Record<string, DisableField> = { password: 'password', code: 'code' };

function TwoFactorOn({ onTurnedOff }: { onTurnedOff: () => void }) {
  const [asking, setAsking] = useState(false);
  const form = useAppForm<Record<DisableField, string>>('disable-two-factor', {
    initialValues: { password: '', code: '' },
    validate: ({ password, code }) => ({
      password: password ? undefined : 'Enter your password.',
      code: code.trim() ? undefined : 'Enter a code from your authenticator app, or a recovery code.',
    }),
  });
  const disable = useMutation({
    mutationFn: ({ password, code }: Record<DisableField, string>) => disableTwoFactor(password, code),
    onSuccess: onTurnedOff,
    onError: (error) => showApiErrors(form, error, DISABLE_API_FIELDS),
  });

  const onSubmit = submitWith(form, ({ password, code }) => {
    if (disable.isPending) return;
    disable.mutate({ password, code: code.trim() });
  });

  const split = disable.isError ? splitApiError(disable.error, DISABLE_API_FIELDS) : undefined;

  return (
    <Stack gap="md" align="flex-start">
      <StatusBadge tone="positive" label="On" />
      <Text size="sm">Signing in asks for a code from your authenticator app, or one of your recovery codes.</Text>
      {asking ? (
        <form onSubmit={onSubmit} noValidate aria-label="Turn off two-factor authentication">
          <Stack gap="md" w={{ base: '100%', xs: 360 }}>
            <FormProblemAlert
              title="Could not turn off two-factor authentication"
              error={disable.error}
              problem={split}
            />
            <PasswordInput
              {...form.getInputProps('password')}
              label="Password"
              autoComplete="current-password"
              visibilityToggleButtonProps={{ 'aria-label': 'Show password' }}
              visibilityToggleFocusable
              // It appears because the person asked to turn it off: they continue right here.
              autoFocus
              required
            />
            <TextInput
              {...form.getInputProps('code')}
              label="Authentication code"
              description="The 6-digit code from your authenticator app, or one of your recovery codes."
              autoComplete="one-time-code"
              autoCapitalize="none"
              spellCheck={false}
              required
            />
            <Group gap="sm">
              <Button type="submit" color="red.9" loading={disable.isPending}>
                Turn off
              </Button>
              <Button
                variant="default"
                onClick={() => {
                  setAsking(false);
                  form.reset();
                  disable.reset();
                }}
              >
                Cancel
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Button variant="outline" color="red.9" onClick={() => setAsking(true)}>
          Turn off
        </Button>
      )}
    </Stack>
  );
}
