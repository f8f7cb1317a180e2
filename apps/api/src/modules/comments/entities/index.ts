import { CommentEntity } from './comment.entity';

/** The tables the comments module owns (database/entities.ts gathers every module's list). */
export const COMMENTS_ENTITIES = [CommentEntity];
