import { Button, Group, Skeleton } from '@mantine/core';
import { Link, useNavigate } from 'react-router';

import { paths } from '../../../app/paths';
import { useLoadedWhen } from '../../../lib/load-when';
import { useAuth } from '../useAuth';

// The signed-in user's menu: its code (Mantine's Menu, popover and positioning) loads once someone
// is signed in, so a visitor's first page does not carry it.
const loadUserMenu = () => import('./UserMenu');

// Keeps the header from jumping while the session is restored (or the menu loads); nothing to announce yet.
const RESTORING = <Skeleton height={36} width={112} radius="md" aria-hidden="true" />;

/** The header's account corner: Sign in / Sign up, or the signed-in user's menu. */
export function AccountMenu() {
  const { status, user, signOut } = useAuth();
  const navigate = useNavigate();
  const UserMenu = useLoadedWhen(user !== undefined, loadUserMenu)?.UserMenu;

  if (status === 'restoring') return RESTORING;

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

  return UserMenu ? <UserMenu user={user} onSignOut={onSignOut} /> : RESTORING;
}
