import type { MailTemplate } from '../mail.types';
import { accountExistsTemplate } from './account-exists';
import { accountInviteTemplate } from './account-invite';
import { commentApprovedTemplate } from './comment-approved';
import { commentOnYourPostTemplate } from './comment-on-your-post';
import { commentsOnYourPostsTemplate } from './comments-on-your-posts';
import { exportReadyTemplate } from './export-ready';
import { confirmEmailChangeTemplate } from './confirm-email-change';
import { deliveryTestTemplate } from './delivery-test';
import { emailChangeRequestedTemplate } from './email-change-requested';
import { emailChangedTemplate } from './email-changed';
import { commentAwaitingModerationTemplate } from './comment-awaiting-moderation';
import { newSignInTemplate } from './new-sign-in';
import { passwordChangedTemplate } from './password-changed';
import { resetPasswordTemplate } from './reset-password';
import type { MailTemplateSource } from './template-source';
import { verifyEmailTemplate } from './verify-email';

export type { MailTemplateSource } from './template-source';

/** The sources of every template; a template added to `MAIL_TEMPLATES` without one does not compile. */
export const MAIL_TEMPLATE_SOURCES: { readonly [T in MailTemplate]: MailTemplateSource<T> } = {
  'verify-email': verifyEmailTemplate,
  'reset-password': resetPasswordTemplate,
  'password-changed': passwordChangedTemplate,
  'new-sign-in': newSignInTemplate,
  'comment-awaiting-moderation': commentAwaitingModerationTemplate,
  'comment-approved': commentApprovedTemplate,
  'comment-on-your-post': commentOnYourPostTemplate,
  'comments-on-your-posts': commentsOnYourPostsTemplate,
  'export-ready': exportReadyTemplate,
  'delivery-test': deliveryTestTemplate,
  'account-invite': accountInviteTemplate,
  'account-exists': accountExistsTemplate,
  'confirm-email-change': confirmEmailChangeTemplate,
  'email-change-requested': emailChangeRequestedTemplate,
  'email-changed': emailChangedTemplate,
};
