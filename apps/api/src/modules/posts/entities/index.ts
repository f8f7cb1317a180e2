import { PostRevisionEntity } from './post-revision.entity';
import { PostSlugEntity } from './post-slug.entity';
import { PostEntity } from './post.entity';

/** The tables the posts module owns (database/entities.ts gathers every module's list). */
export const POSTS_ENTITIES = [PostEntity, PostSlugEntity, PostRevisionEntity];
