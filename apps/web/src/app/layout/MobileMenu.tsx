import { Burger, Button, Divider, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useId, useState } from 'react';
import { Link, NavLink, useLocation, useNavigate } from 'react-router';

import { DeferredDrawer } from '../../components/ui/DeferredDrawer';
import nav from '../../components/ui/NavLink.module.css';
import { UserAvatar } from '../../components/ui/UserAvatar';
import { useAuth } from '../../features/auth';
import { paths, profilePath } from '../paths';
import { ColorSchemeControl } from './ColorSchemeControl';
import { MainNav } from './MainNav';

/**
 * The header on a narrow screen: a burger that opens a menu (a drawer) with the main navigation,
 * the colour scheme and the account's links. Following a link closes it and leaves focus to the
 * new page (RouteAnnouncer); closing it otherwise (Escape, the close button) returns focus to the burger.
 */
export function MobileMenu() {
  const [opened, { open, close }] = useDisclosure(false);
  const [returnFocus, setReturnFocus] = useState(true);
  const drawerId = useId();

  const onOpen = () => {
    setReturnFocus(true);
    open();
  };
  const onNavigate = () => {
    setReturnFocus(false);
    close();
  };

  return (
    <>
      <Burger
        opened={opened}
        onClick={opened ? close : onOpen}
        size="sm"
        aria-label="Menu"
        aria-expanded={opened}
        aria-controls={opened ? drawerId : undefined}
      />
      <DeferredDrawer
        id={drawerId}
        opened={opened}
        onClose={close}
        returnFocus={returnFocus}
        position="right"
        size="xs"
        title="Menu"
        closeButtonProps={{ 'aria-label': 'Close menu' }}
      >
        <Stack gap="lg">
          <MainNav vertical onNavigate={onNavigate} />
          <Divider />
          <div>
            <Text size="sm" fw={600} mb={6} id={`${drawerId}-scheme`}>
              Colour scheme
            </Text>
            <ColorSchemeControl withLabels labelledBy={`${drawerId}-scheme`} />
          </div>
          <Divider />
          <AccountLinks onNavigate={onNavigate} onClose={close} />
        </Stack>
      </DeferredDrawer>
    </>
  );
}

/** The account corner of the menu: sign in and sign up, or the signed-in user's settings and sign-out. */
function AccountLinks({ onNavigate, onClose }: { onNavigate: () => void; onClose: () => void }) {
  const { status, user, signOut } = useAuth();
  const navigate = useNavigate();
  const { pathname } = useLocation();

  if (status === 'restoring') return null;

  if (!user) {
    return (
      <Stack gap="xs">
        <Button component={Link} to={paths.signIn} variant="default" fullWidth onClick={onNavigate}>
          Sign in
        </Button>
        <Button component={Link} to={paths.signUp} fullWidth onClick={onNavigate}>
          Sign up
        </Button>
      </Stack>
    );
  }

  const onSignOut = () => {
    // As the account menu does: leave any page that needs the account first. Already home, no
    // new page takes focus: it goes back to the burger.
    if (pathname === paths.home) {
      onClose();
    } else {
      onNavigate();
      // Home first, then sign out (as the account menu does: the two raced).
      void Promise.resolve(navigate(paths.home)).finally(() => void signOut());
      return;
    }
    void signOut();
  };

  return (
    <nav aria-label="Account">
      <Group gap="sm" wrap="nowrap" mb={6}>
        <UserAvatar user={user} size={36} decorative />
        <Text size="sm" c="dimmed" miw={0}>
          Signed in as{' '}
          <Text span fw={600} c="var(--mantine-color-text)" style={{ overflowWrap: 'anywhere' }}>
            {user.username}
          </Text>
        </Text>
      </Group>
      <Stack gap={2}>
        <NavLink to={profilePath(user.username)} className={nav.navLink} onClick={onNavigate}>
          Your public profile
        </NavLink>
        <NavLink to={paths.settings.profile} className={nav.navLink} onClick={onNavigate}>
          Settings
        </NavLink>
        <UnstyledButton className={nav.navLink} onClick={onSignOut} w="100%" ta="left">
          Sign out
        </UnstyledButton>
      </Stack>
    </nav>
  );
}
