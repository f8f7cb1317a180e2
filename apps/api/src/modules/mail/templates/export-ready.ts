import { STYLE } from './layout';
import type { MailTemplateSource } from './template-source';

export const exportReadyTemplate: MailTemplateSource<'export-ready'> = {
  subject: 'Your Atrium data export is ready',
  preheader: 'Download it within {{expiresInHours}} hours.',
  html: `<h1 style="${STYLE.h1}">Your data export is ready</h1>
<p style="${STYLE.p}">Hi {{username}},</p>
<p style="${STYLE.p}">The zip of your profile, posts, comments and images is ready. Sign in and download it from your account settings within {{expiresInHours}} hours; after that, ask for a new one.</p>
{{> button url=downloadPageUrl label="Download your data"}}`,
  text: `Hi {{username}},

The zip of your profile, posts, comments and images is ready. Sign in and download it from your account settings within {{expiresInHours}} hours; after that, ask for a new one:

{{downloadPageUrl}}`,
  reason: 'You received this email because you asked for an export of your data on Atrium.',
  links: ['downloadPageUrl'],
};
