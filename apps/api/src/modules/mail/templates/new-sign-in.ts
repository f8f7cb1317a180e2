import { STYLE } from './layout';
import type { MailTemplateSource } from './template-source';

export const newSignInTemplate: MailTemplateSource<'new-sign-in'> = {
  subject: 'New sign-in to your Atrium account',
  preheader: 'Your Atrium account was signed in to on {{datetime at}}.',
  html: `<h1 style="${STYLE.h1}">New sign-in to your account</h1>
<p style="${STYLE.p}">Hi {{username}},</p>
<p style="${STYLE.p}">Your Atrium account was just signed in to:</p>
<dl style="margin:0 0 16px 0;">
<dt style="${STYLE.dt}">When</dt>
<dd style="${STYLE.dd}">{{datetime at}}</dd>
<dt style="${STYLE.dt}">IP address</dt>
<dd style="${STYLE.dd}">{{ip}}</dd>
<dt style="${STYLE.dt}">Device</dt>
<dd style="${STYLE.dd}">{{device}}</dd>
</dl>
<p style="${STYLE.p}">If this was you, there is nothing to do. If not, sign that session out and change your password.</p>
{{> button url=sessionsUrl label="Review your sessions"}}`,
  text: `Hi {{username}},

Your Atrium account was just signed in to:

When:       {{datetime at}}
IP address: {{ip}}
Device:     {{device}}

If this was you, there is nothing to do. If not, sign that session out and change your password:

{{sessionsUrl}}`,
  reason: 'You received this security notice because the Atrium account with this address was signed in to.',
  links: ['sessionsUrl'],
};
