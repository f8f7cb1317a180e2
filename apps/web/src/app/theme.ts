import { Anchor, createTheme, type CSSVariablesResolver, type MantineThemeComponent } from '@mantine/core';

import { portalHost } from './portal-host';

/**
 * The app's theme. The display preferences that change it (high contrast, density) are CSS
 * variable overrides keyed by attributes on <html> (app/preferences.css), so they apply before
 * the first paint, from public/preferences.js, without waiting for React.
 */
export const theme = createTheme({
  primaryColor: 'blue',
  // Shade 8 keeps white-on-primary and primary-on-white text above WCAG AA 4.5:1.
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'md',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif, "Apple Color Emoji", "Segoe UI Emoji"',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace',
  headings: { fontWeight: '700' },
  // Mantine's transitions follow the operating system's "reduce motion"; CSS transitions, and the
  // account's own setting, are stopped in global.css.
  respectReducedMotion: true,
  components: {
    // A link inside text must not be told apart by colour alone (WCAG 1.4.1): in the dark scheme
    // the link blue is 1.5:1 against the body text. Links that are not in text (the brand) opt out.
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
    // Popovers, menus, drawers and dialogs inside the app's <main> (see portal-host.ts). A function,
    // so the host is looked up when the portal opens, not when the theme is built.
    Portal: { defaultProps: () => ({ target: portalHost() }) } satisfies MantineThemeComponent,
  },
});

/**
 * Mantine's default dimmed grey (gray.6) is 3.3:1 on white; gray.7 reads as secondary and passes AA.
 * Its error red (red.6 on white, red.8 on dark) is below 4.5:1 for field messages; red.9 and red.4 are not.
 * The "light" and "subtle" variants put shade 9 text on shade 1, and on shade 2 when hovered: 4.0:1
 * for blue (the header's "Sign in"). One step lighter each (0 at rest, 1 hovered) keeps 4.9:1.
 * The focus ring (global.css) is the primary colour on white and its light shade on dark (≥ 3:1).
 */
export const cssVariablesResolver: CSSVariablesResolver = (resolved) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--app-focus-ring': 'var(--mantine-color-blue-8)',
    ...Object.fromEntries(
      Object.keys(resolved.colors).flatMap((color) => [
        [`--mantine-color-${color}-light`, `var(--mantine-color-${color}-0)`],
        [`--mantine-color-${color}-light-hover`, `var(--mantine-color-${color}-1)`],
      ]),
    ),
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-error': 'var(--mantine-color-red-4)',
    '--app-focus-ring': 'var(--mantine-color-blue-4)',
  },
});
