import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DEFAULT_PREFERENCES } from '@atrium/contracts';
import { afterEach, describe, expect, it } from 'vitest';

import { ada, envelope } from '../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../test/auth';
import { api, json, requestsTo, useApi } from '../test/msw';
import { PREFERENCES_STORAGE_KEY } from '../lib/preferences';
import { renderRoutes } from '../test/render';
import { AppLayout } from './layout/AppLayout';

const root = document.documentElement;
const renderShell = () =>
  renderRoutes([{ element: <AppLayout />, children: [{ path: '/', element: <h1>Home</h1> }] }], '/');

afterEach(() => {
  root.removeAttribute('data-high-contrast');
  root.removeAttribute('data-density');
});

describe("the account's display preferences", () => {
  it('apply to every page once the session is back: colour scheme, text size and reduced motion', async () => {
    rememberSignIn();
    useApi(...signedInApi({ ...ada, preferences: { colorScheme: 'dark', fontScale: 1.25, reduceMotion: true } }));
    renderShell();

    await screen.findByRole('button', { name: 'ada' });
    await waitFor(() => expect(root).toHaveAttribute('data-mantine-color-scheme', 'dark'));
    expect(root.style.fontSize).toBe('125%');
    expect(root).toHaveAttribute('data-reduce-motion');
  });

  it('leave the page as it is for an account that chose nothing', async () => {
    rememberSignIn();
    useApi(...signedInApi());
    renderShell();

    await screen.findByRole('button', { name: 'ada' });
    expect(root).toHaveAttribute('data-mantine-color-scheme', 'light');
    expect(root.style.fontSize).toBe('');
    expect(root).not.toHaveAttribute('data-reduce-motion');
  });

  it('saves the header\'s colour scheme with a signed-in account, "System" included', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.patch('/api/v1/me', async ({ request }) => {
        const { preferences } = (await request.clone().json()) as { preferences: typeof ada.preferences };
        return json(envelope({ ...ada, preferences }));
      }),
    );
    renderShell();

    await screen.findByRole('button', { name: 'ada' });
    const scheme = screen.getByRole('radiogroup', { name: 'Colour scheme' });
    expect(within(scheme).getByRole('radio', { name: 'System' })).toBeChecked();

    await user.click(within(scheme).getByRole('radio', { name: 'Dark' }));
    expect(root).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await waitFor(() => expect(requestsTo('/api/v1/me')).toHaveLength(1));
    expect(await bodyOf(requestsTo('/api/v1/me')[0])).toEqual({
      preferences: { ...DEFAULT_PREFERENCES, colorScheme: 'dark' },
    });

    // Back to following the system (light in jsdom), saved as "auto".
    await user.click(within(scheme).getByRole('radio', { name: 'System' }));
    expect(root).toHaveAttribute('data-mantine-color-scheme', 'light');
    await waitFor(() => expect(requestsTo('/api/v1/me')).toHaveLength(2));
    expect(await bodyOf(requestsTo('/api/v1/me')[1])).toEqual({
      preferences: { ...DEFAULT_PREFERENCES, colorScheme: 'auto' },
    });
    expect(within(scheme).getByRole('radio', { name: 'System' })).toBeChecked();
  });

  it('keeps the colour scheme on this device only while signed out', async () => {
    const user = userEvent.setup({ delay: null });
    renderShell();

    const scheme = screen.getByRole('radiogroup', { name: 'Colour scheme' });
    await user.click(within(scheme).getByRole('radio', { name: 'Dark' }));
    expect(root).toHaveAttribute('data-mantine-color-scheme', 'dark');
    expect(window.localStorage.getItem('mantine-color-scheme-value')).toBe('dark');

    await user.click(within(scheme).getByRole('radio', { name: 'System' }));
    expect(root).toHaveAttribute('data-mantine-color-scheme', 'light');
    expect(window.localStorage.getItem('mantine-color-scheme-value')).toBe('auto');
    expect(requestsTo('/api/v1/me')).toHaveLength(0);
  });

  it('apply high contrast and density, and are kept on this device for the next first paint', async () => {
    rememberSignIn();
    useApi(...signedInApi({ ...ada, preferences: { colorScheme: 'dark', highContrast: true, density: 'spacious' } }));
    renderShell();

    await screen.findByRole('button', { name: 'ada' });
    await waitFor(() => expect(root).toHaveAttribute('data-high-contrast'));
    expect(root).toHaveAttribute('data-density', 'spacious');
    expect(root).toHaveAttribute('data-mantine-color-scheme', 'dark');
    // public/preferences.js reads these before the app starts.
    await waitFor(() =>
      expect(JSON.parse(window.localStorage.getItem(PREFERENCES_STORAGE_KEY) ?? '{}')).toMatchObject({
        colorScheme: 'dark',
        highContrast: true,
        density: 'spacious',
      }),
    );
    expect(window.localStorage.getItem('mantine-color-scheme-value')).toBe('dark');
  });

  it("apply a visitor's choices kept on this device, which an account that chose nothing keeps", async () => {
    window.localStorage.setItem(
      PREFERENCES_STORAGE_KEY,
      JSON.stringify({ ...DEFAULT_PREFERENCES, highContrast: true, density: 'compact', fontScale: 1.125 }),
    );
    const { unmount } = renderShell();

    expect(screen.getByRole('heading', { name: 'Home' })).toBeInTheDocument();
    expect(root).toHaveAttribute('data-high-contrast');
    expect(root).toHaveAttribute('data-density', 'compact');
    expect(root.style.fontSize).toBe('112.5%');
    unmount();

    // Signing in with an account that never chose (stored `{}`) changes nothing.
    rememberSignIn();
    useApi(...signedInApi({ ...ada, preferences: {} }));
    renderShell();
    await screen.findByRole('button', { name: 'ada' });
    expect(root).toHaveAttribute('data-high-contrast');
    expect(root).toHaveAttribute('data-density', 'compact');
    expect(root.style.fontSize).toBe('112.5%');
  });
});
