import { STYLE } from './layout';
import type { MailTemplateSource } from './template-source';

export const commentApprovedTemplate: MailTemplateSource<'comment-approved'> = {
  subject: 'Your comment on "{{postTitle}}" was approved',
  preheader: 'Your comment on "{{postTitle}}" is now visible to everyone.',
  html: `<h1 style="${STYLE.h1}">Your comment was approved</h1>
<p style="${STYLE.p}">Hi {{username}},</p>
<p style="${STYLE.p}">Your comment on <strong>{{postTitle}}</strong> was approved and is now visible to everyone.</p>
{{> button url=commentUrl label="View your comment"}}`,
  text: `Hi {{username}},

Your comment on "{{postTitle}}" was approved and is now visible to everyone:

{{commentUrl}}`,
  reason: 'You received this email because you commented on a post on Atrium.',
  links: ['commentUrl'],
};
