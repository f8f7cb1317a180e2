import { Injectable } from '@nestjs/common';
import { Transactions } from '../../database/transactions';
import { CategoryEntity } from './entities/category.entity';
import { TagEntity } from './entities/tag.entity';

export const TAG_SORTS = ['popular', 'name'] as const;
export type TagSort = (typeof TAG_SORTS)[number];

/** Escapes `%`, `_` and `\` for a LIKE pattern. */
const likeEscaped = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** What a post shows of each of its tags. */
export type TagShown = Pick<TagEntity, 'id' | 'name' | 'slug' | 'color'>;

/**
 * Every query and write of `categories`, `tags` and `post_tags`. Tag counts change only here, by
 * the difference a write makes, with the tags' rows locked (in id order, so writers never
 * deadlock): `usage_count` is the number of `post_tags` rows of the tag at every commit.
 */
@Injectable()
export class TaxonomyRepository {
  constructor(private readonly tx: Transactions) {}

  private get categories() {
    return this.tx.repository(CategoryEntity);
  }

  private get tags() {
    return this.tx.repository(TagEntity);
  }

  /** Serialises slug choices of `table` until the transaction ends (two writers cannot take one slug at once). */
  lockSlugs(table: 'categories' | 'tags'): Promise<void> {
    return this.tx.lock(`${table}:slugs`);
  }

  /** The slugs of `table` other than `exceptId`'s that are `base` or start with `base-`. */
  async slugsLike(table: 'categories' | 'tags', base: string, exceptId?: string): Promise<Set<string>> {
    const rows: Array<{ slug: string }> = await this.tx.manager.query(
      `SELECT slug FROM ${table} WHERE (slug = $1 OR slug LIKE $2 ESCAPE '\\') AND id IS DISTINCT FROM $3`,
      [base, `${likeEscaped(base)}-%`, exceptId ?? null],
    );
    return new Set(rows.map((row) => row.slug));
  }

  // ---------------------------------------------------------------------------------------------
  // Categories

  /** Every category, siblings in their order (then by name). */
  allCategories(): Promise<CategoryEntity[]> {
    return this.categories.find({ order: { sortOrder: 'ASC', name: 'ASC', id: 'ASC' } });
  }

  /** Published posts (not deleted) filed directly under each category that has any. */
  async publishedPostCounts(): Promise<Map<string, number>> {
    const rows: Array<{ category_id: string; count: number }> = await this.tx.manager.query(
      `SELECT category_id, count(*)::int AS count FROM posts
        WHERE status = 'published' AND deleted_at IS NULL AND category_id IS NOT NULL
        GROUP BY category_id`,
    );
    return new Map(rows.map((row) => [row.category_id, row.count]));
  }

  findCategory(id: string): Promise<CategoryEntity | null> {
    return this.categories.findOne({ where: { id } });
  }

  findCategoryBySlug(slug: string): Promise<CategoryEntity | null> {
    return this.categories.findOne({ where: { slug } });
  }

  /**
   * The category, held until the transaction ends so that it cannot be deleted meanwhile (a post
   * filed under it, a child moved under it); null when there is none.
   */
  async holdCategory(id: string): Promise<CategoryEntity | null> {
    return this.categories.findOne({ where: { id }, lock: { mode: 'pessimistic_read' } });
  }

