import { DEFAULT_PREFERENCES } from '@atrium/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { PREFERENCES_STORAGE_KEY } from '../../lib/preferences';
import { ada, detailedErrorEnvelope, envelope } from '../../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { RequireAuth } from '../auth';
import { AccessibilitySettingsPage, PublicAccessibilityPage } from './AccessibilitySettingsPage';

const root = document.documentElement;

const renderSettings = () =>
  renderPage(
    [
      {
        element: <RequireAuth />,
        children: [{ path: paths.settings.accessibility, element: <AccessibilitySettingsPage /> }],
      },
    ],
    paths.settings.accessibility,
  );
const renderPublic = () =>
  renderPage([{ path: paths.accessibility, element: <PublicAccessibilityPage /> }], paths.accessibility);

const form = () => within(screen.getByRole('form', { name: 'Accessibility and display' }));

afterEach(() => {
  root.removeAttribute('data-high-contrast');
  root.removeAttribute('data-density');
});

describe('Accessibility settings', () => {
  it('saves every preference with the account and applies them to the page at once', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.patch('/api/v1/me', async ({ request }) => {
        const { preferences } = (await request.clone().json()) as { preferences: typeof ada.preferences };
        return json(envelope({ ...ada, preferences }));
      }),
    );
    renderSettings();

    await screen.findByRole('heading', { level: 1, name: 'Accessibility' });
    expect(form().getByRole('radio', { name: 'Comfortable' })).toBeChecked();
    expect(form().getByRole('checkbox', { name: /High contrast/ })).not.toBeChecked();
    await user.click(form().getByRole('radio', { name: 'Dark' }));
    await user.click(form().getByRole('checkbox', { name: /High contrast/ }));
    await user.click(form().getByRole('radio', { name: /Spacious/ }));
    await user.click(form().getByRole('checkbox', { name: /Reduce motion/ }));
    await user.click(form().getByRole('radio', { name: 'Larger' }));
    await user.selectOptions(form().getByRole('combobox', { name: /Highest reading level/ }), '8');
    // Nothing applies before it is saved.
    expect(root).not.toHaveAttribute('data-high-contrast');
    await user.click(form().getByRole('button', { name: 'Save accessibility settings' }));

    expect(await screen.findByText('Accessibility settings saved to your account.')).toBeInTheDocument();
    expect(await bodyOf(requestsTo('/api/v1/me')[0])).toEqual({
      preferences: {
        colorScheme: 'dark',
        highContrast: true,
        density: 'spacious',
        reduceMotion: true,
        fontScale: 1.25,
        maxReadingLevel: 8,
      },
    });
    await waitFor(() => expect(root).toHaveAttribute('data-high-contrast'));
    expect(root).toHaveAttribute('data-mantine-color-scheme', 'dark');
    expect(root).toHaveAttribute('data-density', 'spacious');
    expect(root).toHaveAttribute('data-reduce-motion');
    expect(root.style.fontSize).toBe('125%');
    // The form shows what is now stored, and the next visit paints with it.
    expect(form().getByRole('radio', { name: /Spacious/ })).toBeChecked();
    expect(form().getByRole('combobox', { name: /Highest reading level/ })).toHaveValue('8');
    expect(JSON.parse(window.localStorage.getItem(PREFERENCES_STORAGE_KEY) ?? '{}')).toMatchObject({
      highContrast: true,
      density: 'spacious',
      maxReadingLevel: 8,
    });
  });

  it("shows the API's refusal of a value at its field", async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.patch('/api/v1/me', () =>
        json(
          detailedErrorEnvelope('VALIDATION_ERROR', 'Validation failed', [
            { field: 'preferences.density', code: 'IS_IN', message: 'density must be one of compact, comfortable' },
          ]),
          400,
        ),
      ),
    );
    renderSettings();

    await screen.findByRole('heading', { level: 1, name: 'Accessibility' });
    await user.click(form().getByRole('radio', { name: /Spacious/ }));
    await user.click(form().getByRole('button', { name: 'Save accessibility settings' }));

    expect(await screen.findByText('Density must be one of compact, comfortable.')).toBeInTheDocument();
    expect(root).not.toHaveAttribute('data-density', 'spacious');
  });

  it("keeps a visitor's choices on this device (no API call) and applies them", async () => {
    const user = userEvent.setup({ delay: null });
    renderPublic();

    await screen.findByRole('heading', { level: 1, name: 'Accessibility' });
    expect(screen.getByText(/Kept on this device/)).toBeInTheDocument();
    await user.click(form().getByRole('radio', { name: 'Dark' }));
    await user.click(form().getByRole('checkbox', { name: /High contrast/ }));
    await user.click(form().getByRole('radio', { name: /Compact/ }));
    await user.click(form().getByRole('button', { name: 'Save accessibility settings' }));

    expect(await screen.findByText('Accessibility settings saved on this device.')).toBeInTheDocument();
    expect(root).toHaveAttribute('data-mantine-color-scheme', 'dark');
    expect(root).toHaveAttribute('data-high-contrast');
    expect(root).toHaveAttribute('data-density', 'compact');
    expect(JSON.parse(window.localStorage.getItem(PREFERENCES_STORAGE_KEY) ?? '{}')).toEqual({
      ...DEFAULT_PREFERENCES,
      colorScheme: 'dark',
      highContrast: true,
      density: 'compact',
    });
    expect(window.localStorage.getItem('mantine-color-scheme-value')).toBe('dark');
    expect(requestsTo('/api/v1/me')).toHaveLength(0);
  });

  it('sends a signed-in user from the public page to the settings tab', async () => {
    rememberSignIn();
    useApi(...signedInApi());
    renderPublic();

    expect(
      await screen.findByRole('heading', { name: `Elsewhere: ${paths.settings.accessibility}` }),
    ).toBeInTheDocument();
  });
});
