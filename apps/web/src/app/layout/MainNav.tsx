import { NavLink } from 'react-router';

import nav from '../../components/ui/NavLink.module.css';
import { useAdminEntry } from '../../features/admin';
import { useCan } from '../../features/auth';
import { paths, serverPaths } from '../paths';
import classes from './AppLayout.module.css';

interface MainNavProps {
  /** A column (the fold-out menu) instead of a row (the header). */
  vertical?: boolean;
  /** Called when a link is followed (the fold-out menu closes). */
  onNavigate?: () => void;
}

/** The site's main navigation: the posts, the status page and the API docs (the brand leads home). */
export function MainNav({ vertical = false, onNavigate }: MainNavProps) {
  // The comments moderation queue, for those who may moderate.
  const canModerate = useCan('comments:moderate');
  // Writing, for those who may create posts.
  const canWrite = useCan('posts:create');
  // For those who may open any administration page (their roles say so).
  const adminEntry = useAdminEntry();
  // How many links the row holds: with more, the header folds into the menu at a wider width (AppLayout.module.css).
  const links = 3 + Number(canWrite) + Number(canModerate) + Number(adminEntry !== undefined);
  return (
    <nav aria-label="Main">
      <ul className={vertical ? classes.navColumn : classes.navList} data-links={links}>
        <li>
          <NavLink to={paths.posts} className={nav.navLink} onClick={onNavigate}>
            Posts
          </NavLink>
        </li>
        {canWrite ? (
          <li>
            <NavLink to={paths.write.root} className={nav.navLink} onClick={onNavigate}>
              Write
            </NavLink>
          </li>
        ) : null}
        <li>
          <NavLink to={paths.status} className={nav.navLink} onClick={onNavigate}>
            Status
          </NavLink>
        </li>
        {canModerate ? (
          <li>
            <NavLink to={paths.moderation} className={nav.navLink} onClick={onNavigate}>
              Moderation
            </NavLink>
          </li>
        ) : null}
        {adminEntry ? (
          <li>
            <NavLink to={adminEntry} className={nav.navLink} onClick={onNavigate}>
              Admin
            </NavLink>
          </li>
        ) : null}
        <li>
          {/* A server page (the API reference), not a client route: a full navigation. */}
          <a href={serverPaths.apiReference} className={nav.navLink} onClick={onNavigate}>
            API docs
          </a>
        </li>
      </ul>
    </nav>
  );
}
