import { Button, Menu, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';

import { paths, profilePath } from '../../../app/paths';
import { ChevronDownIcon, SettingsIcon, SignOutIcon } from '../../../components/ui/icons';
import { displayName, UserAvatar } from '../../../components/ui/UserAvatar';
import type { SessionUser } from '../../../lib/session';

interface UserMenuProps {
  user: SessionUser;
  onSignOut: () => void;
}

/**
 * The signed-in user's menu in the header (AccountMenu loads it once someone is signed in: a
 * visitor's pages do not load the menu's code).
 */
export function UserMenu({ user, onSignOut }: UserMenuProps) {
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
