import { PermissionEntity } from './permission.entity';
import { RoleEntity } from './role.entity';
import { UserRoleEntity } from './user-role.entity';

/** The tables authorization owns (database/entities.ts gathers every module's list). */
export const AUTHORIZATION_ENTITIES = [RoleEntity, PermissionEntity, UserRoleEntity];
