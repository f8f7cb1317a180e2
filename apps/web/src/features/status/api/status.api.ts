import type { InstanceInfo, ReadinessResponse } from '@atrium/api-client';

import { ApiError, apiClient, callApi, toApiError, UNEXPECTED_RESPONSE, unwrap } from '../../../lib/api';

export function fetchInstanceInfo(signal?: AbortSignal): Promise<InstanceInfo> {
  return unwrap(apiClient.GET('/api/v1/info', { signal }));
}

/**
 * Not enveloped: the probe's body is the readiness itself (with the per-dependency `checks` only
 * for operators). It answers 503 with the same body when
 * a dependency is down: that is a result to show, not a failure, so both the `data` (200) and the
 * `error` (503) bodies are accepted.
 */
export async function fetchReadiness(signal?: AbortSignal): Promise<ReadinessResponse> {
  return callApi(async () => {
    const { data, error, response } = await apiClient.GET('/readiness', { signal });
    const body: unknown = data ?? error;
    if (isReadinessResponse(body)) return body;
    if (response.ok) {
      throw new ApiError('The readiness probe answered with an unreadable body.', UNEXPECTED_RESPONSE, response.status);
    }
    throw toApiError(body, response);
  });
}

function isReadinessResponse(body: unknown): body is ReadinessResponse {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Partial<Record<keyof ReadinessResponse, unknown>>;
  // `checks` is there for operators only (READINESS_DETAILS); everyone else gets the status alone.
  return (
    (candidate.status === 'ready' || candidate.status === 'degraded' || candidate.status === 'not_ready') &&
    (candidate.checks === undefined || (typeof candidate.checks === 'object' && candidate.checks !== null))
  );
}
