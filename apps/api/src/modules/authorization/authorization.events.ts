import { DomainEvent } from '../../events/domain-events';

/**
 * Authorization events: what changes who may do what. Publish them after the change commits; the
 * ability cache listens (modules/authorization/ability.service.ts) and drops what they make stale.
 * Delivered payloads are plain JSON: listeners read the fields only.
 */

/** A user's role assignments changed (granted, revoked, expiry changed). */
export class UserRolesChangedEvent extends DomainEvent {
  static readonly eventName = 'user.roles-changed';
  readonly name = UserRolesChangedEvent.eventName;
  constructor(readonly userId: string) {
    super();
  }
}

/** What a role grants changed: its permissions, or its level or name (held roles are cached with them). */
export class RolePermissionsChangedEvent extends DomainEvent {
  static readonly eventName = 'role.permissions-changed';
  readonly name = RolePermissionsChangedEvent.eventName;
  constructor(readonly roleId: string) {
    super();
  }
}

/** A role was deleted, and with it every assignment of it. */
export class RoleDeletedEvent extends DomainEvent {
  static readonly eventName = 'role.deleted';
  readonly name = RoleDeletedEvent.eventName;
  constructor(readonly roleId: string) {
    super();
  }
}
