import type { InstanceInfo } from '@atrium/api-client';

import { apiClient, unwrap } from '../../../lib/api';

/**
 * The site's name and what runs it. Revalidated with the server every time (`no-cache`: an ETag
 * round trip, 304 when unchanged), so a name given at setup shows at once.
 */
export function fetchSiteInfo(signal?: AbortSignal): Promise<InstanceInfo> {
  return unwrap(apiClient.GET('/api/v1/info', { signal, cache: 'no-cache' }));
}
