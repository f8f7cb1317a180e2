import { STYLE } from './layout';
import type { MailTemplateSource } from './template-source';

export const deliveryTestTemplate: MailTemplateSource<'delivery-test'> = {
  subject: 'Atrium can send mail',
  preheader: 'This test message was sent on {{datetime requestedAt}}.',
  html: `<h1 style="${STYLE.h1}">Mail delivery works</h1>
<p style="${STYLE.p}">An operator asked Atrium to send this test message on {{datetime requestedAt}}. It went through the mail queue and the configured transport, so sign-up, password reset and notification mails will reach people too.</p>
{{> button url=appUrl label="Open Atrium"}}`,
  text: `Mail delivery works.

An operator asked Atrium to send this test message on {{datetime requestedAt}}. It went through the mail queue and the configured transport, so sign-up, password reset and notification mails will reach people too.

{{appUrl}}`,
  reason: 'You received this email because an Atrium operator sent a test message to this address.',
  links: ['appUrl'],
};
