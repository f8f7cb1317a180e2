import type { Schema } from '@atrium/api-client';

import { apiClient, callApi, unwrap } from '../../../lib/api';
import { session, type SessionUser } from '../../../lib/session';

export type RegisterInput = Schema<'RegisterDto'>;
/** The signed-in user with roles and the permissions held without conditions. */
export type Me = Schema<'MeDto'>;

/**
 * Signs up; the account stays unverified until the link in the mail is opened. Does not sign in.
 * The API answers the same for an address that already has an account (its owner gets a notice
 * instead), so the result is what was sent, not an account.
 */
export async function signUp(input: RegisterInput): Promise<Pick<RegisterInput, 'email' | 'username'>> {
  await unwrap(apiClient.POST('/api/v1/auth/register', { body: input }));
  return { email: input.email, username: input.username };
}

/**
 * `login` is an email address or a username; `totpCode` is for accounts with two-factor
 * authentication (the API answers `TOTP_REQUIRED` without it). The refresh token arrives as an
 * HttpOnly cookie.
 */
export async function signIn(login: string, password: string, totpCode?: string): Promise<SessionUser> {
  const { accessToken, user } = await unwrap(
    apiClient.POST('/api/v1/auth/login', {
      body: totpCode ? { login, password, totpCode } : { login, password },
      credentials: 'same-origin',
    }),
  );
  session.signedIn(accessToken, user);
  return user;
}

/** Ends this session on the server, then here; signed out locally even when the API cannot be reached. */
export async function signOut(): Promise<void> {
  try {
    await callApi(() => apiClient.POST('/api/v1/auth/logout', { credentials: 'same-origin' }));
  } catch {
    // The access token dies on its own within minutes; the refresh cookie is HttpOnly and stays
    // until it expires or the next sign-in replaces it. Nothing else to do from here.
  } finally {
    session.signedOut();
  }
}

/** Ends every session of the account, this one included. */
export async function signOutEverywhere(): Promise<void> {
  await unwrap(apiClient.POST('/api/v1/auth/logout-all', { credentials: 'same-origin' }));
  session.signedOut();
}

export type EmailVerification = Schema<'VerifyEmailResultDto'>;

/** `alreadyVerified`: the address was confirmed before (the link was opened again, or another one worked). */
export function verifyEmail(token: string): Promise<EmailVerification> {
  return unwrap(apiClient.POST('/api/v1/auth/verify-email', { body: { token } }));
}

export async function resendVerification(): Promise<string> {
  return (await unwrap(apiClient.POST('/api/v1/auth/resend-verification'))).message;
}

/** Moves the account to the address the mailed link was sent to (the link proved that mailbox). */
export async function confirmEmailChange(token: string): Promise<string> {
  return (await unwrap(apiClient.POST('/api/v1/auth/confirm-email-change', { body: { token } }))).message;
}

/** Always "accepted": whether an account uses the address is not revealed. */
export async function requestPasswordReset(email: string): Promise<string> {
  return (await unwrap(apiClient.POST('/api/v1/auth/forgot-password', { body: { email } }))).message;
}

/** Sets a new password with the token from the mail; the API ends every session of the account. */
export async function resetPassword(token: string, password: string): Promise<string> {
  const { message } = await unwrap(apiClient.POST('/api/v1/auth/reset-password', { body: { token, password } }));
  if (session.get().status === 'signed-in') session.signedOut();
  return message;
}

export function fetchMe(signal?: AbortSignal): Promise<Me> {
  return unwrap(apiClient.GET('/api/v1/auth/me', { signal }));
}

/** Reloads the signed-in user (after the email address was verified, for instance). */
export async function reloadUser(): Promise<void> {
  if (session.get().status !== 'signed-in') return;
  session.userChanged(await fetchMe());
}
