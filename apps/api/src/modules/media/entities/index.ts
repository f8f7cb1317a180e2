import { MediaEntity } from './media.entity';

export { MediaEntity, type MediaVariant } from './media.entity';

/** The tables the media module owns (database/entities.ts gathers every module's list). */
export const MEDIA_ENTITIES = [MediaEntity];
