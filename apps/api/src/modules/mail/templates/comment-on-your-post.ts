import { STYLE } from './layout';
import type { MailTemplateSource } from './template-source';

export const commentOnYourPostTemplate: MailTemplateSource<'comment-on-your-post'> = {
  subject: '{{commenterName}} commented on "{{postTitle}}"',
  preheader: '{{commenterName}}: {{commentExcerpt}}',
  html: `<h1 style="${STYLE.h1}">A new comment on your post</h1>
<p style="${STYLE.p}">Hi {{username}},</p>
<p style="${STYLE.p}"><strong>{{commenterName}}</strong> commented on <strong>{{postTitle}}</strong>:</p>
<blockquote style="${STYLE.quote}">{{commentExcerpt}}</blockquote>
{{> button url=commentUrl label="Read and reply"}}`,
  text: `Hi {{username}},

{{commenterName}} commented on "{{postTitle}}":

{{commentExcerpt}}

Read and reply:

{{commentUrl}}`,
  reason: 'You received this email because you wrote this post on Atrium.',
  links: ['commentUrl'],
};
