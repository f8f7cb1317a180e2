import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { paths } from '../../app/paths';
import { ada, detailedErrorEnvelope, envelope, meOf, message } from '../../test/api-fixtures';
import { bodyOf, rememberSignIn, signedInApi } from '../../test/auth';
import { api, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { RequireAuth } from '../auth';
import { SecuritySettingsPage } from './SecuritySettingsPage';

const renderSecurityPage = () =>
  renderPage(
    [{ element: <RequireAuth />, children: [{ path: paths.settings.security, element: <SecuritySettingsPage /> }] }],
    paths.settings.security,
  );

const recoveryCodes = Array.from({ length: 10 }, (_, i) => `rc${i}-abcd-efgh`);

describe('Security settings page', () => {
  it('sets up two-factor authentication and shows the recovery codes once', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    let codeAccepted = false;
    const wrongCode = detailedErrorEnvelope('VALIDATION_ERROR', 'The code is wrong or expired', [
      {
        field: 'code',
        message: 'The code is wrong or expired; use the current one from your app',
        code: 'WRONG_CODE',
      },
    ]);
    useApi(
      ...signedInApi(),
      api.get('/api/v1/auth/me', () => json(envelope(meOf()))),
      api.post('/api/v1/auth/2fa/setup', () =>
        json(
          envelope({
            secret: 'JBSWY3DPEHPK3PXP',
            otpauthUri: 'otpauth://totp/Atrium:ada?secret=JBSWY3DPEHPK3PXP&issuer=Atrium',
          }),
        ),
      ),
      api.post('/api/v1/auth/2fa/enable', () =>
        codeAccepted ? json(envelope({ recoveryCodes })) : json(wrongCode, 400),
      ),
    );
    renderSecurityPage();

    expect(await screen.findByRole('heading', { level: 1, name: 'Security' })).toBeInTheDocument();
    const section = within(screen.getByRole('region', { name: 'Two-factor authentication' }));
    expect(await section.findByText('Off')).toBeInTheDocument();
    await user.click(section.getByRole('button', { name: 'Set up' }));

    expect(await section.findByRole('heading', { name: 'Add Atrium to your authenticator app' })).toHaveFocus();
    expect(section.getByText('JBSW Y3DP EHPK 3PXP')).toBeInTheDocument();
    expect(section.getByRole('button', { name: 'Copy key' })).toBeInTheDocument();

    const code = section.getByRole('textbox', { name: /6-digit code/ });
    await user.type(code, '000000');
    await user.click(section.getByRole('button', { name: 'Turn on' }));
    expect(
      await section.findByText('The code is wrong or expired; use the current one from your app.'),
    ).toBeInTheDocument();
    expect(code).toHaveAttribute('aria-invalid', 'true');
    expect(code).toHaveFocus();

    codeAccepted = true;
    await user.clear(code);
    await user.type(code, '123456');
    await user.click(section.getByRole('button', { name: 'Turn on' }));

    expect(await section.findByRole('heading', { name: /Save your recovery codes/ })).toHaveFocus();
    expect(section.getByText(/rc0-abcd-efgh/)).toHaveTextContent('rc9-abcd-efgh');
    expect(section.getByRole('button', { name: 'Copy codes' })).toBeInTheDocument();
    expect(await bodyOf(requestsTo('/api/v1/auth/2fa/enable')[1])).toEqual({ code: '123456' });

    await user.click(section.getByRole('button', { name: 'Done' }));
    expect(section.getByText('Confirm that you saved the recovery codes.')).toBeInTheDocument();
    await user.click(section.getByRole('checkbox', { name: 'I have saved these codes' }));
    await user.click(section.getByRole('button', { name: 'Done' }));

    expect(await section.findByText('On')).toBeInTheDocument();
    expect(section.queryByText(/rc0-abcd-efgh/)).not.toBeInTheDocument();
    expect(section.getByRole('button', { name: 'Turn off' })).toBeInTheDocument();
  });

  it('shows the setup as a QR code with a text alternative, and the key in groups of four to type', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    // What the API hands out: a 20-byte secret is 32 base32 characters.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    const otpauthUri = `otpauth://totp/Atrium:ada?issuer=Atrium&secret=${secret}&algorithm=SHA1&digits=6&period=30`;
    useApi(
      ...signedInApi(),
      api.get('/api/v1/auth/me', () => json(envelope(meOf()))),
      api.post('/api/v1/auth/2fa/setup', () => json(envelope({ secret, otpauthUri }))),
    );
    renderSecurityPage();

    const section = within(await screen.findByRole('region', { name: 'Two-factor authentication' }));
    await user.click(await section.findByRole('button', { name: 'Set up' }));

    // Drawn here (no image service sees the secret), lazily loaded, and named for assistive tech.
    const qr = await section.findByRole('img', { name: /^QR code for adding Atrium to your authenticator app/ });
    expect(qr.tagName.toLowerCase()).toBe('svg');
    expect(qr).toHaveAccessibleName(expect.stringContaining('The key below holds the same secret'));
    expect(qr.querySelectorAll('path').length).toBeGreaterThan(0);

    expect(section.getByText('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ')).toBeInTheDocument();
    expect(section.getByRole('button', { name: 'Copy key' })).toBeInTheDocument();
    expect(section.getByRole('link', { name: 'open the setup in the authenticator app' })).toHaveAttribute(
      'href',
      otpauthUri,
    );
  });

  it('turns it off with password and code, showing a wrong code on its field', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    let wrong = true;
    useApi(
      ...signedInApi({ ...ada, twoFactorEnabled: true }),
      api.get('/api/v1/auth/me', () => json(envelope(meOf({ ...ada, twoFactorEnabled: true })))),
      api.post('/api/v1/auth/2fa/disable', () =>
        wrong
          ? json(
              detailedErrorEnvelope('VALIDATION_ERROR', 'The password or the code is wrong', [
                { field: 'code', message: 'The password or the code is wrong', code: 'WRONG_CREDENTIALS' },
              ]),
              400,
            )
          : json(message('Two-factor authentication is off')),
      ),
    );
    renderSecurityPage();

    const section = within(await screen.findByRole('region', { name: 'Two-factor authentication' }));
    expect(await section.findByText('On')).toBeInTheDocument();
    await user.click(section.getByRole('button', { name: 'Turn off' }));

    const password = section.getByLabelText(/^Password/, { selector: 'input' });
    expect(password).toHaveFocus();
    const code = section.getByRole('textbox', { name: /Authentication code/ });
    await user.type(password, 'correct horse');
    await user.type(code, '111111');
    await user.click(section.getByRole('button', { name: 'Turn off' }));

    expect(await section.findByText('The password or the code is wrong.')).toBeInTheDocument();
    expect(code).toHaveAttribute('aria-invalid', 'true');
    expect(code).toHaveFocus();

    wrong = false;
    await user.clear(code);
    await user.type(code, 'abcd-efgh-ijkl');
    await user.click(section.getByRole('button', { name: 'Turn off' }));

    expect(await section.findByText('Two-factor authentication is off.')).toBeInTheDocument();
    expect(section.getByText('Off')).toBeInTheDocument();
    expect(await bodyOf(requestsTo('/api/v1/auth/2fa/disable')[1])).toEqual({
      password: 'correct horse',
      code: 'abcd-efgh-ijkl',
    });
  });
});
