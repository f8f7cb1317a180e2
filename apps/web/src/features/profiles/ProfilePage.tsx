import { ErrorCode } from '@atrium/contracts';
import { Anchor, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';

import { feedPath, paths } from '../../app/paths';
import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import { PageLoader } from '../../components/ui/PageLoader';
import { displayName, UserAvatar } from '../../components/ui/UserAvatar';
import { ApiError } from '../../lib/api';
import { FeedLink, PostFeed } from '../reading';
import { useProfile } from './api/profiles.queries';

/** "May 2025": a member since a month, not a moment (and no time zone can move it by a day). */
const memberSince = (iso: string): string =>
  new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' }).format(new Date(iso));

const isNotFound = (error: unknown) => error instanceof ApiError && error.code === ErrorCode.NOT_FOUND;

/**
 * A member's public profile: avatar, name, bio and since when they are a member, the RSS feed of
 * their posts; then their published posts.
 */
export function ProfilePage() {
  const { username = '' } = useParams();
  const profile = useProfile(username);

  if (profile.isPending) return <PageLoader label="Loading the profile…" />;
  if (profile.isError) {
    if (isNotFound(profile.error)) return <NoSuchProfile username={username} />;
    return (
      <Stack gap="lg">
        <title>{`@${username} · Atrium`}</title>
        <Title order={1} style={{ overflowWrap: 'anywhere' }}>
          @{username}
        </Title>
        <ApiErrorAlert
          title="Could not load this profile"
          error={profile.error}
          onRetry={() => void profile.refetch()}
          retrying={profile.isFetching}
        />
      </Stack>
    );
  }

  const { data } = profile;
  const name = displayName(data);
  return (
    <Stack gap="xl">
      <Paper component="article" withBorder radius="md" p={{ base: 'lg', sm: 'xl' }} maw={720} aria-label={name}>
        <title>{`${name} (@${data.username}) · Atrium`}</title>
        <Group gap="lg" align="flex-start" wrap="nowrap">
          {/* A picture is described; initials repeat the name beside them, so they are not. */}
          <UserAvatar user={data} size={96} label={`Avatar of ${name}`} decorative={!data.avatarUrl} />
          {/* Long names without spaces break anywhere instead of widening the page (320 px screens). */}
          <Stack gap="xs" miw={0} style={{ overflowWrap: 'anywhere' }}>
            <Title order={1}>{name}</Title>
            <Text c="dimmed">@{data.username}</Text>
            <Text size="sm">Member since {memberSince(data.memberSince)}</Text>
            <div>
              <FeedLink
                href={feedPath({ author: data.username })}
                label={`RSS feed of posts by ${name}`}
                alternate={`${name} — newest posts`}
              />
            </div>
          </Stack>
        </Group>
        {data.bio ? (
          <Text mt="lg" style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
            {data.bio}
          </Text>
        ) : (
          <Text mt="lg" c="dimmed">
            No bio yet.
          </Text>
        )}
      </Paper>
      <Stack maw={720}>
        <PostFeed
          filter={{ author: data.username }}
          heading={`Posts by ${name}`}
          showHeading
          empty={<Text>{name} has not published anything yet.</Text>}
        />
      </Stack>
    </Stack>
  );
}

function NoSuchProfile({ username }: { username: string }) {
  return (
    <Stack gap="md" maw={720}>
      <title>Profile not found · Atrium</title>
      <Title order={1}>Profile not found</Title>
      <Text style={{ overflowWrap: 'anywhere' }}>
        Nobody here goes by <strong>@{username}</strong>. The name may be misspelt, or the account was renamed or
        closed.
      </Text>
      <Anchor component={Link} to={paths.home}>
        Back to the home page
      </Anchor>
    </Stack>
  );
}
