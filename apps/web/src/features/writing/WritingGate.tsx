import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link, Outlet } from 'react-router';

import { paths } from '../../app/paths';
import { ApiErrorAlert } from '../../components/ui/ApiErrorAlert';
import { PageLoader } from '../../components/ui/PageLoader';
import { ResendVerificationButton, useAuth, useMe, usePermissions } from '../auth';

/**
 * The writing pages show to those who may write posts (`posts:create`) with a confirmed address
 * (the API asks for one to create posts). Others are told why, instead of meeting refusals.
 */
export function WritingGate() {
  const { can, isPending } = usePermissions();
  const me = useMe();
  const { user } = useAuth();

  if (isPending) return <PageLoader label="Checking what you may do…" />;
  if (me.isError) {
    return (
      <Stack gap="lg">
        <title>Write · Atrium</title>
        <Title order={1}>Write</Title>
        <ApiErrorAlert
          title="Could not check what you may do"
          error={me.error}
          onRetry={() => void me.refetch()}
          retrying={me.isFetching}
        />
      </Stack>
    );
  }
  if (!can('posts:create')) {
    return (
      <Stack gap="md" maw={640} align="flex-start">
        <title>Write · Atrium</title>
        <Title order={1}>Writing is not open to your account</Title>
        <Text>
          Your account may read and comment, but not write posts. An administrator can give you the author role.
        </Text>
        <Anchor component={Link} to={paths.posts}>
          Back to the posts
        </Anchor>
      </Stack>
    );
  }
  if (user && !user.emailVerified) {
    return (
      <Stack gap="md" maw={640} align="flex-start">
        <title>Write · Atrium</title>
        <Title order={1}>Confirm your email address to write</Title>
        <Text>We sent you a link when you signed up. Once your address is confirmed, you can write posts here.</Text>
        <ResendVerificationButton />
      </Stack>
    );
  }
  return <Outlet />;
}
