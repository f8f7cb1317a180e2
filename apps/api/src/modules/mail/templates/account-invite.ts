import { STYLE } from './layout';
import type { MailTemplateSource } from './template-source';

export const accountInviteTemplate: MailTemplateSource<'account-invite'> = {
  subject: 'You are invited to Atrium',
  preheader: '{{invitedBy}} created an Atrium account for you, {{username}}.',
  html: `<h1 style="${STYLE.h1}">Welcome to Atrium</h1>
<p style="${STYLE.p}">Hi {{username}},</p>
<p style="${STYLE.p}">{{invitedBy}} created an Atrium account for you. Choose a password to start using it.</p>
{{> button url=setPasswordUrl label="Choose your password"}}
<p style="${STYLE.small}">This link expires in {{plural expiresInHours "hour"}}. If you did not expect this invitation, you can ignore this email.</p>`,
  text: `Hi {{username}},

{{invitedBy}} created an Atrium account for you. Choose a password to start using it:

{{setPasswordUrl}}

This link expires in {{plural expiresInHours "hour"}}. If you did not expect this invitation, you can ignore this email.`,
  reason: 'You received this email because an Atrium administrator created an account with this address.',
  links: ['setPasswordUrl'],
};
