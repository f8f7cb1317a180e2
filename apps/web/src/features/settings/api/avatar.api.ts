import { apiClient, unwrap } from '../../../lib/api';
import { session } from '../../../lib/session';

/** What the API accepts (apps/api/src/modules/avatars/avatar-image.ts): checked here only to answer sooner. */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
export const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;

/** The signed-in user's avatar changed: the header, this page and anything else showing it follow. */
function avatarChanged(avatarUrl: string | null): void {
  const { user } = session.get();
  if (user) session.userChanged({ ...user, avatarUrl });
}

/**
 * Sends the picture as it is (`multipart/form-data`, one field `file`): the API decides the type
 * from the bytes, turns it upright, keeps the centred square and stores a 256×256 WebP without
 * metadata. Resolves to the new image's URL.
 */
export async function uploadAvatar(file: File): Promise<string | null> {
  const body = new FormData();
  body.append('file', file);
  const { avatarUrl } = await unwrap(
    // The spec types the binary field as a string; the client sends FormData as is (the browser sets the boundary).
    apiClient.PUT('/api/v1/me/avatar', { body: body as unknown as { file: string } }),
  );
  avatarChanged(avatarUrl);
  return avatarUrl;
}

export async function removeAvatar(): Promise<void> {
  await unwrap(apiClient.DELETE('/api/v1/me/avatar'));
  avatarChanged(null);
}
