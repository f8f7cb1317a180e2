import { STYLE } from './layout';
import type { MailTemplateSource } from './template-source';

export const emailChangedTemplate: MailTemplateSource<'email-changed'> = {
  subject: 'Your Atrium account moved to another email address',
  preheader: 'Your Atrium account uses {{newEmail}} since {{datetime changedAt}}.',
  html: `<h1 style="${STYLE.h1}">Your email address was changed</h1>
<p style="${STYLE.p}">Hi {{username}},</p>
<p style="${STYLE.p}">On {{datetime changedAt}}, your Atrium account moved to the address <strong>{{newEmail}}</strong>. Mail about the account goes there from now on; this address no longer signs in.</p>
<p style="${STYLE.p}">If this was you, there is nothing else to do.</p>
<p style="${STYLE.p}"><strong>If this was not you</strong>, someone else took over your account. Ask for a password reset with the new address, or contact the site's administrators:</p>
{{> button url=resetUrl label="Reset your password"}}`,
  text: `Hi {{username}},

On {{datetime changedAt}}, your Atrium account moved to the address {{newEmail}}. Mail about the account goes there from now on; this address no longer signs in.

If this was you, there is nothing else to do.

If this was not you, someone else took over your account. Ask for a password reset with the new address, or contact the site's administrators:

{{resetUrl}}`,
  reason: 'You received this security notice because the Atrium account with this address moved to another one.',
  links: ['resetUrl'],
};
