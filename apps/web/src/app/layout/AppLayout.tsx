import { Anchor, AppShell, Container, Group, Text } from '@mantine/core';
import { Link, Outlet } from 'react-router';

import { LogoMark } from '../../components/ui/icons';
import { AccountMenu, VerifyEmailBanner } from '../../features/auth';
import { useSiteInfo } from '../../features/home';
import { paths, serverPaths } from '../paths';
import { PORTAL_HOST_ID } from '../portal-host';
import classes from './AppLayout.module.css';
import { ColorSchemeControl } from './ColorSchemeControl';
import { MainNav } from './MainNav';
import { MobileMenu } from './MobileMenu';
import { RouteAnnouncer } from './RouteAnnouncer';

export const MAIN_CONTENT_ID = 'main-content';

/**
 * The shell of every page: banner, main, footer. The header holds everything on wide screens; when
 * its own width is below 40rem (a container query, so a larger text size from the display settings
 * moves the switch too) navigation, colour scheme and account fold into a menu behind a burger.
 */
export function AppLayout() {
  // The name the site was given at setup; the product's until it is known (or when none was given).
  const siteName = useSiteInfo().data?.siteName ?? 'Atrium';
  return (
    <AppShell header={{ height: 60 }} padding={0}>
      {/* The site's feed, for browsers and feed readers to find on every page (React places it in <head>). */}
      <link
        rel="alternate"
        type="application/rss+xml"
        title={`${siteName} — newest posts`}
        href={serverPaths.rssFeed}
      />
      <a className="skip-link" href={`#${MAIN_CONTENT_ID}`}>
        Skip to main content
      </a>
      <RouteAnnouncer mainId={MAIN_CONTENT_ID} />
      <AppShell.Header>
        <Container size="lg" h="100%" className={classes.headerContainer}>
          <Group h="100%" justify="space-between" wrap="nowrap" gap="sm">
            <Anchor component={Link} to={paths.home} underline="never" c="inherit" className={classes.brand}>
              <LogoMark />
              <Text component="span" fw={800} size="xl" lh={1} className={classes.brandName}>
                {siteName}
              </Text>
            </Anchor>
            <Group gap="xs" wrap="nowrap" className={classes.wideOnly}>
              <MainNav />
              <ColorSchemeControl />
              <AccountMenu />
            </Group>
            <div className={classes.narrowOnly}>
              <MobileMenu />
            </div>
          </Group>
        </Container>
      </AppShell.Header>
      <AppShell.Main id={MAIN_CONTENT_ID} tabIndex={-1}>
        <Container size="lg" py="xl">
          <VerifyEmailBanner />
          <Outlet />
        </Container>
        {/* Popovers, menus and dialogs render here, inside <main> (portal-host.ts). */}
        <div id={PORTAL_HOST_ID} />
      </AppShell.Main>
      <footer className={classes.footer}>
        <Container size="lg">
          <Group justify="space-between" gap="xs" wrap="wrap">
            <Text size="sm" c="dimmed">
              {siteName === 'Atrium' ? 'Atrium' : `${siteName} runs on Atrium`} — an open content platform.
            </Text>
            {/* A server route: a full navigation (a feed reader can take the address from here). */}
            <Anchor href={serverPaths.rssFeed} type="application/rss+xml" size="sm">
              RSS feed
            </Anchor>
            {/* Display preferences for everyone: visitors keep them on the device (signed in: the settings tab). */}
            <Anchor component={Link} to={paths.accessibility} size="sm">
              Accessibility and display
            </Anchor>
          </Group>
        </Container>
      </footer>
    </AppShell>
  );
}
