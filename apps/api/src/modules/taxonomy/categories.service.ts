import { Injectable } from '@nestjs/common';
import { Errors } from '../../common/http/errors';
import { PublicContentCache } from '../../common/cache';
import { Transactions } from '../../database/transactions';
import { AuditService } from '../audit/audit.service';
import {
  type CategoryDto,
  type CategoryNodeDto,
  type CreateCategoryDto,
  type UpdateCategoryDto,
} from './dto/taxonomy.dto';
import type { CategoryEntity } from './entities/category.entity';
import { chooseSlug } from './slugs';
import { TaxonomyRepository } from './taxonomy.repository';

/** Moves of categories in the tree are serialised, so two moves at once cannot make a cycle. */
const TREE_LOCK = 'categories:tree';

export function toCategoryDto(category: CategoryEntity): CategoryDto {
  return {
    id: category.id,
    name: category.name,
    slug: category.slug,
    description: category.description,
    parentId: category.parentId,
    sortOrder: category.sortOrder,
    createdAt: category.createdAt.toISOString(),
    updatedAt: category.updatedAt.toISOString(),
  };
}

/** Categories: a tree posts are filed under; the tree read by everyone, changed by permission. */
@Injectable()
export class CategoriesService {
  constructor(
    private readonly taxonomy: TaxonomyRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly publicContent: PublicContentCache,
  ) {}

  /** The whole tree, siblings in order, each with the published posts filed under it or below. */
  async tree(): Promise<CategoryNodeDto[]> {
    const [categories, counts] = await Promise.all([
      this.taxonomy.allCategories(),
      this.taxonomy.publishedPostCounts(),
    ]);
    const nodes = new Map<string, CategoryNodeDto>(
      categories.map((c) => [c.id, { ...toCategoryDto(c), postCount: counts.get(c.id) ?? 0, children: [] }]),
    );
    const roots: CategoryNodeDto[] = [];
    for (const category of categories) {
      const node = nodes.get(category.id)!;
      const parent = category.parentId ? nodes.get(category.parentId) : undefined;
      (parent ? parent.children : roots).push(node);
    }
    const total = (node: CategoryNodeDto): number =>
      (node.postCount += node.children.reduce((sum, child) => sum + total(child), 0));
    roots.forEach(total);
    return roots;
  }

  /** A parent that exists (held until commit, so it cannot be deleted meanwhile). */
  private async parent(parentId: string): Promise<CategoryEntity> {
    const parent = await this.taxonomy.holdCategory(parentId);
    if (!parent) throw Errors.invalidField('parentId', 'No such category', 'UNKNOWN_CATEGORY');
    return parent;
  }

  async create(input: CreateCategoryDto): Promise<CategoryDto> {
    return this.transactions.run(async () => {
      if (input.parentId) {
        await this.transactions.lock(TREE_LOCK);
        await this.parent(input.parentId);
      }
      const category = await this.taxonomy.insertCategory({
        name: input.name,
        slug: await chooseSlug(this.taxonomy, 'categories', input.name, input.slug),
        description: input.description ?? '',
        parentId: input.parentId ?? null,
        sortOrder: input.sortOrder ?? 0,
      });
      await this.audit.record({ action: 'category.created', target: `category:${category.id}` });
      return toCategoryDto(category);
    });
  }

  async update(id: string, input: UpdateCategoryDto): Promise<CategoryDto> {
    return this.transactions.run(async () => {
      // Posts show their category and tags: readers see the change at once.
      await this.publicContent.changed();
      if (input.parentId !== undefined) await this.transactions.lock(TREE_LOCK);
      const category = await this.taxonomy.lockCategory(id);
      if (!category) throw Errors.notFound('category');
      if (input.parentId !== undefined && input.parentId !== category.parentId) {
        if (input.parentId !== null) {
          await this.parent(input.parentId);
          if ((await this.taxonomy.subtreeIds(id)).includes(input.parentId)) {
            throw Errors.conflict('A category cannot go under itself or a category below it', 'parentId', 'CYCLE');
          }
        }
        category.parentId = input.parentId;
      }
      if (input.name !== undefined) category.name = input.name;
      if (input.slug !== undefined && input.slug !== category.slug) {
        category.slug = await chooseSlug(this.taxonomy, 'categories', category.name, input.slug, id);
      }
      if (input.description !== undefined) category.description = input.description;
      if (input.sortOrder !== undefined) category.sortOrder = input.sortOrder;
      const saved = await this.taxonomy.saveCategory(category);
      await this.audit.record({ action: 'category.updated', target: `category:${id}` });
      return toCategoryDto(saved);
    });
  }

  /**
   * Deletes a category. One with posts or child categories is refused (409) unless `moveTo`
   * names where they go (not the category itself nor one below it).
   */
  async remove(id: string, moveTo: string | undefined): Promise<void> {
    await this.transactions.run(async () => {
      // Posts show their category and tags: readers see the change at once.
      await this.publicContent.changed();
      await this.transactions.lock(TREE_LOCK);
      const category = await this.taxonomy.lockCategory(id);
      if (!category) throw Errors.notFound('category');
      const usage = await this.taxonomy.categoryUsage(id);
      if (usage.posts + usage.children > 0) {
        if (moveTo === undefined) {
          throw Errors.conflict(
            `The category holds ${usage.posts} post(s) and ${usage.children} categor${usage.children === 1 ? 'y' : 'ies'}: say where they go with ?moveTo=`,
            'moveTo',
            'IN_USE',
          );
        }
        if ((await this.taxonomy.subtreeIds(id)).includes(moveTo)) {
          throw Errors.conflict('Move its contents to a category outside it', 'moveTo', 'CYCLE');
        }
        const target = await this.taxonomy.holdCategory(moveTo);
        if (!target) throw Errors.invalidField('moveTo', 'No such category', 'UNKNOWN_CATEGORY');
        await this.taxonomy.moveCategoryContents(id, moveTo);
      }
      await this.taxonomy.deleteCategory(id);
      await this.audit.record({
        action: 'category.deleted',
        target: `category:${id}`,
        metadata: { slug: category.slug, ...(moveTo && usage.posts + usage.children > 0 ? { movedTo: moveTo } : {}) },
      });
    });
  }
}
