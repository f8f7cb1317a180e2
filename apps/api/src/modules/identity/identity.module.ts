import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ApiTokensService } from './api-tokens.service';
import { AuthController, MeController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { IdentityMaintenanceModule } from './identity-maintenance';
import { PasswordsService } from './passwords.service';
import { SecurityStore } from './security-store';
import { SessionsService } from './sessions.service';
import { TokensService } from './tokens.service';
import { TwoFactorService } from './two-factor.service';

/** Accounts, sessions and tokens; installs the global authentication guard (deny by default). */
@Module({
  imports: [JwtModule.register({}), IdentityMaintenanceModule],
  controllers: [AuthController, MeController],
  providers: [
    PasswordsService,
    SecurityStore,
    TokensService,
    SessionsService,
    TwoFactorService,
    ApiTokensService,
    AuthService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, SessionsService, ApiTokensService, PasswordsService],
})
export class IdentityModule {}
