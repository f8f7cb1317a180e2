import {
  ActionIcon,
  Anchor,
  AppShell,
  Container,
  Group,
  Text,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { Link, NavLink, Outlet } from 'react-router';

import { LogoMark, MoonIcon, SunIcon } from '../../components/ui/icons';
import nav from '../../components/ui/NavLink.module.css';
import { notifyFailure } from '../../components/ui/notify';
import { AccountMenu, VerifyEmailBanner } from '../../features/auth';
import { usePreferences, useSavePreferences } from '../../features/settings';
import { paths, serverPaths } from '../paths';
import classes from './AppLayout.module.css';

export const MAIN_CONTENT_ID = 'main-content';

export function AppLayout() {
  return (
    <AppShell header={{ height: 60 }} padding={0}>
      <a className="skip-link" href={`#${MAIN_CONTENT_ID}`}>
        Skip to main content
      </a>
      <AppShell.Header>
        <Container size="lg" h="100%">
          <Group h="100%" justify="space-between" wrap="nowrap">
            <Anchor component={Link} to={paths.home} underline="never" c="inherit" className={classes.brand}>
              <LogoMark />
              <Text component="span" fw={800} size="xl" lh={1}>
                Atrium
              </Text>
            </Anchor>
            <Group gap="xs" wrap="nowrap">
              <nav aria-label="Main">
                <ul className={classes.navList}>
                  <li>
                    <NavLink to={paths.home} end className={nav.navLink}>
                      Status
                    </NavLink>
                  </li>
                  <li>
                    {/* A server page (Swagger UI), not a client route: a full navigation. */}
                    <a href={serverPaths.apiDocs} className={nav.navLink}>
                      API docs
                    </a>
                  </li>
                </ul>
              </nav>
              <ColorSchemeToggle />
              <AccountMenu />
            </Group>
          </Group>
        </Container>
      </AppShell.Header>
      <AppShell.Main id={MAIN_CONTENT_ID} tabIndex={-1}>
        <Container size="lg" py="xl">
          <VerifyEmailBanner />
          <Outlet />
        </Container>
      </AppShell.Main>
      <footer className={classes.footer}>
        <Container size="lg">
          <Text size="sm" c="dimmed">
            Atrium — an open content platform.
          </Text>
        </Container>
      </footer>
    </AppShell>
  );
}

/** Light or dark at once; signed in, the choice is also saved with the account's display settings. */
function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light', { getInitialValueInEffect: true });
  const preferences = usePreferences();
  const save = useSavePreferences({
    onError: () =>
      notifyFailure(
        'Colour scheme not saved',
        'It applies on this device; your other devices keep the one saved before.',
      ),
  });
  const next = computed === 'dark' ? 'light' : 'dark';
  const onToggle = () => {
    setColorScheme(next);
    if (preferences) save.mutate({ ...preferences, colorScheme: next });
  };
  return (
    <ActionIcon
      variant="default"
      size="lg"
      onClick={onToggle}
      aria-label={`Switch to ${next} colour scheme`}
      title={`Switch to ${next} colour scheme`}
    >
      {computed === 'dark' ? <SunIcon size={18} /> : <MoonIcon size={18} />}
    </ActionIcon>
  );
}
