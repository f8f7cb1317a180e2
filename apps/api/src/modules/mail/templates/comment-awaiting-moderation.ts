import { STYLE } from './layout';
import type { MailTemplateSource } from './template-source';

export const commentAwaitingModerationTemplate: MailTemplateSource<'comment-awaiting-moderation'> = {
  subject: 'New comment awaiting moderation on "{{postTitle}}"',
  preheader: '{{authorName}} commented on "{{postTitle}}".',
  html: `<h1 style="${STYLE.h1}">A comment is awaiting moderation</h1>
<p style="${STYLE.p}">{{authorName}} commented on <strong>{{postTitle}}</strong>:</p>
<blockquote style="${STYLE.quote}">{{commentExcerpt}}</blockquote>
<p style="${STYLE.p}">Readers will see it once it is approved.</p>
{{> button url=moderationUrl label="Review the comment"}}`,
  text: `{{authorName}} commented on "{{postTitle}}":

{{commentExcerpt}}

Readers will see it once it is approved. Review the comment:

{{moderationUrl}}`,
  reason: 'You received this email because you moderate comments on Atrium.',
  links: ['moderationUrl'],
};
