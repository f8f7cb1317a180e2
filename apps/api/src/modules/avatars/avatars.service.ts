import { Inject, Injectable, Logger } from '@nestjs/common';
import { PublicContentCache } from '../../common/cache';
import { ErrorCode } from '@atrium/contracts';
import { ApiException } from '../../common/http/api.exception';
import { AuditService } from '../audit/audit.service';
import { toAvatarImage } from './avatar-image';
import { isAvatarKey, newAvatarKey } from './avatar-key';
import { UsersRepository } from '../identity/users.repository';
import { AVATAR_STORAGE, type AvatarStorage } from './storage/avatar-storage';

/** Profile pictures: checked, re-encoded, stored under a fresh key each time, and served publicly by key. */
@Injectable()
export class AvatarsService {
  private readonly logger = new Logger('Avatars');

  constructor(
    @Inject(AVATAR_STORAGE) private readonly storage: AvatarStorage,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    private readonly publicContent: PublicContentCache,
  ) {}

  /** Makes `upload` the user's avatar and removes the one it replaces; returns the new key. */
  async replace(userId: string, upload: Buffer): Promise<string> {
    const image = await toAvatarImage(upload);
    const key = newAvatarKey();
    await this.storage.put(key, image.data);
    let previousKey: string | null;
    try {
      const swap = await this.users.swapAvatarKey(userId, key);
      if (!swap.found) throw new ApiException(401, ErrorCode.UNAUTHENTICATED, 'Authentication required');
      previousKey = swap.previousKey;
    } catch (error) {
      await this.discard(key);
      throw error;
    }
    if (previousKey !== null) await this.discard(previousKey);
    // An author's picture shows on their posts.
    await this.publicContent.changed();
    await this.audit.record({
      actorId: userId,
      action: 'user.avatar_changed',
      target: `user:${userId}`,
      metadata: { key, previousKey, sourceFormat: image.sourceFormat, uploadBytes: upload.length },
    });
    return key;
  }

  /** Removes the user's avatar, if any. */
  async remove(userId: string): Promise<void> {
    const swap = await this.users.swapAvatarKey(userId, null);
    if (!swap.found) throw new ApiException(401, ErrorCode.UNAUTHENTICATED, 'Authentication required');
    if (swap.previousKey === null) return;
    await this.discard(swap.previousKey);
    await this.publicContent.changed();
    await this.audit.record({
      actorId: userId,
      action: 'user.avatar_removed',
      target: `user:${userId}`,
      metadata: { previousKey: swap.previousKey },
    });
  }

  /** The image stored under `key`; null for unknown keys and for anything that is not a key at all. */
  async image(key: string): Promise<Buffer | null> {
    // Only the current avatar of an account that is not deleted is public: a deleted account's
    // picture disappears at once (and returns if the account is restored).
    if (!isAvatarKey(key) || !(await this.users.hasAvatarKey(key))) return null;
    return this.storage.get(key);
  }

  /** An image nobody references any more. Failing to remove it costs disk space, never the request. */
  private async discard(key: string): Promise<void> {
    try {
      await this.storage.delete(key);
    } catch (error) {
      this.logger.warn({ err: error, key }, 'Could not delete an unreferenced avatar image');
    }
  }
}
