// The admin feature's public face for the app shell (the header's "Admin" link). Its pages load
// lazily through admin.routes.ts: importing this file never pulls them in.
import { usePermissions } from '../auth';
import { visibleSections } from './sections';

/** Where the header's "Admin" link leads: the first admin page the user may open, or `undefined` for none. */
export function useAdminEntry(): string | undefined {
  const { can } = usePermissions();
  return visibleSections(can)[0]?.to;
}
