import { OutboxEventEntity } from '../events/outbox-event.entity';
import { AuditEventEntity } from '../modules/audit/audit-event.entity';
import { PermissionEntity } from '../modules/authorization/entities/permission.entity';
import { RoleEntity } from '../modules/authorization/entities/role.entity';
import { UserRoleEntity } from '../modules/authorization/entities/user-role.entity';
import { ApiTokenEntity } from '../modules/identity/entities/api-token.entity';
import { EmailTokenEntity } from '../modules/identity/entities/email-token.entity';
import { SessionEntity } from '../modules/identity/entities/session.entity';
import { UserEntity } from '../modules/identity/entities/user.entity';
import { SystemInstanceEntity } from '../modules/system/entities/system-instance.entity';

/** Every entity of the app: the data source, the migration generator and the drift check read this list. */
export const ENTITIES = [
  SystemInstanceEntity,
  UserEntity,
  SessionEntity,
  EmailTokenEntity,
  ApiTokenEntity,
  AuditEventEntity,
  RoleEntity,
  PermissionEntity,
  UserRoleEntity,
  OutboxEventEntity,
];
