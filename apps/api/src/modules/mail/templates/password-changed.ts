import { STYLE } from './layout';
import type { MailTemplateSource } from './template-source';

export const passwordChangedTemplate: MailTemplateSource<'password-changed'> = {
  subject: 'Your Atrium password was changed',
  preheader: 'The password of your Atrium account was changed on {{datetime changedAt}}.',
  html: `<h1 style="${STYLE.h1}">Your password was changed</h1>
<p style="${STYLE.p}">Hi {{username}},</p>
<p style="${STYLE.p}">The password of your Atrium account was changed on {{datetime changedAt}}{{#if ip}} from the IP address {{ip}}{{/if}}.</p>
<p style="${STYLE.p}">If this was you, there is nothing else to do.</p>
{{#if resetUrl}}
<p style="${STYLE.p}"><strong>If this was not you</strong>, someone else knows your password. Reset it now to lock them out:</p>
{{> button url=resetUrl label="Reset your password"}}
{{else}}
<p style="${STYLE.p}"><strong>If this was not you</strong>, someone else knows your password. Reset it now from the sign-in page to lock them out.</p>
{{/if}}`,
  text: `Hi {{username}},

The password of your Atrium account was changed on {{datetime changedAt}}{{#if ip}} from the IP address {{ip}}{{/if}}.

If this was you, there is nothing else to do.

{{#if resetUrl}}
If this was not you, someone else knows your password. Reset it now to lock them out:

{{resetUrl}}
{{else}}
If this was not you, someone else knows your password. Reset it now from the sign-in page to lock them out.
{{/if}}`,
  reason: 'You received this security notice because the password of the Atrium account with this address was changed.',
  links: ['resetUrl'],
};
