import { Injectable } from '@nestjs/common';
import { ErrorCode, type Permission, PERMISSIONS } from '@atrium/contracts';
import { ApiException } from '../../common/http/api.exception';
import type { AuthUser } from '../identity/auth.decorators';
import { AbilityService, type AppAbility } from './ability.service';

const abilities = new WeakMap<AuthUser, Promise<AppAbility>>();

/** Route-level checks (`@RequirePermissions`) and the ability services use for object-level ones. */
@Injectable()
export class AuthorizationService {
  constructor(private readonly abilities: AbilityService) {}

  /** The request's ability, built once per request (the user object is per request). */
  abilityOf(user: AuthUser): Promise<AppAbility> {
    let ability = abilities.get(user);
    if (!ability) {
      ability = this.abilities.abilityFor({ id: user.id, scopes: user.pat?.scopes });
      abilities.set(user, ability);
    }
    return ability;
  }

  async can(user: AuthUser, permission: Permission): Promise<boolean> {
    const [resource, action] = permission.split(':');
    return (await this.abilityOf(user)).can(action, resource);
  }

  async assertAll(user: AuthUser, permissions: readonly Permission[]): Promise<void> {
    for (const permission of permissions) {
      if (!(await this.can(user, permission))) {
        throw new ApiException(403, ErrorCode.FORBIDDEN, `You need the "${permission}" permission`);
      }
    }
  }

  /**
   * Permission names the user holds without conditions (everything for `manage all`); what
   * `GET /auth/me` reports and what may be granted onward.
   */
  async heldPermissions(user: AuthUser): Promise<Permission[]> {
    const ability = await this.abilityOf(user);
    return PERMISSIONS.filter((permission) => {
      const [resource, action] = permission.split(':');
      return ability.rulesFor(action, resource).some((rule) => !rule.inverted && !rule.conditions);
    });
  }

  /** Permissions the user holds only under conditions (such as their own posts). */
  async conditionalPermissions(user: AuthUser): Promise<Permission[]> {
    const ability = await this.abilityOf(user);
    const unconditional = new Set(await this.heldPermissions(user));
    return PERMISSIONS.filter((permission) => {
      const [resource, action] = permission.split(':');
      return !unconditional.has(permission) && ability.can(action, resource);
    });
  }
}
