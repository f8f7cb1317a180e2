import { Injectable } from '@nestjs/common';
import { Errors } from '../../common/http/errors';
import { Paginated } from '../../common/http/pagination';
import { PublicContentCache } from '../../common/cache';
import { Transactions } from '../../database/transactions';
import { AuditService } from '../audit/audit.service';
import { type CreateTagDto, type ListTagsQueryDto, type TagDto, type UpdateTagDto } from './dto/taxonomy.dto';
import type { TagEntity } from './entities/tag.entity';
import { chooseSlug } from './slugs';
import { TaxonomyRepository } from './taxonomy.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toTagDto(tag: TagEntity): TagDto {
  return {
    id: tag.id,
    name: tag.name,
    slug: tag.slug,
    color: tag.color?.toLowerCase() ?? null,
    usageCount: tag.usageCount,
    createdAt: tag.createdAt.toISOString(),
    updatedAt: tag.updatedAt.toISOString(),
  };
}

/** Tags: listed by everyone, made, renamed, merged and deleted by permission; counts always exact. */
@Injectable()
export class TagsService {
  constructor(
    private readonly taxonomy: TaxonomyRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly publicContent: PublicContentCache,
  ) {}

  async list(query: ListTagsQueryDto): Promise<Paginated<TagDto>> {
    const [tags, total] = await this.taxonomy.tagsPage(
      query.sort,
      query.q || undefined,
      (query.page - 1) * query.perPage,
      query.perPage,
    );
    return new Paginated(tags.map(toTagDto), query.page, query.perPage, total);
  }

  /**
   * The tag at this id or slug (slugs are lower case; a slug shaped like an id is tried as a slug
   * first). Tags keep no old slugs: a renamed slug is simply gone.
   */
  async find(idOrSlug: string): Promise<TagDto> {
    const tag =
      (await this.taxonomy.findTagBySlug(idOrSlug.toLowerCase())) ??
      (UUID.test(idOrSlug) ? await this.taxonomy.findTag(idOrSlug) : null);
    if (!tag) throw Errors.notFound('tag');
    return toTagDto(tag);
  }

  async get(id: string): Promise<TagDto> {
    const tag = await this.taxonomy.findTag(id);
    if (!tag) throw Errors.notFound('tag');
    return toTagDto(tag);
  }

  async create(input: CreateTagDto): Promise<TagDto> {
    return this.transactions.run(async () => {
      const tag = await this.taxonomy.insertTag({
        name: input.name,
        slug: await chooseSlug(this.taxonomy, 'tags', input.name, input.slug),
        color: input.color ?? null,
      });
      await this.audit.record({ action: 'tag.created', target: `tag:${tag.id}` });
      return toTagDto(tag);
    });
  }

  async update(id: string, input: UpdateTagDto): Promise<TagDto> {
    return this.transactions.run(async () => {
      // Posts show their category and tags: readers see the change at once.
      await this.publicContent.changed();
      const tag = await this.taxonomy.findTag(id);
      if (!tag) throw Errors.notFound('tag');
      if (input.name !== undefined) tag.name = input.name;
      if (input.slug !== undefined && input.slug !== tag.slug)
        tag.slug = await chooseSlug(this.taxonomy, 'tags', tag.name, input.slug, id);
      if (input.color !== undefined) tag.color = input.color;
      const saved = await this.taxonomy.saveTag(tag);
      await this.audit.record({ action: 'tag.updated', target: `tag:${id}` });
      return toTagDto(saved);
    });
  }

  /** Moves every post of `id` to `intoId` and deletes `id`; the target with its new count. */
  async merge(id: string, intoId: string): Promise<TagDto> {
    if (id === intoId) throw Errors.conflict('A tag cannot be merged into itself', 'intoId', 'SAME_TAG');
    await this.transactions.run(async () => {
      // Posts show their category and tags: readers see the change at once.
      await this.publicContent.changed();
      if (!(await this.taxonomy.mergeTag(id, intoId))) throw Errors.notFound('tag');
      await this.audit.record({ action: 'tag.merged', target: `tag:${intoId}`, metadata: { from: id } });
    });
    return this.get(intoId);
  }

  async remove(id: string): Promise<void> {
    await this.transactions.run(async () => {
      // Posts show their category and tags: readers see the change at once.
      await this.publicContent.changed();
      if (!(await this.taxonomy.deleteTag(id))) throw Errors.notFound('tag');
      await this.audit.record({ action: 'tag.deleted', target: `tag:${id}` });
    });
  }
}
