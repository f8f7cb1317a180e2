import { PostMediaEntity } from './post-media.entity';
import { PostRevisionEntity } from './post-revision.entity';
import { PostSlugEntity } from './post-slug.entity';
import { PostViewBatchEntity } from './post-view-batch.entity';
import { PostEntity } from './post.entity';

/** The tables the posts module owns (database/entities.ts gathers every module's list). */
export const POSTS_ENTITIES = [PostEntity, PostSlugEntity, PostRevisionEntity, PostViewBatchEntity, PostMediaEntity];
