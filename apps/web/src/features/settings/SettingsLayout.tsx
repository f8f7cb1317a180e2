import { Grid, Stack, Text } from '@mantine/core';
import { NavLink, Outlet } from 'react-router';

import { paths } from '../../app/paths';
import nav from '../../components/ui/NavLink.module.css';
import classes from './SettingsLayout.module.css';

const SECTIONS = [
  { to: paths.settings.profile, label: 'Profile' },
  { to: paths.settings.sessions, label: 'Sessions' },
  { to: paths.settings.security, label: 'Security' },
  { to: paths.settings.tokens, label: 'Access tokens' },
  { to: paths.settings.account, label: 'Account' },
  { to: paths.settings.accessibility, label: 'Accessibility' },
] as const;

/** Settings pages share a heading and a section list; each page names itself with an h1. */
export function SettingsLayout() {
  return (
    <Grid gap="xl">
      <Grid.Col span={{ base: 12, sm: 3 }}>
        <Stack gap="xs">
          <Text fw={700} size="sm" c="dimmed" id="settings-nav-title">
            Settings
          </Text>
          <nav aria-labelledby="settings-nav-title">
            <ul className={classes.list}>
              {SECTIONS.map(({ to, label }) => (
                <li key={to}>
                  <NavLink to={to} className={nav.navLink}>
                    {label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 9 }}>
        <Outlet />
      </Grid.Col>
    </Grid>
  );
}
