import { Errors } from '../../common/http/errors';
import { freeSlug, slugify } from '../../common/text/slugify';
import { TAXONOMY_SLUG_MAX } from './dto/taxonomy.dto';
import type { TaxonomyRepository } from './taxonomy.repository';

/**
 * The slug asked for (409 `TAKEN` when another category or tag has it), or a free one made from
 * the name (`coast`, `coast-2` …). Call it in a transaction: the choice holds until it commits.
 */
export async function chooseSlug(
  taxonomy: TaxonomyRepository,
  table: 'categories' | 'tags',
  name: string,
  asked: string | undefined,
  exceptId?: string,
): Promise<string> {
  await taxonomy.lockSlugs(table);
  if (asked !== undefined) {
    if ((await taxonomy.slugsLike(table, asked, exceptId)).has(asked)) {
      throw Errors.conflict(`This slug is taken by another ${table === 'tags' ? 'tag' : 'category'}`, 'slug', 'TAKEN');
    }
    return asked;
  }
  // Room for a `-n` suffix within the limit.
  const base = slugify(name, TAXONOMY_SLUG_MAX - 8, table === 'tags' ? 'tag' : 'category');
  return freeSlug(base, await taxonomy.slugsLike(table, base, exceptId));
}
