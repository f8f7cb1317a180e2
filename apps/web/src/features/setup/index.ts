// The setup feature's public face: what the app shell and other features may use. The page is not
// here: it loads lazily through setup.routes.ts, so importing this file never pulls it in.
export { setupStatusQueryOptions, useSetupStatus } from './api/setup.queries';
export { SetupNotice } from './components/SetupNotice';
