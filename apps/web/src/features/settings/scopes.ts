import {
  isReadPermission,
  LIVE_PERMISSION_RESOURCES,
  PAT_SCOPES,
  type Permission,
  PERMISSION_DESCRIPTIONS,
  PERMISSION_RESOURCE_INFO,
  type PermissionResource,
  resourceOf,
} from '@atrium/contracts';

/** The scopes of one resource, as the token form offers them. */
export interface ScopeGroup {
  resource: PermissionResource;
  label: string;
  description: string;
  scopes: { scope: Permission; description: string }[];
}

/**
 * The scopes a token may be given: those the owner holds (without conditions), of resources whose
 * features exist (`LIVE_PERMISSION_RESOURCES`), grouped by resource in that order, each with what it
 * allows. The API checks the first rule again when the token is created.
 */
export function grantableScopeGroups(holds: (permission: Permission) => boolean): ScopeGroup[] {
  return LIVE_PERMISSION_RESOURCES.map((resource) => ({
    resource,
    ...PERMISSION_RESOURCE_INFO[resource],
    scopes: PAT_SCOPES.filter((scope) => resourceOf(scope) === resource && holds(scope)).map((scope) => ({
      scope,
      description: PERMISSION_DESCRIPTIONS[scope],
    })),
  })).filter((group) => group.scopes.length > 0);
}

/** Every scope of the groups: "everything I hold". */
export const allScopes = (groups: readonly ScopeGroup[]): Permission[] =>
  groups.flatMap((group) => group.scopes.map(({ scope }) => scope));

/** The scopes of the groups that only read. */
export const readOnlyScopes = (groups: readonly ScopeGroup[]): Permission[] =>
  allScopes(groups).filter(isReadPermission);
