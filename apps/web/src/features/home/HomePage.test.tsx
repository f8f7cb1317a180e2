import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { ada, envelope, infoEnvelope, instanceInfo } from '../../test/api-fixtures';
import { rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { HomePage } from './HomePage';

const renderHome = () => renderPage([{ index: true, element: <HomePage /> }], paths.home);

interface Site {
  siteName?: string | null;
  required?: boolean;
  codeRequired?: boolean;
}

const siteApi = ({ siteName = 'The Reading Room', required = false, codeRequired = false }: Site = {}) => [
  api.get('/api/v1/info', () => json(infoEnvelope({ ...instanceInfo, siteName }))),
  api.get('/api/v1/setup', () => json(envelope({ required, codeRequired }))),
];

const main = () => within(screen.getByRole('main'));

describe('Home page', () => {
  it("welcomes anonymous visitors with the site's name, sign-up and sign-in, and the API docs", async () => {
    useApi(...siteApi());
    renderHome();

    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome to The Reading Room' })).toBeInTheDocument();
    expect(main().getByRole('link', { name: 'Create an account' })).toHaveAttribute('href', paths.signUp);
    expect(main().getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', paths.signIn);
    expect(main().getByRole('link', { name: 'API documentation' })).toHaveAttribute('href', '/reference');
    expect(main().getByRole('link', { name: 'Try it in Swagger UI' })).toHaveAttribute('href', '/docs');
    expect(main().getByRole('link', { name: 'System status' })).toHaveAttribute('href', paths.status);
    expect(main().getByRole('link', { name: 'Latest posts' })).toHaveAttribute('href', paths.posts);
    expect(screen.queryByRole('region', { name: 'Your account' })).not.toBeInTheDocument();
    // Not an ops page: nothing about the server's readiness, disk or paths.
    expect(requestsTo('/readiness')).toHaveLength(0);
    expect(screen.queryByText(instanceInfo.instance.id)).not.toBeInTheDocument();
  });

  it('says "Atrium" when the site was given no name', async () => {
    useApi(...siteApi({ siteName: null }));
    renderHome();

    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome to Atrium' })).toBeInTheDocument();
  });

  it('shows a signed-in member their account instead of the calls to sign up', async () => {
    rememberSignIn();
    useApi(...signedInApi(), ...siteApi());
    renderHome();

    const account = within(await screen.findByRole('region', { name: 'Your account' }));
    expect(account.getByText('Ada Lovelace')).toBeInTheDocument();
    expect(account.getByText(`@${ada.username} · ${ada.email}`)).toBeInTheDocument();
    expect(account.getByRole('link', { name: 'Your public profile' })).toHaveAttribute('href', '/u/ada');
    expect(account.getByRole('link', { name: 'Account settings' })).toHaveAttribute('href', paths.settings.profile);
    expect(main().queryByRole('link', { name: 'Create an account' })).not.toBeInTheDocument();
  });

  it('points to first-run setup while the site has no administrator', async () => {
    useApi(...siteApi({ siteName: null, required: true }));
    renderHome();

    const setUp = await main().findByRole('link', { name: 'Set up this site' });
    expect(setUp).toHaveAttribute('href', paths.setup);
    expect(main().getByText('This site has no administrator yet')).toBeInTheDocument();
    await waitFor(() => expect(main().queryByRole('link', { name: 'Create an account' })).not.toBeInTheDocument());
  });
});
