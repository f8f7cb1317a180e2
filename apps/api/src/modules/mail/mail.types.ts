import type { AppConfig } from '../../config/app-config';

/** Every mail Atrium sends, by template name. */
export const MAIL_TEMPLATES = [
  'verify-email',
  'reset-password',
  'password-changed',
  'new-sign-in',
  'comment-awaiting-moderation',
  'comment-approved',
  'comment-on-your-post',
  'comments-on-your-posts',
  'export-ready',
  'delivery-test',
  'account-invite',
  'account-exists',
  'confirm-email-change',
  'email-change-requested',
  'email-changed',
] as const;

export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

/**
 * The variables of each template. Values are strings and numbers only, so a job survives the
 * JSON round trip through Redis unchanged: times are ISO-8601 strings, links are absolute URLs
 * built with {@link appLink}. Optional variables may be left out (JSON drops `undefined` anyway).
 */
export interface MailTemplateVariables {
  'verify-email': { username: string; verifyUrl: string; expiresInHours: number };
  'reset-password': { username: string; resetUrl: string; expiresInMinutes: number };
  'password-changed': {
    username: string;
    /** ISO-8601 time of the change. */
    changedAt: string;
    ip?: string;
    /** Where to start a password reset if the change was not the account owner's doing. */
    resetUrl?: string;
  };
  'new-sign-in': {
    username: string;
    /** ISO-8601 time of the sign-in. */
    at: string;
    ip: string;
    /** The browser and system, described as the sessions page describes them ("Chrome on Linux"). */
    device: string;
    sessionsUrl: string;
  };
  'comment-awaiting-moderation': {
    postTitle: string;
    commentExcerpt: string;
    authorName: string;
    moderationUrl: string;
  };
  'comment-approved': { username: string; postTitle: string; commentUrl: string };
  'export-ready': { username: string; downloadPageUrl: string; expiresInHours: number };
  'comment-on-your-post': {
    username: string;
    postTitle: string;
    commenterName: string;
    commentExcerpt: string;
    commentUrl: string;
  };
  /** Several comments in one digest period (decision 116): how many, on how many posts, and the newest. */
  'comments-on-your-posts': {
    username: string;
    commentCount: number;
    postCount: number;
    latestCommenterName: string;
    latestPostTitle: string;
    latestExcerpt: string;
    /** The newest comment. */
    commentUrl: string;
  };
  /** `npm run cli -- mail:test <address>`: proves the queue and the transport work. */
  'delivery-test': { requestedAt: string; appUrl: string };
  /** An administrator created the account: the link sets the first password (a reset token). */
  'account-invite': { username: string; invitedBy: string; setPasswordUrl: string; expiresInHours: number };
  /** A sign-up named this address, which has an account: its owner is told (the sign-up answer is the same). */
  'account-exists': { username: string; signInUrl: string; resetUrl: string };
  /** To the new address of an email change: the single-use link that makes the move. */
  'confirm-email-change': { username: string; confirmUrl: string; expiresInHours: number };
  /** To the current address when a move is asked for; `newEmail` is masked (`a***@e***.com`). */
  'email-change-requested': { username: string; newEmail: string; requestedAt: string; resetUrl: string };
  /** To the previous address once the move is done; `newEmail` is masked. */
  'email-changed': { username: string; newEmail: string; changedAt: string; resetUrl: string };
}

/** An address shown to its previous owner without giving it away whole: `ada@example.com` → `a***@e***.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}***@${host.slice(0, 1)}***${tld}`;
}

export type VarsOf<T extends MailTemplate> = MailTemplateVariables[T];

/** Names of a template's variables that hold links (by convention they end in `Url`). */
export type LinkVariable<T extends MailTemplate> = {
  [K in keyof VarsOf<T>]-?: K extends `${string}Url` ? K : never;
}[keyof VarsOf<T>];

/**
 * One mail to send, as it travels through the `mail` queue. Without a type argument it is the
 * union of every template's job, so `template` narrows `variables`.
 */
export type MailJob<T extends MailTemplate = MailTemplate> = {
  [K in T]: { to: string; template: K; variables: VarsOf<K> };
}[T];

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export interface MailDelivery {
  /** The Message-ID header of the sent message, angle brackets included. */
  messageId: string;
  delivered: 'smtp' | 'outbox';
  /** The `.eml` file, for a message written to the outbox. */
  path?: string;
}

/**
 * The message itself can never be sent as it is (unknown template, missing variable, a link
 * outside APP_URL, an unusable recipient): retrying it is pointless.
 */
export class InvalidMailError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidMailError';
  }
}

export function isMailTemplate(value: unknown): value is MailTemplate {
  return typeof value === 'string' && (MAIL_TEMPLATES as readonly string[]).includes(value);
}

const DOT_SEGMENT = /(^|\/)\.\.?(\/|$)/;

/**
 * An absolute link into the app at `path` (such as `/verify-email`) below `config.appUrl`,
 * keeping any base path APP_URL has, with `query` encoded. Refuses anything that could leave
 * the app: a full or protocol-relative URL, backslashes, dot segments, or a `?`/`#` in `path`.
 */
export function appLink(
  config: Pick<AppConfig, 'appUrl'>,
  path: string,
  query: Readonly<Record<string, string | number | undefined>> = {},
): string {
  if (!path.startsWith('/') || path.startsWith('//') || /[\\?#]/.test(path) || DOT_SEGMENT.test(path)) {
    throw new Error(`appLink needs a path inside the app such as "/verify-email", got "${path}"`);
  }
  const url = new URL(config.appUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = '';
  url.hash = '';
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.append(name, String(value));
  }
  return url.toString();
}
