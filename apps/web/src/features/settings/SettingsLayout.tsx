import { Grid, Stack, Text } from '@mantine/core';
import { NavLink, Outlet } from 'react-router';

import classes from './SettingsLayout.module.css';
import nav from '../../components/ui/NavLink.module.css';

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
              <li>
                <NavLink to="/settings/profile" className={nav.navLink}>
                  Profile
                </NavLink>
              </li>
              <li>
                <NavLink to="/settings/sessions" className={nav.navLink}>
                  Sessions
                </NavLink>
              </li>
              <li>
                <NavLink to="/settings/security" className={nav.navLink}>
                  Security
                </NavLink>
              </li>
              <li>
                <NavLink to="/settings/tokens" className={nav.navLink}>
                  Access tokens
                </NavLink>
              </li>
              <li>
                <NavLink to="/settings/account" className={nav.navLink}>
                  Account
                </NavLink>
              </li>
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
