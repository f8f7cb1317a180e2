import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '../../common/auth';
import { PublicContentCache } from '../../common/cache';
import { Errors } from '../../common/http/errors';
import { Paginated } from '../../common/http/pagination';
import { Transactions } from '../../database/transactions';
import { DomainEvents } from '../../events/domain-events.publisher';
import { AuditService } from '../audit/audit.service';
import { PolicyService } from '../authorization/policy.service';
import { isAvatarKey } from '../avatars/avatar-key';
import { type AvatarStorage } from '../avatars/storage/avatar-storage';
import type { PaginationQueryDto } from '../../common/http/pagination';
import type { MediaDto, UpdateMediaDto } from './dto/media.dto';
import type { MediaEntity } from './entities/media.entity';
import { MediaRepository } from './media.repository';
import { toMediaImage } from './media-image';
import { MediaAltChangedEvent } from './media.events';

export const MEDIA_STORAGE = Symbol('MEDIA_STORAGE');

/** Where the API serves a stored variant. */
export const mediaFileUrl = (key: string): string => `/api/v1/media/files/${key}`;

/** `media:<uuid>` in a post's Markdown: an image of the library, by id. */
export const MEDIA_REFERENCE = /media:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/gi;

/** What a post's HTML needs to show an image of the library. */
export interface MediaRendering {
  src: string;
  srcset: string;
  width: number;
  height: number;
  alt: string | null;
  caption: string | null;
}

/** No post has this author: a grant that holds for it holds for everyone's posts (an editor's). */
const SOMEONE_ELSE = '00000000-0000-0000-0000-000000000000';

export function renderingOf(media: MediaEntity): MediaRendering {
  const largest = media.variants[media.variants.length - 1];
  return {
    src: mediaFileUrl(largest.key),
    srcset: media.variants.map((v) => `${mediaFileUrl(v.key)} ${v.width}w`).join(', '),
    width: largest.width,
    height: largest.height,
    alt: media.altText,
    caption: media.caption,
  };
}

/**
 * The media library (docs/API.md, "Media"): images uploaded by those who write posts, stored as
 * WebP variants (the avatar pipeline's checks and storage drivers), described by alt text and a
 * caption, used by posts by id. Owners manage their own; editors (who may edit anyone's posts) all.
 */
@Injectable()
export class MediaService {
  private readonly logger = new Logger('Media');

  constructor(
    @Inject(MEDIA_STORAGE) private readonly storage: AvatarStorage,
    private readonly transactions: Transactions,
    private readonly repository: MediaRepository,
    private readonly policy: PolicyService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly publicContent: PublicContentCache,
  ) {}

  private isStaff(actor: AuthUser): Promise<boolean> {
    return this.policy.can(actor, 'update', 'posts', { authorId: SOMEONE_ELSE });
  }

  async toDtos(rows: MediaEntity[]): Promise<MediaDto[]> {
    const usage = await this.repository.usage(rows.map((row) => row.id));
    return rows.map((row) => {
      const rendering = renderingOf(row);
      return {
        id: row.id,
        ownerId: row.ownerId,
        url: rendering.src,
        srcset: rendering.srcset,
        width: rendering.width,
        height: rendering.height,
        altText: row.altText,
        caption: row.caption,
        sourceFormat: row.sourceFormat,
        variants: row.variants.map((v) => ({
          url: mediaFileUrl(v.key),
          width: v.width,
          height: v.height,
          bytes: v.bytes,
        })),
        usedBy: usage.get(row.id) ?? 0,
        markdown: `![${(row.altText ?? '').replace(/[[\]\\]/g, '\\$&')}](media:${row.id})`,
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      };
    });
  }

  async upload(actor: AuthUser, upload: Buffer): Promise<MediaDto> {
    const image = await toMediaImage(upload);
    const stored: string[] = [];
    try {
      for (const variant of image.variants) {
        await this.storage.put(variant.key, variant.data);
        stored.push(variant.key);
      }
      const largest = image.variants[image.variants.length - 1];
      const row = await this.transactions.run(async () => {
        const saved = await this.repository.insert({
          ownerId: actor.id,
          altText: null,
          caption: null,
          width: largest.width,
          height: largest.height,
          sourceFormat: image.sourceFormat,
          variants: image.variants.map(({ key, width, height, bytes }) => ({ key, width, height, bytes })),
        });
        await this.audit.record({
          action: 'media.uploaded',
          target: `media:${saved.id}`,
          metadata: { uploadBytes: upload.length, sourceFormat: image.sourceFormat, variants: image.variants.length },
        });
        return saved;
      });
      return (await this.toDtos([row]))[0];
    } catch (error) {
      await this.discard(stored);
      throw error;
    }
  }

