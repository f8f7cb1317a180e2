import { STYLE } from './layout';
import type { MailTemplateSource } from './template-source';

export const confirmEmailChangeTemplate: MailTemplateSource<'confirm-email-change'> = {
  subject: 'Confirm the new email address of your Atrium account',
  preheader: 'One click and your Atrium account uses this address, {{username}}.',
  html: `<h1 style="${STYLE.h1}">Confirm your new email address</h1>
<p style="${STYLE.p}">Hi {{username}},</p>
<p style="${STYLE.p}">You asked to move your Atrium account to this email address. Please confirm that it is yours; until then, your account keeps its current address.</p>
{{> button url=confirmUrl label="Confirm new address"}}
<p style="${STYLE.small}">This link works once and expires in {{plural expiresInHours "hour"}}. If you did not ask for this, you can ignore this email: nothing changes.</p>`,
  text: `Hi {{username}},

You asked to move your Atrium account to this email address. Please confirm that it is yours; until then, your account keeps its current address:

{{confirmUrl}}

This link works once and expires in {{plural expiresInHours "hour"}}. If you did not ask for this, you can ignore this email: nothing changes.`,
  reason: 'You received this email because someone asked to move an Atrium account to this address.',
  links: ['confirmUrl'],
};
