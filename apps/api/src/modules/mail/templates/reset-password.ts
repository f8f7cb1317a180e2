import { STYLE } from './layout';
import type { MailTemplateSource } from './template-source';

export const resetPasswordTemplate: MailTemplateSource<'reset-password'> = {
  subject: 'Reset your Atrium password',
  preheader: 'Choose a new password for your Atrium account.',
  html: `<h1 style="${STYLE.h1}">Reset your password</h1>
<p style="${STYLE.p}">Hi {{username}},</p>
<p style="${STYLE.p}">We received a request to reset the password of your Atrium account. Choose a new password here:</p>
{{> button url=resetUrl label="Choose a new password"}}
<p style="${STYLE.small}">This link expires in {{plural expiresInMinutes "minute"}} and works once. If you did not ask for a reset, ignore this email: your password stays as it is.</p>`,
  text: `Hi {{username}},

We received a request to reset the password of your Atrium account. Choose a new password here:

{{resetUrl}}

This link expires in {{plural expiresInMinutes "minute"}} and works once. If you did not ask for a reset, ignore this email: your password stays as it is.`,
  reason: 'You received this email because a password reset was requested for the Atrium account with this address.',
  links: ['resetUrl'],
};
