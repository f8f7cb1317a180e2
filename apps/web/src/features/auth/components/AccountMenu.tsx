import { Button, Group, Menu, Skeleton } from '@mantine/core';
import { Link, useNavigate } from 'react-router';

import { paths } from '../../../app/paths';
import { ChevronDownIcon, SettingsIcon, SignOutIcon, UserIcon } from '../../../components/ui/icons';
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
    // Leave any page that needs the account first, so it does not ask to sign in again.
    void navigate(paths.home);
    void signOut();
  };

  return (
    // No focus placeholder: Mantine's is a focusable role="presentation" child, not allowed in a menu.
    <Menu position="bottom-end" width={200} shadow="md" withInitialFocusPlaceholder={false}>
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<UserIcon size={16} />}
          rightSection={<ChevronDownIcon size={14} />}
          maw={220}
          styles={{ label: { overflow: 'hidden', textOverflow: 'ellipsis' } }}
        >
          {user.username}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
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
