import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Fieldset,
  Group,
  Modal,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useId, useState } from 'react';

import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import { FocusHeading } from '../../components/ui/FocusHeading';
import { FormErrorAlert } from '../../components/ui/FormErrorAlert';
import { AlertIcon } from '../../components/ui/icons';
import { notifySuccess } from '../../components/ui/notify';
import { showApiErrors, splitApiError, submitWith, useAppForm } from '../../lib/forms';
import { ResendVerificationButton, useAuth, useMe, usePermissions } from '../auth';
import { type ApiToken, type CreatedApiToken, isEmailNotVerified, type TokenScope } from './api/account.api';
import { useCreateToken, useRevokeToken, useTokens } from './api/settings.queries';
import { CopyValueButton } from './components/CopyValueButton';
import { SettingsSection } from './components/SettingsSection';
import { allScopes, grantableScopeGroups, readOnlyScopes, type ScopeGroup } from './scopes';
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
  const [confirming, setConfirming] = useState<ApiToken>();

  const onRevoke = (token: ApiToken) => {
    revoke.mutate(token.id, {
      onSuccess: () => {
        setConfirming(undefined);
        notifySuccess(`Token ${token.name} revoked.`);
      },
    });
  };

  return (
    <SettingsSection title="Your tokens">
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

type NewTokenValues = {
  name: string;
  /** yyyy-mm-dd, or empty for "never". */
  expiresOn: string;
  scopes: string[];
};
const API_FIELDS: Record<string, keyof NewTokenValues> = { name: 'name', expiresAt: 'expiresOn', scopes: 'scopes' };

/** yyyy-mm-dd of a day, in local time (what a date input shows). */
const dayOf = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const me = useMe();
  const { can } = usePermissions();
  const create = useCreateToken();
  // The earliest expiry a person can pick; fixed for the life of the form.
  const [tomorrow] = useState(() => dayOf(new Date(Date.now() + 24 * 60 * 60 * 1000)));
  const form = useAppForm<NewTokenValues>('new-token', {
    initialValues: { name: '', expiresOn: '', scopes: [] },
    validate: ({ name, expiresOn, scopes }) => ({
      name: !name.trim()
        ? 'Enter a name, such as the program that will use the token.'
        : name.trim().length > NAME_MAX_LENGTH
          ? `Use at most ${NAME_MAX_LENGTH} characters.`
          : undefined,
      expiresOn: expiresOn && expiresOn < tomorrow ? 'Choose a day after today.' : undefined,
      scopes: scopes.length === 0 ? 'Choose at least one scope.' : undefined,
    }),
  });

  const onSubmit = submitWith(form, ({ name, expiresOn, scopes }) => {
    if (create.isPending) return;
    create.mutate(
      {
        name: name.trim(),
        scopes: scopes as TokenScope[],
        // The end of the chosen day, in the person's own time zone.
        ...(expiresOn ? { expiresAt: new Date(`${expiresOn}T23:59:59`).toISOString() } : {}),
      },
      {
        onSuccess: (token) => {
          form.reset();
          onCreated(token);
        },
        onError: (error) => showApiErrors(form, error, API_FIELDS),
      },
    );
  });

  const split = create.isError ? splitApiError(create.error, API_FIELDS) : undefined;
  // A token can be given only permissions its owner holds (without conditions), of features that exist.
  const groups = grantableScopeGroups(can);
  const choose = (scopes: string[]) => form.setFieldValue('scopes', scopes);

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
            {...form.getInputProps('name')}
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
              {...form.getInputProps('scopes')}
              // The group is not an input: each checkbox says what it is; the message is tied to the group.
              aria-invalid={undefined}
              label="Scopes"
              description="What the token may do. You can only give it permissions you have yourself."
              withAsterisk
            >
              {groups.length === 0 ? (
                <Text size="sm" mt="xs">
                  You have no permissions to give a token.
                </Text>
              ) : (
                <Stack gap="md" mt="xs">
                  <Group gap="xs">
                    <Text size="sm" component="span">
                      Quick choices:
                    </Text>
                    <Button
                      type="button"
                      variant="default"
                      size="compact-sm"
                      onClick={() => choose(readOnlyScopes(groups))}
                      disabled={readOnlyScopes(groups).length === 0}
                    >
                      Read-only
                    </Button>
                    <Button type="button" variant="default" size="compact-sm" onClick={() => choose(allScopes(groups))}>
                      Everything I hold
                    </Button>
                  </Group>
                  {groups.map((group) => (
                    <ScopeGroupFieldset key={group.resource} group={group} />
                  ))}
                </Stack>
              )}
            </Checkbox.Group>
          )}
          <TextInput
            {...form.getInputProps('expiresOn')}
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

/** One resource's scopes: a group named by the resource, each scope with what it allows. */
function ScopeGroupFieldset({ group }: { group: ScopeGroup }) {
  const descriptionId = useId();
  return (
    <Fieldset
      variant="unstyled"
      legend={
        <Text fw={600} size="sm" component="span">
          {group.label}
        </Text>
      }
      aria-describedby={descriptionId}
    >
      <Text size="xs" c="dimmed" id={descriptionId} mb={6}>
        {group.description}
      </Text>
      <Stack gap={8}>
        {group.scopes.map(({ scope, description }) => (
          <Checkbox
            key={scope}
            value={scope}
            label={
              <Text span size="sm" ff="monospace">
                {scope}
              </Text>
            }
            description={description}
          />
        ))}
      </Stack>
    </Fieldset>
  );
}
