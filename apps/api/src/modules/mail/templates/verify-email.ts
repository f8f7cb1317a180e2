import { STYLE } from './layout';
import type { MailTemplateSource } from './template-source';

export const verifyEmailTemplate: MailTemplateSource<'verify-email'> = {
  subject: 'Confirm your email address for Atrium',
  preheader: 'One click and your Atrium account is ready, {{username}}.',
  html: `<h1 style="${STYLE.h1}">Confirm your email address</h1>
<p style="${STYLE.p}">Hi {{username}},</p>
<p style="${STYLE.p}">Thanks for signing up for Atrium. Please confirm that this is your email address to finish setting up your account.</p>
{{> button url=verifyUrl label="Confirm email address"}}
<p style="${STYLE.small}">This link expires in {{plural expiresInHours "hour"}}. If you did not create an Atrium account, you can ignore this email.</p>`,
  text: `Hi {{username}},

Thanks for signing up for Atrium. Please confirm that this is your email address to finish setting up your account:

{{verifyUrl}}

This link expires in {{plural expiresInHours "hour"}}. If you did not create an Atrium account, you can ignore this email.`,
  reason: 'You received this email because someone signed up for Atrium with this address.',
  links: ['verifyUrl'],
};
