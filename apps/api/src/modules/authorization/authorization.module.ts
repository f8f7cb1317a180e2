import { Global, Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { AbilityService } from './ability.service';
import { AuditController, RolesController, UsersController } from './authorization.controller';
import { AuthorizationService } from './authorization.service';
import { FirstAdminBootstrap } from './first-admin.bootstrap';
import { RolesService } from './roles.service';
import { UsersService } from './users.service';

/** Roles, permissions and abilities (CASL); the users, roles and audit APIs. */
@Global()
@Module({
  imports: [IdentityModule],
  controllers: [RolesController, UsersController, AuditController],
  providers: [AbilityService, AuthorizationService, RolesService, UsersService, FirstAdminBootstrap],
  exports: [AbilityService, AuthorizationService, RolesService, UsersService],
})
export class AuthorizationModule {}
