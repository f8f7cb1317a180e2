/**
 * Where Mantine renders popovers, menus, drawers and dialogs: an element at the end of the app's
 * `<main>` (AppLayout renders it). At the end of `<body>` they would sit outside every landmark,
 * and a dialog's `<header>` would read as a second banner. Outside the app layout (the route error
 * page, tests that render one page) there is no host and Mantine's own node at the end of `<body>`
 * is used.
 */
export const PORTAL_HOST_ID = 'app-portal-host';

export function portalHost(): HTMLElement | undefined {
  return (typeof document === 'undefined' ? null : document.getElementById(PORTAL_HOST_ID)) ?? undefined;
}
