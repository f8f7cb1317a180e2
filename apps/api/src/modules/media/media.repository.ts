import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Transactions } from '../../database/transactions';
import { PostMediaEntity } from '../posts/entities/post-media.entity';
import { MediaEntity } from './entities/media.entity';

/** The media table, and which posts show which images (post_media). */
@Injectable()
export class MediaRepository {
  constructor(private readonly tx: Transactions) {}

  private get media() {
    return this.tx.repository(MediaEntity);
  }

  insert(row: Omit<MediaEntity, 'id' | 'createdAt' | 'updatedAt'>): Promise<MediaEntity> {
    return this.media.save(this.media.create(row));
  }

  findById(id: string): Promise<MediaEntity | null> {
    return this.media.findOne({ where: { id } });
  }

  findByIds(ids: string[]): Promise<MediaEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.media.find({ where: { id: In([...new Set(ids)]) } });
  }

  /** A page, newest first: `ownerId`'s images, or everyone's when undefined. */
  page(ownerId: string | undefined, offset: number, limit: number): Promise<[MediaEntity[], number]> {
    return this.media.findAndCount({
      where: ownerId === undefined ? {} : { ownerId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: offset,
      take: limit,
    });
  }

  async describe(id: string, fields: { altText: string | null; caption: string | null }): Promise<void> {
    await this.media.update({ id }, fields);
  }

  async delete(id: string): Promise<void> {
    await this.media.delete({ id });
  }

  /** How many posts (not deleted) show each image. */
  async usage(ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ media_id: string; n: number }> = await this.tx.manager.query(
      `SELECT pm.media_id, count(*)::int AS n FROM post_media pm JOIN posts p ON p.id = pm.post_id
        WHERE pm.media_id = ANY($1::uuid[]) AND p.deleted_at IS NULL GROUP BY pm.media_id`,
      [ids],
    );
    return new Map(rows.map((row) => [row.media_id, row.n]));
  }

  /** Makes `mediaIds` the images `postId` shows. */
  async setPostMedia(postId: string, mediaIds: Iterable<string>): Promise<void> {
    const repository = this.tx.repository(PostMediaEntity);
    await repository.delete({ postId });
    const rows = [...new Set(mediaIds)].map((mediaId) => ({ postId, mediaId }));
    if (rows.length > 0) await repository.insert(rows);
  }

  async postsUsing(mediaId: string): Promise<string[]> {
    const rows = await this.tx.repository(PostMediaEntity).find({ where: { mediaId } });
    return rows.map((row) => row.postId);
  }
}
