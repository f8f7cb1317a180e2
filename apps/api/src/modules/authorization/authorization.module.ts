import { Module } from '@nestjs/common';
import { AUTHORIZER } from '../../common/auth';
import { AuditModule } from '../audit/audit.module';
import { IdentityModule } from '../identity/identity.module';
import { AbilityService } from './ability.service';
import { AuditController, RolesController, UsersController } from './authorization.controller';
import { AuthorizationListeners } from './authorization.listeners';
import { AuthorizationService } from './authorization.service';
import { FirstAdminService } from './first-admin';
import { GrantsRepository } from './grants.repository';
import { MeController } from './me.controller';
import { FirstAdminBootstrap } from './first-admin.bootstrap';
import { PersonalTokensService } from './personal-tokens.service';
import { PolicyService } from './policy.service';
import { RolesRepository } from './roles.repository';
import { RolesService } from './roles.service';
import { UserDirectoryRepository } from './user-directory.repository';
import { UsersService } from './users.service';

/**
 * Roles, permissions and abilities (CASL); the users, roles and audit APIs; the policy service
 * for object-level checks. Provides the authorizer of the global guard. Depends on identity,
 * never the reverse.
 */
@Module({
  imports: [IdentityModule, AuditModule],
  controllers: [MeController, RolesController, UsersController, AuditController],
  providers: [
    RolesRepository,
    GrantsRepository,
    UserDirectoryRepository,
    AbilityService,
    AuthorizationService,
    PolicyService,
    PersonalTokensService,
    RolesService,
    UsersService,
    FirstAdminService,
    FirstAdminBootstrap,
    AuthorizationListeners,
    { provide: AUTHORIZER, useExisting: AuthorizationService },
  ],
  exports: [
    AUTHORIZER,
    AbilityService,
    AuthorizationService,
    PolicyService,
    PersonalTokensService,
    RolesService,
    UsersService,
    FirstAdminService,
  ],
})
export class AuthorizationModule {}
