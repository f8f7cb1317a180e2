import type { Schema } from '@atrium/api-client';
import { ErrorCode } from '@atrium/contracts';

import { ApiError, apiClient, callApi, toApiError } from '../../../lib/api';

/** The signed-in user with roles and the permissions held without conditions. */
export type Me = Schema<'MeDto'>;
export type TwoFactorSetup = Schema<'TwoFactorSetupDto'>;
export type ApiToken = Schema<'ApiTokenDto'>;
export type CreatedApiToken = Schema<'CreatedApiTokenDto'>;
export type NewApiToken = Schema<'CreateApiTokenDto'>;
export type TokenScope = NewApiToken['scopes'][number];

/** The API refuses some account features (tokens) until the email address is confirmed. */
export const isEmailNotVerified = (error: unknown) =>
  error instanceof ApiError && error.code === ErrorCode.EMAIL_NOT_VERIFIED;

export async function fetchMe(signal?: AbortSignal): Promise<Me> {
  return callApi(async () => {
    const { data, error, response } = await apiClient.GET('/api/v1/auth/me', { signal });
    if (data) return data.data;
    throw toApiError(error, response);
  });
}

/** A new (pending) secret: two-factor authentication is on only once `enableTwoFactor` accepts a code. */
export async function setupTwoFactor(): Promise<TwoFactorSetup> {
  return callApi(async () => {
    const { data, error, response } = await apiClient.POST('/api/v1/auth/2fa/setup');
    if (data) return data.data;
    throw toApiError(error, response);
  });
}

/** Resolves to the ten recovery codes; the API shows them this once only. */
export async function enableTwoFactor(code: string): Promise<string[]> {
  return callApi(async () => {
    const { data, error, response } = await apiClient.POST('/api/v1/auth/2fa/enable', { body: { code } });
    if (data) return data.data.recoveryCodes;
    throw toApiError(error, response);
  });
}

export async function disableTwoFactor(password: string, code: string): Promise<void> {
  await callApi(async () => {
    const { data, error, response } = await apiClient.POST('/api/v1/auth/2fa/disable', { body: { password, code } });
    if (!data) throw toApiError(error, response);
  });
}

export async function fetchTokens(signal?: AbortSignal): Promise<ApiToken[]> {
  return callApi(async () => {
    const { data, error, response } = await apiClient.GET('/api/v1/me/tokens', { signal });
    if (data) return data.data;
    throw toApiError(error, response);
  });
}

/** The answer carries the token itself (`atr_pat_…`), shown only now. */
export async function createToken(input: NewApiToken): Promise<CreatedApiToken> {
  return callApi(async () => {
    const { data, error, response } = await apiClient.POST('/api/v1/me/tokens', { body: input });
    if (data) return data.data;
    throw toApiError(error, response);
  });
}

export async function revokeToken(id: string): Promise<void> {
  await callApi(async () => {
    const { data, error, response } = await apiClient.DELETE('/api/v1/me/tokens/{id}', {
      params: { path: { id } },
    });
    if (!data) throw toApiError(error, response);
  });
}

/** The API signs out every session and revokes every token of the account. */
export async function deleteAccount(password: string): Promise<void> {
  await callApi(async () => {
    const { data, error, response } = await apiClient.DELETE('/api/v1/me', { body: { password } });
    if (!data) throw toApiError(error, response);
  });
}
