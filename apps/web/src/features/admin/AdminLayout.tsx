import { Anchor, Divider, List, Stack, Text, Title } from '@mantine/core';
import { Link, NavLink, Outlet, useLocation } from 'react-router';

import { paths } from '../../app/paths';
import nav from '../../components/ui/NavLink.module.css';
import { PageLoader } from '../../components/ui/PageLoader';
import { usePermissions } from '../auth';
import classes from './AdminLayout.module.css';
import { ADMIN_SECTIONS, type AdminSection, visibleSections } from './sections';

/** The section a path belongs to: the longest section path it starts with (`/admin/roles/…` is Roles). */
function sectionOf(pathname: string): AdminSection | undefined {
  const path = pathname.replace(/\/+$/, '') || '/';
  return [...ADMIN_SECTIONS]
    .sort((a, b) => b.to.length - a.to.length)
    .find((section) => path === section.to || (section.to !== paths.admin.root && path.startsWith(`${section.to}/`)));
}

/**
 * The administration pages: a navigation to those the user may open, and the page, shown only to
 * whoever holds the permission its API routes need (the API checks again on every call).
 */
export function AdminLayout() {
  const { can, isPending } = usePermissions();
  const { pathname } = useLocation();
  if (isPending) return <PageLoader label="Checking your permissions…" />;

  const sections = visibleSections(can);
  const current = sectionOf(pathname);
  const allowed = current !== undefined && current.anyOf.some(can);

  return (
    <Stack gap="lg">
      {sections.length > 0 ? (
        <nav aria-label="Administration">
          <ul className={classes.sections}>
            {sections.map(({ to, label }) => (
              <li key={to}>
                <NavLink to={to} end={to === paths.admin.root} className={nav.navLink}>
                  {label}
                </NavLink>
              </li>
            ))}
          </ul>
          <Divider mt="xs" />
        </nav>
      ) : null}
      {allowed ? <Outlet /> : <NoAccess sections={sections} />}
    </Stack>
  );
}

function NoAccess({ sections }: { sections: AdminSection[] }) {
  return (
    <Stack gap="sm" align="flex-start">
      <title>No access · Atrium</title>
      <Title order={1}>You cannot open this page</Title>
      <Text>
        Your roles do not include the permission this administration page needs. An administrator can grant it.
      </Text>
      {sections.length > 0 ? (
        <>
          <Text>You can open:</Text>
          <List>
            {sections.map(({ to, label }) => (
              <List.Item key={to}>
                <Anchor component={Link} to={to}>
                  {label}
                </Anchor>
              </List.Item>
            ))}
          </List>
        </>
      ) : (
        <Anchor component={Link} to={paths.home}>
          Back to the home page
        </Anchor>
      )}
    </Stack>
  );
}
