// The home feature's public face for the app shell (the page itself loads through home.routes.ts).
export { useSiteInfo } from './api/home.queries';
