import { OutboxEventEntity } from '../events/outbox-event.entity';
import { AuditEventEntity } from '../modules/audit/audit-event.entity';
import { AUTHORIZATION_ENTITIES } from '../modules/authorization/entities';
import { COMMENTS_ENTITIES } from '../modules/comments/entities';
import { IDENTITY_ENTITIES } from '../modules/identity/entities';
import { DataExportEntity } from '../modules/exports/export.entity';
import { MEDIA_ENTITIES } from '../modules/media/entities';
import { POSTS_ENTITIES } from '../modules/posts/entities';
import { SYSTEM_ENTITIES } from '../modules/system/entities';
import { TAXONOMY_ENTITIES } from '../modules/taxonomy/entities';

/**
 * Every entity of the app, gathered from the lists each module keeps beside its entities: the
 * data source, the migration generator and the drift check read this list. A new module adds its
 * list here (docs/ARCHITECTURE.md, "Recipe").
 */
export const ENTITIES = [
  ...SYSTEM_ENTITIES,
  ...IDENTITY_ENTITIES,
  AuditEventEntity,
  ...AUTHORIZATION_ENTITIES,
  OutboxEventEntity,
  ...POSTS_ENTITIES,
  ...MEDIA_ENTITIES,
  DataExportEntity,
  ...TAXONOMY_ENTITIES,
  ...COMMENTS_ENTITIES,
];
