import { Alert, Anchor, Button, Card, Group, Skeleton, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { type ReactNode, useId } from 'react';
import { Link } from 'react-router';

import { paths, profilePath, serverPaths } from '../../app/paths';
import { displayName, UserAvatar } from '../../components/ui/UserAvatar';
import type { SessionUser } from '../../lib/session';
import { useAuth } from '../auth';
import { useSetupStatus } from '../setup';
import { useSiteInfo } from './api/home.queries';

/** The product's name, when the site was given none at setup (or it could not be read). */
const PRODUCT = 'Atrium';

/**
 * The public home page: a welcome with the site's name, what a visitor can do next (sign up or in;
 * set the site up while it has no administrator), where the API is documented, and for a
 * signed-in member a short view of their account.
 */
export function HomePage() {
  const info = useSiteInfo();
  const setup = useSetupStatus();
  const { status, user } = useAuth();
  const siteName = info.data?.siteName ?? PRODUCT;
  const needsSetup = setup.data?.required === true;

  return (
    <Stack gap="xl">
      <title>{info.data?.siteName ? `${info.data.siteName} · Atrium` : 'Atrium'}</title>
      <Stack gap="sm" maw={720}>
        {info.isPending ? (
          <>
            <VisuallyHidden>
              <Title order={1}>Welcome</Title>
            </VisuallyHidden>
            <Skeleton height={36} width="60%" aria-hidden="true" />
          </>
        ) : (
          <Title order={1} style={{ overflowWrap: 'anywhere' }}>
            Welcome to {siteName}
          </Title>
        )}
        <Text size="lg">
          {info.data?.siteName ? `${info.data.siteName} runs on Atrium, an` : 'Atrium is an'} open content platform.
          Join to get a public profile; everything the site does is also open to programs through a documented REST API.
        </Text>
      </Stack>

      {needsSetup ? (
        <Alert variant="light" color="blue" title="This site has no administrator yet" maw={720}>
          <Stack gap="sm" align="flex-start">
            <Text size="sm">
              {setup.data?.codeRequired
                ? 'If you run it, create the first admin account with the setup code from the server log.'
                : 'If you run it, create the first admin account now: it manages users, roles and everything else.'}
            </Text>
            <Button component={Link} to={paths.setup}>
              Set up this site
            </Button>
          </Stack>
        </Alert>
      ) : null}

      {status === 'signed-out' && !needsSetup ? (
        <Group gap="sm">
          <Button component={Link} to={paths.signUp} size="md">
            Create an account
          </Button>
          <Button component={Link} to={paths.signIn} size="md" variant="default">
            Sign in
          </Button>
        </Group>
      ) : null}

      {status === 'signed-in' && user ? <YourAccount user={user} /> : null}

      <Section title="Read">
        <Text>
          What members have published, newest first: narrow it by category, tag or reading level, or search it.
        </Text>
        <Anchor component={Link} to={paths.posts} mt="sm" display="inline-block">
          Latest posts
        </Anchor>
      </Section>

      <Section title="Build on it">
        <Text>
          Every feature is available through the API: authenticate with a personal access token and read the reference,
          with examples, in the API docs.
        </Text>
        <Group gap="lg" mt="sm">
          {/* Server pages, not client routes: full navigations. */}
          <Anchor href={serverPaths.apiReference}>API documentation</Anchor>
          <Anchor href={serverPaths.swaggerUi}>Try it in Swagger UI</Anchor>
          <Anchor component={Link} to={paths.status}>
            System status
          </Anchor>
        </Group>
      </Section>
    </Stack>
  );
}

function YourAccount({ user }: { user: SessionUser }) {
  const name = displayName(user);
  return (
    <Section title="Your account">
      <Group gap="md" wrap="nowrap" align="flex-start">
        <UserAvatar user={user} size="lg" decorative />
        <Stack gap={2} miw={0} style={{ overflowWrap: 'anywhere' }}>
          <Text fw={600}>{name}</Text>
          <Text size="sm" c="dimmed">
            @{user.username} · {user.email}
          </Text>
          <Group gap="lg" mt="xs">
            <Anchor component={Link} to={profilePath(user.username)}>
              Your public profile
            </Anchor>
            <Anchor component={Link} to={paths.settings.profile}>
              Account settings
            </Anchor>
          </Group>
        </Stack>
      </Group>
    </Section>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <Card component="section" withBorder radius="md" padding="lg" maw={720} aria-labelledby={headingId}>
      <Title order={2} size="h3" id={headingId} mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}
