// The home feature's public face: the site's name and facts, which the app shell shows too. The
// page itself loads lazily through home.routes.ts.
export { useSiteInfo } from './api/home.queries';
