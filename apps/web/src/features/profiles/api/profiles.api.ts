import type { Schema } from '@atrium/api-client';

import { apiClient, unwrap } from '../../../lib/api';

/** What anyone may see of a member: no email address, no account details. */
export type PublicProfile = Schema<'PublicProfileDto'>;

export function fetchProfile(username: string, signal?: AbortSignal): Promise<PublicProfile> {
  return unwrap(apiClient.GET('/api/v1/profiles/{username}', { params: { path: { username } }, signal }));
}
