import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { ada } from '../../../test/api-fixtures';
import { rememberSignIn, signedInApi } from '../../../test/auth';
import { useApi } from '../../../test/msw';
import { renderPage } from '../../../test/render';

const PICTURE = '/api/v1/avatars/3f2a9c4d5e6f708192a3b4c5d6e7f809';

describe('AccountMenu', () => {
  it("shows the user's avatar beside the name, and their name and profile at the top of the menu", async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(...signedInApi({ ...ada, avatarUrl: PICTURE }));
    renderPage([{ path: '/', element: <h1>Home</h1> }], '/');

    const header = within(screen.getByRole('banner'));
    const button = await header.findByRole('button', { name: 'ada' });
    // The picture is decorative: the button is named by the username alone.
    expect(button.querySelector('img')?.getAttribute('src')).toBe(PICTURE);

    await user.click(button);
    const profile = await screen.findByRole('menuitem', { name: /Ada Lovelace/ });
    expect(profile).toHaveAttribute('href', '/u/ada');
    expect(profile).toHaveTextContent('Your public profile');
    expect(profile.querySelector('img')?.getAttribute('src')).toBe(PICTURE);
    expect(screen.getByRole('menuitem', { name: 'Settings' })).toHaveAttribute('href', '/settings/profile');
    expect(screen.getByRole('menuitem', { name: 'Sign out' })).toBeInTheDocument();
  });

  it('shows initials when the user has no picture', async () => {
    rememberSignIn();
    useApi(...signedInApi(ada));
    renderPage([{ path: '/', element: <h1>Home</h1> }], '/');

    const button = await within(screen.getByRole('banner')).findByRole('button', { name: 'ada' });
    expect(button.querySelector('img')).toBeNull();
    expect(button).toHaveTextContent('AL');
    // Initials in the text colour on the name's tint: 4.5:1 for any name (a name that draws
    // Mantine's lime gave 3.5:1 with its own shade — axe found it in the header).
    const initials = [...button.querySelectorAll<HTMLElement>('*')].find(
      (node) => node.textContent === 'AL' && node.children.length === 0,
    );
    expect(initials?.closest<HTMLElement>('[style]')?.getAttribute('style')).toContain('var(--mantine-color-text)');
  });
});
