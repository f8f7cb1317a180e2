import type { Schema } from '@atrium/api-client';
import { ErrorCode } from '@atrium/contracts';

import { ApiError, apiClient, unwrap } from '../../../lib/api';

export type TwoFactorSetup = Schema<'TwoFactorSetupDto'>;
export type ApiToken = Schema<'ApiTokenDto'>;
export type CreatedApiToken = Schema<'CreatedApiTokenDto'>;
export type NewApiToken = Schema<'CreateApiTokenDto'>;
export type TokenScope = NewApiToken['scopes'][number];

/** The API refuses some account features (tokens) until the email address is confirmed. */
export const isEmailNotVerified = (error: unknown) =>
  error instanceof ApiError && error.code === ErrorCode.EMAIL_NOT_VERIFIED;

/** A new (pending) secret: two-factor authentication is on only once `enableTwoFactor` accepts a code. */
export function setupTwoFactor(): Promise<TwoFactorSetup> {
  return unwrap(apiClient.POST('/api/v1/auth/2fa/setup'));
}

/** Resolves to the ten recovery codes; the API shows them this once only. */
export async function enableTwoFactor(code: string): Promise<string[]> {
  return (await unwrap(apiClient.POST('/api/v1/auth/2fa/enable', { body: { code } }))).recoveryCodes;
}

export async function disableTwoFactor(password: string, code: string): Promise<void> {
  await unwrap(apiClient.POST('/api/v1/auth/2fa/disable', { body: { password, code } }));
}

export function fetchTokens(signal?: AbortSignal): Promise<ApiToken[]> {
  return unwrap(apiClient.GET('/api/v1/me/tokens', { signal }));
}

/** The answer carries the token itself (`atr_pat_…`), shown only now. */
export function createToken(input: NewApiToken): Promise<CreatedApiToken> {
  return unwrap(apiClient.POST('/api/v1/me/tokens', { body: input }));
}

export async function revokeToken(id: string): Promise<void> {
  await unwrap(apiClient.DELETE('/api/v1/me/tokens/{id}', { params: { path: { id } } }));
}

/** The API signs out every session and revokes every token of the account. */
export async function deleteAccount(password: string): Promise<void> {
  await unwrap(apiClient.DELETE('/api/v1/me', { body: { password } }));
}

/** Asks to move the account to `email`: nothing changes until the link mailed there is followed. */
export async function requestEmailChange(email: string, password: string): Promise<string> {
  return (await unwrap(apiClient.POST('/api/v1/me/email', { body: { email, password } }))).message;
}

/** The old username stays reserved for this account for 30 days. */
export function changeUsername(username: string): Promise<Schema<'UserDto'>> {
  return unwrap(apiClient.PUT('/api/v1/me/username', { body: { username } }));
}

/** A zip of the account's data, built in the background: `queued` → `running` (progress) → `done` (or `failed`). */
export type DataExport = Schema<'DataExportDto'>;

/** Starts an export (`202`); while one is being built, the API answers that one. */
export function startExport(): Promise<DataExport> {
  return unwrap(apiClient.POST('/api/v1/me/exports'));
}

export function fetchExport(id: string, signal?: AbortSignal): Promise<DataExport> {
  return unwrap(apiClient.GET('/api/v1/me/exports/{id}', { params: { path: { id } }, signal }));
}

/** The ten most recent exports, newest first. */
export function fetchExports(signal?: AbortSignal): Promise<DataExport[]> {
  return unwrap(apiClient.GET('/api/v1/me/exports', { signal }));
}
