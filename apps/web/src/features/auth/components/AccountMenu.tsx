import { Button, Group, Menu, Skeleton, Stack, Text } from '@mantine/core';
import { Link, useNavigate } from 'react-router';

import { paths, profilePath } from '../../../app/paths';
import { ChevronDownIcon, SettingsIcon, SignOutIcon } from '../../../components/ui/icons';
import { displayName, UserAvatar } from '../../../components/ui/UserAvatar';
import { useAuth } from '../useAuth';

/** The header's account corner: Sign in / Sign up, or the signed-in user's menu. */
export function AccountMenu() {
  const { status, user, signOut } = useAuth();
  const navigate = useNavigate();

  if (status === 'restoring') {
    // Keeps the header from jumping while the session is restored; nothing to announce yet.
    return <Skeleton height={36} width={112} radius="md" aria-hidden="true" />;
  }

  if (!user) {
    return (
      <Group gap="xs" wrap="nowrap">
        <Button component={Link} to={paths.signIn} variant="subtle">
          Sign in
        </Button>
        <Button component={Link} to={paths.signUp}>
          Sign up
        </Button>
      </Group>
    );
  }

  const onSignOut = () => {
    // Leave any page that needs the account first — and only then sign out — so it does not ask
    // to sign in again (signing out at once raced the navigation: now and then, Sign in won).
    void Promise.resolve(navigate(paths.home)).finally(() => void signOut());
  };

  return (
    // No focus placeholder: Mantine's is a focusable role="presentation" child, not allowed in a menu.
    <Menu position="bottom-end" width={240} shadow="md" withInitialFocusPlaceholder={false}>
      <Menu.Target>
        <Button
          variant="default"
          // The avatar beside the name that labels the button: decorative.
          leftSection={<UserAvatar user={user} size={24} decorative />}
          rightSection={<ChevronDownIcon size={14} />}
          maw={220}
          styles={{ label: { overflow: 'hidden', textOverflow: 'ellipsis' } }}
        >
          {user.username}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {/* Who is signed in, as others see them: the item leads to the public profile. */}
        <Menu.Item
          component={Link}
          to={profilePath(user.username)}
          leftSection={<UserAvatar user={user} size={36} decorative />}
        >
          <Stack gap={0} miw={0} style={{ overflowWrap: 'anywhere' }}>
            <Text size="sm" fw={600} lh={1.3}>
              {displayName(user)}
            </Text>
            <Text size="xs" c="dimmed" lh={1.3}>
              Your public profile
            </Text>
          </Stack>
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item component={Link} to={paths.settings.profile} leftSection={<SettingsIcon size={14} />}>
          Settings
        </Menu.Item>
        <Menu.Item leftSection={<SignOutIcon size={14} />} onClick={onSignOut}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
