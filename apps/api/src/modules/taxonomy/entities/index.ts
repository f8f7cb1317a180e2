import { CategoryEntity } from './category.entity';
import { PostTagEntity } from './post-tag.entity';
import { TagEntity } from './tag.entity';

/** The tables the taxonomy module owns (database/entities.ts gathers every module's list). */
export const TAXONOMY_ENTITIES = [CategoryEntity, TagEntity, PostTagEntity];
