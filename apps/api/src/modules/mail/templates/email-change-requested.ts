import { STYLE } from './layout';
import type { MailTemplateSource } from './template-source';

export const emailChangeRequestedTemplate: MailTemplateSource<'email-change-requested'> = {
  subject: 'Someone asked to move your Atrium account to another address',
  preheader: 'A move of your Atrium account to {{newEmail}} was asked for on {{datetime requestedAt}}.',
  html: `<h1 style="${STYLE.h1}">A change of address was asked for</h1>
<p style="${STYLE.p}">Hi {{username}},</p>
<p style="${STYLE.p}">On {{datetime requestedAt}}, someone signed in to your Atrium account asked to move it to the address <strong>{{newEmail}}</strong>. Nothing changes unless the link mailed to that address is followed.</p>
<p style="${STYLE.p}">If this was you, there is nothing else to do.</p>
<p style="${STYLE.p}"><strong>If this was not you</strong>, someone else knows your password. Change it now to lock them out:</p>
{{> button url=resetUrl label="Reset your password"}}`,
  text: `Hi {{username}},

On {{datetime requestedAt}}, someone signed in to your Atrium account asked to move it to the address {{newEmail}}. Nothing changes unless the link mailed to that address is followed.

If this was you, there is nothing else to do.

If this was not you, someone else knows your password. Change it now to lock them out:

{{resetUrl}}`,
  reason:
    'You received this security notice because someone asked to move the Atrium account with this address to another one.',
  links: ['resetUrl'],
};
