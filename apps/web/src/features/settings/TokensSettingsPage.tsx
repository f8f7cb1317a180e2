import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Modal,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { type FormEvent, useId, useRef, useState } from 'react';

import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import { FocusHeading } from '../../components/ui/FocusHeading';
import { FormErrorAlert } from '../../components/ui/FormErrorAlert';
import { AlertIcon } from '../../components/ui/icons';
import { type FieldErrors, splitApiError, useFormFields } from '../../lib/forms';
import { ResendVerificationButton } from '../auth/components/ResendVerificationButton';
import { useAuth } from '../auth/useAuth';
import { type ApiToken, type CreatedApiToken, isEmailNotVerified, type TokenScope } from './api/account.api';
import { useCreateToken, useMe, useRevokeToken, useTokens } from './api/settings.queries';
import { CopyValueButton } from './components/CopyValueButton';
import { SettingsSection } from './components/SettingsSection';
import { formatSessionTime } from './sessions.format';
import classes from './SessionsSettingsPage.module.css';

const NAME_MAX_LENGTH = 100;

export function TokensSettingsPage() {
  const tokens = useTokens();
  const [created, setCreated] = useState<CreatedApiToken>();

  return (
    <Stack gap="xl">
      <title>Access tokens · Atrium</title>
      <div>
        <Title order={1}>Access tokens</Title>
        <Text mt={4}>
          Personal access tokens let scripts and other programs use the Atrium API as you, with only the permissions you
          choose.
        </Text>
      </div>

      {tokens.isError && isEmailNotVerified(tokens.error) ? (
        <VerifyEmailFirst />
      ) : (
        <>
          {created ? <CreatedToken token={created} onDone={() => setCreated(undefined)} /> : null}
          <TokenList tokens={tokens} />
          <CreateTokenForm onCreated={setCreated} />
        </>
      )}
    </Stack>
  );
}

function VerifyEmailFirst() {
  const { user } = useAuth();
  return (
    <Alert
      color="yellow"
      variant="light"
      title="Confirm your email address first"
      icon={<AlertIcon size={20} />}
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
    >
      <Stack gap="xs">
        <Text size="sm">
          Personal access tokens are available once your email address is confirmed. Open the link we sent to{' '}
          {user ? <strong>{user.email}</strong> : 'your address'}, then come back to this page.
        </Text>
        <div>
          <ResendVerificationButton size="xs" />
        </div>
      </Stack>
    </Alert>
  );
}