  async list(actor: AuthUser, query: PaginationQueryDto): Promise<Paginated<MediaDto>> {
    const staff = await this.isStaff(actor);
    const [rows, total] = await this.repository.page(
      staff ? undefined : actor.id,
      (query.page - 1) * query.perPage,
      query.perPage,
    );
    return new Paginated(await this.toDtos(rows), query.page, query.perPage, total);
  }

  /** An image the actor may manage: their own, or any for editors (404 for others: it is not theirs to know of). */
  private async managed(actor: AuthUser, id: string): Promise<MediaEntity> {
    const row = await this.repository.findById(id);
    if (!row || (row.ownerId !== actor.id && !(await this.isStaff(actor)))) throw Errors.notFound('media');
    return row;
  }

  async get(actor: AuthUser, id: string): Promise<MediaDto> {
    return (await this.toDtos([await this.managed(actor, id)]))[0];
  }

  async update(actor: AuthUser, id: string, input: UpdateMediaDto): Promise<MediaDto> {
    const row = await this.managed(actor, id);
    const altText = input.altText === undefined ? row.altText : input.altText || null;
    const caption = input.caption === undefined ? row.caption : input.caption || null;
    await this.transactions.run(async () => {
      await this.repository.describe(id, { altText, caption });
      await this.audit.record({ action: 'media.updated', target: `media:${id}` });
      // Posts carry the alt text and caption in their HTML: they are rendered again.
      if (altText !== row.altText || caption !== row.caption) {
        await this.events.publish(new MediaAltChangedEvent(id));
        // Covers carry the alt text too (read with the post): readers see the new one at once.
        await this.publicContent.changed();
      }
    });
    return this.get(actor, id);
  }

  /** Deletes an image; refused (409 MEDIA_IN_USE) while posts show it, unless forced. */
  async remove(actor: AuthUser, id: string, force: boolean): Promise<void> {
    const row = await this.managed(actor, id);
    const used = (await this.repository.usage([id])).get(id) ?? 0;
    if (used > 0 && !force) {
      throw Errors.conflict(
        `${used} post${used === 1 ? ' shows' : 's show'} this image: take it out of them first, or delete with ?force=true`,
        'id',
        'MEDIA_IN_USE',
      );
    }
    await this.transactions.run(async () => {
      await this.repository.delete(id);
      await this.audit.record({ action: 'media.deleted', target: `media:${id}`, metadata: { force, usedBy: used } });
      // Posts that showed it lose their cover (set null with the row): readers see that at once.
      if (used > 0) await this.publicContent.changed();
    });
    await this.discard(row.variants.map((v) => v.key));
  }

  /** The bytes of a stored variant; null for unknown keys and for anything that is not a key. */
  async file(key: string): Promise<Buffer | null> {
    if (!isAvatarKey(key)) return null;
    return this.storage.get(key);
  }

  private async discard(keys: string[]): Promise<void> {
    for (const key of keys) {
      // A file left behind costs disk, not correctness; the row is what counts.
      await this.storage
        .delete(key)
        .catch((error: Error) => this.logger.warn(`Could not delete ${key}: ${error.message}`));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // For posts

  /** The images a post's Markdown names (`media:<id>`), and its cover; 400 UNKNOWN_MEDIA for an id that names none. */
  async forPost(body: string, coverId: string | null): Promise<Map<string, MediaRendering>> {
    const ids = new Set([...body.matchAll(MEDIA_REFERENCE)].map((match) => match[1].toLowerCase()));
    if (coverId) ids.add(coverId);
    if (ids.size === 0) return new Map();
    const rows = await this.repository.findByIds([...ids]);
    const found = new Map(rows.map((row) => [row.id, renderingOf(row)]));
    const missing = [...ids].filter((id) => !found.has(id));
    if (missing.length > 0) {
      const field = coverId && missing.includes(coverId) ? 'coverMediaId' : 'body';
      throw Errors.invalidField(field, `No such image in the media library: ${missing.join(', ')}`, 'UNKNOWN_MEDIA');
    }
    return found;
  }

  /** Records which images a post shows (replacing what it showed before). Inside the post's save. */
  setPostMedia(postId: string, mediaIds: Iterable<string>): Promise<void> {
    return this.repository.setPostMedia(postId, mediaIds);
  }

  /** The posts that show an image (to render them again when its alt text changes). */
  postsUsing(mediaId: string): Promise<string[]> {
    return this.repository.postsUsing(mediaId);
  }

  /** The renderings of some images (covers of a page of posts), by id; missing ones are left out. */
  async renderings(ids: string[]): Promise<Map<string, MediaRendering>> {
    const rows = await this.repository.findByIds(ids);
    return new Map(rows.map((row) => [row.id, renderingOf(row)]));
  }
}