  /** The category, locked for a change of its own (a move, a deletion). */
  lockCategory(id: string): Promise<CategoryEntity | null> {
    return this.categories.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The category and every category below it (ids). */
  async subtreeIds(id: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.tx.manager.query(
      `WITH RECURSIVE subtree AS (
         SELECT id FROM categories WHERE id = $1
         UNION
         SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id
       )
       SELECT id FROM subtree`,
      [id],
    );
    return rows.map((row) => row.id);
  }

  /** What is filed directly under a category: posts (deleted ones too: they keep their category) and child categories. */
  async categoryUsage(id: string): Promise<{ posts: number; children: number }> {
    const [row]: Array<{ posts: number; children: number }> = await this.tx.manager.query(
      `SELECT (SELECT count(*)::int FROM posts WHERE category_id = $1) AS posts,
              (SELECT count(*)::int FROM categories WHERE parent_id = $1) AS children`,
      [id],
    );
    return row;
  }

  /** Files the posts and child categories of `from` under `to`. */
  async moveCategoryContents(from: string, to: string): Promise<void> {
    await this.tx.manager.query(`UPDATE posts SET category_id = $2 WHERE category_id = $1`, [from, to]);
    await this.tx.manager.query(`UPDATE categories SET parent_id = $2, updated_at = now() WHERE parent_id = $1`, [
      from,
      to,
    ]);
  }

  insertCategory(category: Partial<CategoryEntity>): Promise<CategoryEntity> {
    return this.categories.save(this.categories.create(category));
  }

  saveCategory(category: CategoryEntity): Promise<CategoryEntity> {
    return this.categories.save(category);
  }

  async deleteCategory(id: string): Promise<void> {
    await this.categories.delete({ id });
  }

  // ---------------------------------------------------------------------------------------------
  // Tags

  /** A page of tags, most used or by name, optionally those whose name or slug starts with `q`. */
  async tagsPage(sort: TagSort, q: string | undefined, offset: number, limit: number): Promise<[TagEntity[], number]> {
    const qb = this.tags.createQueryBuilder('t');
    if (q) {
      qb.where(`(lower(t.name) LIKE :prefix ESCAPE '\\' OR t.slug LIKE :prefix ESCAPE '\\')`, {
        prefix: `${likeEscaped(q.toLowerCase())}%`,
      });
    }
    if (sort === 'popular') qb.orderBy('t.usage_count', 'DESC').addOrderBy('t.name', 'ASC');
    else qb.orderBy('t.name', 'ASC');
    return qb.addOrderBy('t.id', 'ASC').offset(offset).limit(limit).getManyAndCount();
  }

  findTag(id: string): Promise<TagEntity | null> {
    return this.tags.findOne({ where: { id } });
  }

  findTagBySlug(slug: string): Promise<TagEntity | null> {
    return this.tags.findOne({ where: { slug } });
  }

  insertTag(tag: Partial<TagEntity>): Promise<TagEntity> {
    return this.tags.save(this.tags.create(tag));
  }

  saveTag(tag: TagEntity): Promise<TagEntity> {
    return this.tags.save(tag);
  }

  /** Locks the tags that exist among `ids`, in id order; returns them. */
  private async lockTags(ids: readonly string[]): Promise<TagEntity[]> {
    if (ids.length === 0) return [];
    return this.tags
      .createQueryBuilder('t')
      .where('t.id IN (:...ids)', { ids: [...new Set(ids)] })
      .orderBy('t.id', 'ASC')
      .setLock('pessimistic_write')
      .getMany();
  }

  /**
   * The tags on each of `postIds`, by name: what a post's summary shows of a tag, as plain objects (a
   * page of the feed made a TagEntity for every tag of every post on it; decision 119).
   */
  async tagsOfPosts(postIds: readonly string[]): Promise<Map<string, TagShown[]>> {
    const byPost = new Map<string, TagShown[]>(postIds.map((id) => [id, []]));
    if (postIds.length === 0) return byPost;
    const rows = (await this.tx.rawRows(
      `SELECT pt.post_id, t.id, t.name, t.slug, t.color
         FROM post_tags pt JOIN tags t ON t.id = pt.tag_id
        WHERE pt.post_id = ANY($1::uuid[])
        ORDER BY t.name, t.id`,
      [postIds],
    )) as Array<TagShown & { post_id: string }>;
    for (const row of rows)
      byPost.get(row.post_id)?.push({ id: row.id, name: row.name, slug: row.slug, color: row.color });
    return byPost;
  }

  /**
   * Makes `tagIds` the tags of the post (all of them must exist: the ones missing are returned
   * and nothing is written), adjusting every count the change touches.
   */
  async setPostTags(postId: string, tagIds: readonly string[]): Promise<{ missing: string[] }> {
    const current: Array<{ tag_id: string }> = await this.tx.manager.query(
      `SELECT tag_id FROM post_tags WHERE post_id = $1`,
      [postId],
    );
    const wanted = [...new Set(tagIds)];
    const locked = await this.lockTags([...wanted, ...current.map((row) => row.tag_id)]);
    const existing = new Set(locked.map((tag) => tag.id));
    const missing = wanted.filter((id) => !existing.has(id));
    if (missing.length > 0) return { missing };
    // DELETE and UPDATE … RETURNING answer [rows, count] through the pg driver; INSERT, the rows.
    const [removed] = await this.tx.manager.query<[Array<{ tag_id: string }>, number]>(
      `DELETE FROM post_tags WHERE post_id = $1 AND NOT (tag_id = ANY($2::uuid[])) RETURNING tag_id`,
      [postId, wanted],
    );
    const added: Array<{ tag_id: string }> = await this.tx.manager.query(
      `INSERT INTO post_tags (post_id, tag_id) SELECT $1, unnest($2::uuid[])
       ON CONFLICT DO NOTHING RETURNING tag_id`,
      [postId, wanted],
    );
    await this.adjustUsage(
      removed.map((row) => row.tag_id),
      -1,
    );
    await this.adjustUsage(
      added.map((row) => row.tag_id),
      1,
    );
    return { missing: [] };
  }

  private async adjustUsage(ids: string[], by: 1 | -1): Promise<void> {
    if (ids.length === 0) return;
    await this.tx.manager.query(
      `UPDATE tags SET usage_count = usage_count + $2, updated_at = now() WHERE id = ANY($1::uuid[])`,
      [ids, by],
    );
  }

  /**
   * Moves every post of `sourceId` to `intoId` (a post that had both keeps one) and deletes the
   * source; false when either is gone.
   */
  async mergeTag(sourceId: string, intoId: string): Promise<boolean> {
    const locked = await this.lockTags([sourceId, intoId]);
    if (locked.length !== 2) return false;
    await this.tx.manager.query(
      `DELETE FROM post_tags WHERE tag_id = $1 AND post_id IN (SELECT post_id FROM post_tags WHERE tag_id = $2)`,
      [sourceId, intoId],
    );
    const [, moved] = await this.tx.manager.query<[unknown[], number]>(
      `UPDATE post_tags SET tag_id = $2 WHERE tag_id = $1`,
      [sourceId, intoId],
    );
    await this.tx.manager.query(`UPDATE tags SET usage_count = usage_count + $2, updated_at = now() WHERE id = $1`, [
      intoId,
      moved,
    ]);
    await this.tags.delete({ id: sourceId });
    return true;
  }

  /** Deletes a tag (and takes it off its posts); false when it is gone. */
  async deleteTag(id: string): Promise<boolean> {
    const locked = await this.lockTags([id]);
    if (locked.length === 0) return false;
    await this.tags.delete({ id });
    return true;
  }
}
