import { STYLE } from './layout';
import type { MailTemplateSource } from './template-source';

/** Several comments on an author's posts in one digest period (decision 116); one comment has its own mail. */
export const commentsOnYourPostsTemplate: MailTemplateSource<'comments-on-your-posts'> = {
  subject: '{{plural commentCount "new comment"}} on your posts',
  preheader: '{{latestCommenterName}}: {{latestExcerpt}}',
  html: `<h1 style="${STYLE.h1}">New comments on your posts</h1>
<p style="${STYLE.p}">Hi {{username}},</p>
<p style="${STYLE.p}">{{plural commentCount "comment"}} came in on {{plural postCount "post"}} of yours. The newest, by <strong>{{latestCommenterName}}</strong> on <strong>{{latestPostTitle}}</strong>:</p>
<blockquote style="${STYLE.quote}">{{latestExcerpt}}</blockquote>
{{> button url=commentUrl label="Read and reply"}}`,
  text: `Hi {{username}},

{{plural commentCount "comment"}} came in on {{plural postCount "post"}} of yours. The newest, by {{latestCommenterName}} on "{{latestPostTitle}}":

{{latestExcerpt}}

Read and reply:

{{commentUrl}}`,
  reason: 'You received this email because you wrote these posts on Atrium.',
  links: ['commentUrl'],
};
