import { SetMetadata } from '@nestjs/common';
import type { Permission } from '@atrium/contracts';

export const REQUIRED_PERMISSIONS = 'atrium:requiredPermissions';

/**
 * The caller needs every listed permission (from any of their unexpired roles, narrowed by a
 * personal access token's scopes). Checked by the global permissions guard; object-level rules
 * (own posts) are checked in services with the caller's ability.
 */
export const RequirePermissions = (...permissions: Permission[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_PERMISSIONS, permissions);
