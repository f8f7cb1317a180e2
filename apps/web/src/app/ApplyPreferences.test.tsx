import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { ada, envelope } from '../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../test/auth';
import { api, json, requestsTo, useApi } from '../test/msw';
import { renderRoutes } from '../test/render';
import { AppLayout } from './layout/AppLayout';

const root = document.documentElement;
const renderShell = () =>
  renderRoutes([{ element: <AppLayout />, children: [{ path: '/', element: <h1>Home</h1> }] }], '/');

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

  it("saves the header's colour toggle with a signed-in account", async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.patch('/api/v1/me', () =>
        json(envelope({ ...ada, preferences: { ...ada.preferences, colorScheme: 'dark' as const } })),
      ),
    );
    renderShell();

    await screen.findByRole('button', { name: 'ada' });
    await user.click(screen.getByRole('button', { name: 'Switch to dark colour scheme' }));

    expect(root).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await waitFor(() => expect(requestsTo('/api/v1/me')).toHaveLength(1));
    expect(await bodyOf(requestsTo('/api/v1/me')[0])).toEqual({
      preferences: { colorScheme: 'dark', reduceMotion: false, fontScale: 1 },
    });
  });

  it('keeps the colour toggle on this device only while signed out', async () => {
    const user = userEvent.setup({ delay: null });
    renderShell();

    await user.click(screen.getByRole('button', { name: 'Switch to dark colour scheme' }));

    expect(root).toHaveAttribute('data-mantine-color-scheme', 'dark');
    expect(requestsTo('/api/v1/me')).toHaveLength(0);
  });
});