function TokenList({ tokens }: { tokens: ReturnType<typeof useTokens> }) {
  const revoke = useRevokeToken();
  const [revoked, setRevoked] = useState<string>();
  const [confirming, setConfirming] = useState<ApiToken>();

  const onRevoke = (token: ApiToken) => {
    setRevoked(undefined);
    revoke.mutate(token.id, {
      onSuccess: () => {
        setConfirming(undefined);
        setRevoked(token.name);
      },
    });
  };

  return (
    <SettingsSection title="Your tokens">
      <Text size="sm" role="status" mb={revoked ? 'sm' : 0}>
        {revoked ? `Token ${revoked} revoked.` : ''}
      </Text>
      {tokens.isPending ? (
        <>
          <VisuallyHidden>Loading tokens…</VisuallyHidden>
          <Skeleton height={56} radius="md" aria-hidden="true" />
        </>
      ) : tokens.isError ? (
        <ApiErrorAlert
          title="Could not load your tokens"
          error={tokens.error}
          onRetry={() => void tokens.refetch()}
          retrying={tokens.isFetching}
        />
      ) : tokens.data.length === 0 ? (
        <Text size="sm">You have no personal access tokens.</Text>
      ) : (
        <ul className={classes.list} aria-label="Tokens">
          {tokens.data.map((token) => (
            <TokenItem key={token.id} token={token} onRevoke={() => setConfirming(token)} />
          ))}
        </ul>
      )}
      <Modal
        opened={confirming !== undefined}
        onClose={() => {
          setConfirming(undefined);
          revoke.reset();
        }}
        title={confirming ? `Revoke ${confirming.name}?` : ''}
        centered
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        <Stack gap="md">
          <Text size="sm">Programs that use this token lose access at once. This cannot be undone.</Text>
          {revoke.isError ? <FormErrorAlert title="Could not revoke the token" error={revoke.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(undefined)}>
              Cancel
            </Button>
            <Button color="red.9" onClick={() => confirming && onRevoke(confirming)} loading={revoke.isPending}>
              Revoke token
            </Button>
          </Group>
        </Stack>
      </Modal>
    </SettingsSection>
  );
}

function TokenItem({ token, onRevoke }: { token: ApiToken; onRevoke: () => void }) {
  const nameId = useId();
  return (
    <li className={classes.item} aria-labelledby={nameId}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <Stack gap={4}>
          <Group gap="xs">
            <Text fw={600} id={nameId}>
              {token.name}
            </Text>
            <Code>atr_pat_{token.prefix}…</Code>
          </Group>
          <Group gap={4} aria-label="Scopes" role="list">
            {token.scopes.map((scope) => (
              <Badge key={scope} role="listitem" variant="light" color="gray" c="var(--mantine-color-text)" tt="none">
                {scope}
              </Badge>
            ))}
          </Group>
          <Text size="sm" c="dimmed">
            Created <time dateTime={token.createdAt}>{formatSessionTime(token.createdAt)}</time> ·{' '}
            {token.expiresAt ? (
              <>
                Expires <time dateTime={token.expiresAt}>{formatSessionTime(token.expiresAt)}</time>
              </>
            ) : (
              'Never expires'
            )}{' '}
            ·{' '}
            {token.lastUsedAt ? (
              <>
                Last used <time dateTime={token.lastUsedAt}>{formatSessionTime(token.lastUsedAt)}</time>
              </>
            ) : (
              'Never used'
            )}
          </Text>
        </Stack>
        <Button variant="default" size="xs" onClick={onRevoke} aria-describedby={nameId}>
          Revoke
        </Button>
      </Group>
    </li>
  );
}

function CreatedToken({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  return (
    <Alert color="green" variant="light" icon={<AlertIcon size={20} />}>
      <Stack gap="sm">
        <FocusHeading order={2} size="h4">
          Token {token.name} created
        </FocusHeading>
        <Text size="sm" fw={600}>
          Copy it now: it is shown only once, and you will not be able to see it again.
        </Text>
        <Group gap="sm" wrap="wrap">
          <Code fz="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {token.token}
          </Code>
          <CopyValueButton value={token.token} label="Copy token" />
        </Group>
        <Text size="sm">
          Send it as <Code>Authorization: Bearer …</Code>
        </Text>
        <div>
          <Button variant="default" size="xs" onClick={onDone}>
            Done
          </Button>
        </div>
      </Stack>
    </Alert>
  );
}

type Field = 'name' | 'expiresOn';
const FIELD_ORDER: readonly Field[] = ['name', 'expiresOn'];
const API_FIELDS: Record<string, Field> = { name: 'name', expiresAt: 'expiresOn' };

/** yyyy-mm-dd of a day, in local time (what a date input shows). */
const dayOf = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const me = useMe();
  const create = useCreateToken();
  const form = useFormFields<Field>({ name: '', expiresOn: '' });
  const [scopes, setScopes] = useState<string[]>([]);
  const [scopesError, setScopesError] = useState<string>();
  const firstScope = useRef<HTMLInputElement>(null);
  // The earliest expiry a person can pick; fixed for the life of the form.
  const [tomorrow] = useState(() => dayOf(new Date(Date.now() + 24 * 60 * 60 * 1000)));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending) return;
    const name = form.values.name.trim();
    const { expiresOn } = form.values;
    const problems: FieldErrors<Field> = {
      name: !name
        ? 'Enter a name, such as the program that will use the token.'
        : name.length > NAME_MAX_LENGTH
          ? `Use at most ${NAME_MAX_LENGTH} characters.`
          : undefined,
      expiresOn: expiresOn && expiresOn < tomorrow ? 'Choose a day after today.' : undefined,
    };
    const scopesProblem = scopes.length === 0 ? 'Choose at least one scope.' : undefined;
    setScopesError(scopesProblem);
    if (form.showErrors(problems, FIELD_ORDER)) return;
    if (scopesProblem) {
      firstScope.current?.focus();
      return;
    }
    create.mutate(
      {
        name,
        scopes: scopes as TokenScope[],
        // The end of the chosen day, in the person's own time zone.
        ...(expiresOn ? { expiresAt: new Date(`${expiresOn}T23:59:59`).toISOString() } : {}),
      },
      {
        onSuccess: (token) => {
          form.reset();
          setScopes([]);
          onCreated(token);
        },
        onError: (error) => form.showErrors(splitApiError(error, API_FIELDS).fields, FIELD_ORDER),
      },
    );
  };

  const split = create.isError ? splitApiError(create.error, API_FIELDS) : undefined;
  const permissions = me.data?.permissions ?? [];

  return (
    <SettingsSection title="New token">
      <form onSubmit={onSubmit} noValidate aria-label="New token">
        <Stack gap="md" maw={520}>
          {split?.showForm ? (
            <FormErrorAlert
              title="Could not create the token"
              message={
                isEmailNotVerified(create.error)
                  ? 'Confirm your email address first: open the link we sent you, then try again.'
                  : undefined
              }
              error={create.error}
              details={split.unplaced}
              focusOnShow={Object.keys(split.fields).length === 0}
            />
          ) : null}
          <TextInput
            {...form.field('name')}
            label="Name"
            description="What the token is for, such as “CI deploy”."
            maxLength={NAME_MAX_LENGTH}
            required
          />
          {me.isPending ? (
            <>
              <VisuallyHidden>Loading your permissions…</VisuallyHidden>
              <Skeleton height={80} radius="md" aria-hidden="true" />
            </>
          ) : me.isError ? (
            <ApiErrorAlert
              title="Could not load your permissions"
              error={me.error}
              onRetry={() => void me.refetch()}
              retrying={me.isFetching}
            />
          ) : (
            <Checkbox.Group
              label="Scopes"
              description="What the token may do. You can only give it permissions you have yourself."
              value={scopes}
              onChange={(value) => {
                setScopes(value);
                setScopesError(undefined);
              }}
              error={scopesError}
              withAsterisk
            >
              <Stack gap={6} mt="xs">
                {permissions.length === 0 ? <Text size="sm">You have no permissions to give a token.</Text> : null}
                {permissions.map((permission, index) => (
                  <Checkbox
                    key={permission}
                    value={permission}
                    label={permission}
                    ref={index === 0 ? firstScope : undefined}
                  />
                ))}
              </Stack>
            </Checkbox.Group>
          )}
          <TextInput
            {...form.field('expiresOn')}
            type="date"
            label="Expires on"
            description="Optional. Without a date the token works until you revoke it."
            min={tomorrow}
          />
          <div>
            <Button type="submit" loading={create.isPending}>
              Create token
            </Button>
          </div>
        </Stack>
      </form>
    </SettingsSection>
  );
}
