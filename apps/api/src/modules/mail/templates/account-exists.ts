import { STYLE } from './layout';
import type { MailTemplateSource } from './template-source';

export const accountExistsTemplate: MailTemplateSource<'account-exists'> = {
  subject: 'You already have an Atrium account',
  preheader: 'Someone tried to sign up with this address, which already has an account.',
  html: `<h1 style="${STYLE.h1}">You already have an account</h1>
<p style="${STYLE.p}">Hi {{username}},</p>
<p style="${STYLE.p}">Someone just tried to create an Atrium account with this address. It already has one, so nothing was created.</p>
<p style="${STYLE.p}">If it was you, sign in instead:</p>
{{> button url=signInUrl label="Sign in"}}
<p style="${STYLE.p}">Forgot your password? <a href="{{resetUrl}}">Choose a new one</a>.</p>
<p style="${STYLE.p}">If it was not you, there is nothing to do: your account is unchanged.</p>`,
  text: `Hi {{username}},

Someone just tried to create an Atrium account with this address. It already has one, so nothing was created.

If it was you, sign in instead:

{{signInUrl}}

Forgot your password? Choose a new one: {{resetUrl}}

If it was not you, there is nothing to do: your account is unchanged.`,
  reason: 'You received this email because someone tried to sign up to Atrium with this address.',
  links: ['signInUrl', 'resetUrl'],
};
