import { Injectable } from '@nestjs/common';
import { In, LessThan } from 'typeorm';
import { Transactions } from '../../database/transactions';
import { DataExportEntity } from './export.entity';

export interface ExportPostRow {
  id: string;
  title: string;
  slug: string;
  status: string;
  visibility: string;
  excerpt: string;
  body_markdown: string;
  body_html: string;
  published_at: Date | null;
  created_at: Date;
  updated_at: Date;
  category: string | null;
  tags: string[];
}

export interface ExportCommentRow {
  id: string;
  post_id: string;
  post_title: string;
  parent_id: string | null;
  status: string;
  body_markdown: string;
  created_at: Date;
  edited_at: Date | null;
}

export interface ExportMediaRow {
  id: string;
  alt_text: string | null;
  caption: string | null;
  variants: Array<{ key: string; width: number }>;
  created_at: Date;
}

@Injectable()
export class ExportsRepository {
  constructor(private readonly tx: Transactions) {}

  private get exports() {
    return this.tx.repository(DataExportEntity);
  }

  insert(userId: string): Promise<DataExportEntity> {
    return this.exports.save(this.exports.create({ userId, status: 'queued', progress: 0 }));
  }

  findById(id: string): Promise<DataExportEntity | null> {
    return this.exports.findOne({ where: { id } });
  }

  /** The user's export still being built, if any. */
  unfinished(userId: string): Promise<DataExportEntity | null> {
    return this.exports.findOne({ where: { userId, status: In(['queued', 'running']) }, order: { createdAt: 'DESC' } });
  }

  recent(userId: string, limit: number): Promise<DataExportEntity[]> {
    return this.exports.find({ where: { userId }, order: { createdAt: 'DESC' }, take: limit });
  }

  async update(
    id: string,
    fields: Partial<Pick<DataExportEntity, 'status' | 'progress' | 'bytes' | 'finishedAt' | 'expiresAt' | 'error'>>,
  ): Promise<void> {
    await this.exports.update({ id }, fields);
  }

  /** Exports whose download ended before `before` (their files go), and rows older than `forgetBefore`. */
  expired(before: Date): Promise<DataExportEntity[]> {
    return this.exports.find({ where: { expiresAt: LessThan(before) } });
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.exports.delete({ id: In(ids) });
  }

  /** The user's posts (not deleted), comments (not deleted) and images, for the zip. */
  async contentOf(
    userId: string,
  ): Promise<{ posts: ExportPostRow[]; comments: ExportCommentRow[]; media: ExportMediaRow[] }> {
    const [posts, comments, media] = await Promise.all([
      this.tx.manager.query<ExportPostRow[]>(
        `SELECT p.id, p.title, p.slug, p.status, p.visibility, p.excerpt, p.body_markdown, p.body_html,
                p.published_at, p.created_at, p.updated_at, c.name AS category,
                COALESCE((SELECT array_agg(t.name ORDER BY t.name) FROM post_tags pt JOIN tags t ON t.id = pt.tag_id
                           WHERE pt.post_id = p.id), '{}') AS tags
           FROM posts p LEFT JOIN categories c ON c.id = p.category_id
          WHERE p.author_id = $1 AND p.deleted_at IS NULL ORDER BY p.created_at`,
        [userId],
      ),
      this.tx.manager.query<ExportCommentRow[]>(
        `SELECT c.id, c.post_id, p.title AS post_title, c.parent_id, c.status, c.body_markdown, c.created_at, c.edited_at
           FROM comments c JOIN posts p ON p.id = c.post_id
          WHERE c.author_id = $1 AND c.deleted_at IS NULL ORDER BY c.created_at`,
        [userId],
      ),
      this.tx.manager.query<ExportMediaRow[]>(
        `SELECT id, alt_text, caption, variants, created_at FROM media WHERE owner_id = $1 ORDER BY created_at`,
        [userId],
      ),
    ]);
    return { posts, comments, media };
  }
}
