import { Injectable } from '@nestjs/common';
import { type Permission, PERMISSIONS } from '@atrium/contracts';
import type { Authorizer, AuthUser } from '../../common/auth';
import { Errors } from '../../common/http/errors';
import { AbilityService, type AppAbility, type CachedGrants } from './ability.service';

/** Per request (the user object is per request): the grants are read from the cache once. */
const grantsByRequest = new WeakMap<AuthUser, Promise<CachedGrants>>();
const abilities = new WeakMap<AuthUser, Promise<AppAbility>>();
/** What an ability holds without conditions: the same for every request that shares the ability (decision 118). */
const held = new WeakMap<AppAbility, Permission[]>();

/**
 * Route-level checks (`@RequirePermissions`, through the global guard) and the ability the policy
 * service uses for object-level ones. The guard and identity reach it as the `Authorizer`.
 */
@Injectable()
export class AuthorizationService implements Authorizer {
  constructor(private readonly abilities: AbilityService) {}

  /** The request's ability, built once per request (the user object is per request). */
  abilityOf(user: AuthUser): Promise<AppAbility> {
    let ability = abilities.get(user);
    if (!ability) {
      ability = this.grantsOf(user).then((grants) =>
        this.abilities.abilityFrom(grants, { id: user.id, scopes: user.pat?.scopes }),
      );
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
        throw Errors.forbidden(`You need the "${permission}" permission`);
      }
    }
  }

  async roleNames(user: AuthUser): Promise<string[]> {
    return (await this.grantsOf(user)).roles.map((role) => role.name);
  }

  /** The request's grants: `GET /auth/me` needs both the roles and the ability, from one cache read. */
  private grantsOf(user: AuthUser): Promise<CachedGrants> {
    let grants = grantsByRequest.get(user);
    if (!grants) {
      grants = this.abilities.grantsOf(user.id);
      grantsByRequest.set(user, grants);
    }
    return grants;
  }

  /**
   * Permission names the user holds without conditions (everything for `manage all`); what
   * `GET /auth/me` reports and what may be granted onward.
   */
  async heldPermissions(user: AuthUser): Promise<Permission[]> {
    const ability = await this.abilityOf(user);
    let permissions = held.get(ability);
    if (permissions === undefined) {
      permissions = PERMISSIONS.filter((permission) => {
        const [resource, action] = permission.split(':');
        return ability.rulesFor(action, resource).some((rule) => !rule.inverted && !rule.conditions);
      });
      held.set(ability, permissions);
    }
    return [...permissions];
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
