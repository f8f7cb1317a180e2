import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { envelope, errorEnvelope, message } from '../../test/api-fixtures';
import { bodyOf } from '../../test/auth';
import { api, callsTo, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { ConfirmEmailChangePage } from './ConfirmEmailChangePage';

const renderAt = (path: string) =>
  renderPage([{ path: paths.confirmEmail, element: <ConfirmEmailChangePage /> }], path);

const TOKEN = 'fH-t1jnRynORneHI9B5Hmrs7U2ojtuWN1mmqJHRckKE';

describe('Confirm-email page (link mailed to the new address of an email change)', () => {
  it('posts the token from the URL once and says the address changed, with a way to sign in', async () => {
    useApi(
      api.post('/api/v1/auth/confirm-email-change', () =>
        json(message("Your account's address is now ada@example.org")),
      ),
    );
    renderAt(`/confirm-email?token=${TOKEN}`);

    const heading = await screen.findByRole('heading', { level: 1, name: 'Email address changed' });
    expect(heading).toHaveFocus();
    expect(screen.getByText(/Your account's address is now ada@example\.org/)).toBeInTheDocument();
    expect(within(screen.getByRole('main')).getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in');
    const posts = requestsTo('/api/v1/auth/confirm-email-change');
    expect(posts).toHaveLength(1);
    expect(await bodyOf(posts[0])).toEqual({ token: TOKEN });
  });

  it('says when the link is used, expired or the address was taken meanwhile', async () => {
    useApi(
      api.post('/api/v1/auth/confirm-email-change', () =>
        json(errorEnvelope('CONFLICT', 'This email address is already registered', 'req-c'), 409),
      ),
    );
    renderAt(`/confirm-email?token=${TOKEN}`);

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Your email address was not changed' }),
    ).toBeInTheDocument();
    expect(within(screen.getByRole('alert')).getByText('This email address is already registered')).toBeInTheDocument();
    expect(screen.getByText(/Links work once and expire after 24 hours/)).toBeInTheDocument();
  });

  it.each([
    ['without a token', '/confirm-email'],
    ['with a token cut short', `/confirm-email?token=${TOKEN.slice(0, 20)}`],
  ])('says a link %s is damaged, without asking the API', async (_, path) => {
    useApi(api.post('/api/v1/auth/confirm-email-change', () => json(envelope({ message: 'no' }))));
    renderAt(path);

    expect(
      await screen.findByRole('heading', { level: 1, name: 'This link is incomplete or damaged' }),
    ).toBeInTheDocument();
    expect(callsTo('/api/v1/auth/confirm-email-change')).toBe(0);
  });
});
