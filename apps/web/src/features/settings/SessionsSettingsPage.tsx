import { Badge, Button, Card, Group, Modal, Skeleton, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { useId } from 'react';
import { useNavigate } from 'react-router';

import { paths } from '../../app/paths';
import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import { FormErrorAlert } from '../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../components/ui/notify';
import { signOutEverywhere } from '../auth';
import type { SignedInSession } from './api/settings.api';
import { useEndSession, useSessions } from './api/settings.queries';
import { describeDevice, formatSessionTime } from './sessions.format';
import classes from './SessionsSettingsPage.module.css';

export function SessionsSettingsPage() {
  const sessions = useSessions();
  const endSession = useEndSession();

  const onEnd = (session: SignedInSession) => {
    endSession.mutate(session.id, {
      onSuccess: () => notifySuccess(`Session on ${describeDevice(session.userAgent)} ended.`),
    });
  };

  return (
    <Stack gap="xl">
      <title>Sessions · Atrium</title>
      <div>
        <Title order={1}>Sessions</Title>
        <Text mt={4}>
          The devices signed in to your account. End any you do not recognise, then change your password.
        </Text>
      </div>

      <Card
        component="section"
        withBorder
        radius="md"
        padding="lg"
        aria-labelledby="sessions-heading"
        aria-busy={sessions.isPending}
      >
        <Title order={2} size="h3" id="sessions-heading" mb="md">
          Signed-in devices
        </Title>
        {endSession.isError ? <FormErrorAlert title="Could not end the session" error={endSession.error} /> : null}
        {sessions.isPending ? (
          <>
            <VisuallyHidden>Loading sessions…</VisuallyHidden>
            <Stack gap="sm" aria-hidden="true">
              <Skeleton height={56} radius="md" />
              <Skeleton height={56} radius="md" />
            </Stack>
          </>
        ) : sessions.isError ? (
          <ApiErrorAlert
            title="Could not load your sessions"
            error={sessions.error}
            onRetry={() => void sessions.refetch()}
            retrying={sessions.isFetching}
          />
        ) : (
          <ul className={classes.list} aria-label="Sessions">
            {sessions.data.map((session) => (
              <SessionItem
                key={session.id}
                session={session}
                onEnd={() => onEnd(session)}
                ending={endSession.isPending && endSession.variables === session.id}
              />
            ))}
          </ul>
        )}
      </Card>

      <SignOutEverywhere />
    </Stack>
  );
}

function SessionItem({ session, onEnd, ending }: { session: SignedInSession; onEnd: () => void; ending: boolean }) {
  const nameId = useId();
  const device = describeDevice(session.userAgent);
  return (
    <li className={classes.item} aria-labelledby={nameId}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <div>
          <Group gap="xs">
            <Text fw={600} id={nameId}>
              {device}
            </Text>
            {session.current ? (
              <Badge variant="light" color="green" c="var(--mantine-color-text)">
                This device
              </Badge>
            ) : null}
          </Group>
          <Text size="sm" c="dimmed">
            {session.ip ? `${session.ip} · ` : ''}Signed in{' '}
            <time dateTime={session.createdAt}>{formatSessionTime(session.createdAt)}</time> · Last active{' '}
            <time dateTime={session.lastUsedAt}>{formatSessionTime(session.lastUsedAt)}</time>
          </Text>
        </div>
        {session.current ? null : (
          <Button variant="default" size="xs" onClick={onEnd} loading={ending} aria-describedby={nameId}>
            End session
          </Button>
        )}
      </Group>
    </li>
  );
}

function SignOutEverywhere() {
  const [opened, { open, close }] = useDisclosure(false);
  const navigate = useNavigate();
  const signOutAll = useMutation({
    mutationFn: signOutEverywhere,
    onSuccess: () => navigate(paths.signIn, { replace: true }),
  });

  return (
    <Card component="section" withBorder radius="md" padding="lg" aria-labelledby="sign-out-everywhere-heading">
      <Title order={2} size="h3" id="sign-out-everywhere-heading" mb="xs">
        Sign out everywhere
      </Title>
      <Text size="sm" mb="md">
        Ends every session of your account, this one included. You will need your password on each device again.
      </Text>
      <Button color="red" variant="outline" onClick={open}>
        Sign out everywhere
      </Button>
      <Modal
        opened={opened}
        onClose={close}
        title="Sign out of every device?"
        centered
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        <Stack gap="md">
          <Text size="sm">Every device signed in to your account, this one included, will be signed out.</Text>
          {signOutAll.isError ? <FormErrorAlert title="Could not sign out" error={signOutAll.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            {/* red.9: white on red.8 is just under 4.5:1. */}
            <Button color="red.9" onClick={() => signOutAll.mutate()} loading={signOutAll.isPending}>
              Sign out everywhere
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
