import { InvalidMailError } from './mail.types';

/** Failures of the account Atrium sends with, not of the message: they heal once an operator fixes the config. */
const OPERATOR_ERROR_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'ETLS', 'EREQUIRETLS']);
/** The message was refused before it reached a server: it has no usable recipient. */
const INVALID_MESSAGE_CODES = new Set(['EENVELOPE', 'EMAXRECIPIENTS']);

/**
 * Whether sending this message again can never succeed, so the queue should fail the job at once
 * instead of retrying it: the message is invalid (see {@link InvalidMailError}), or the server
 * rejected it for good — an SMTP 5xx reply such as 550 "no such user". 503 (bad sequence of
 * commands) is a session problem and is retried, as is everything without a verdict from the
 * server: a refused connection, a timeout, a 4xx reply ("try again later").
 *
 * Authentication and TLS failures are retried too although the server answers 5xx: the message is
 * fine, the credentials are wrong, and the mail should still go out once they are fixed.
 */
export function isPermanentMailError(error: unknown): boolean {
  if (error instanceof InvalidMailError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
  if (typeof code === 'string' && OPERATOR_ERROR_CODES.has(code)) return false;
  if (typeof responseCode === 'number') return responseCode >= 500 && responseCode < 600 && responseCode !== 503;
  return typeof code === 'string' && INVALID_MESSAGE_CODES.has(code);
}
