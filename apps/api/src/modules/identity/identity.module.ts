import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG } from '../../config/config.module';
import { AUTHENTICATOR } from '../../common/auth';
import { AuditModule } from '../audit/audit.module';
import { AccountChangesController } from './account-changes.controller';
import { AccountsService } from './accounts.service';
import { ApiTokensRepository } from './api-tokens.repository';
import { ApiTokensService } from './api-tokens.service';
import { AuthController } from './auth.controller';
import { BearerAuthenticator } from './bearer.authenticator';
import { CredentialsService } from './credentials.service';
import { EmailTokensRepository } from './email-tokens.repository';
import { EmailTokensService } from './email-tokens.service';
import { IdentityMaintenanceModule } from './identity-maintenance';
import { LockoutService } from './lockout.service';
import { SignInFailuresRepository } from './sign-in-failures.repository';
import { PasswordsService } from './passwords.service';
import { SecurityStore } from './security-store';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { SignInResponses } from './sign-in-responses';
import { SignInService } from './sign-in.service';
import { jwtModuleOptions, TokensService } from './tokens.service';
import { TwoFactorController } from './two-factor.controller';
import { TwoFactorService } from './two-factor.service';
import { UsernameReservationsRepository } from './username-reservations.repository';
import { UsersRepository } from './users.repository';

/**
 * Accounts, sessions and tokens. Provides the authenticator the global guard (common/auth) asks
 * "who is calling?"; knows nothing of roles (authorization depends on identity, never the reverse).
 */
@Module({
  imports: [
    JwtModule.registerAsync({ inject: [APP_CONFIG], useFactory: jwtModuleOptions }),
    AuditModule,
    IdentityMaintenanceModule,
  ],
  controllers: [AuthController, AccountChangesController, SessionsController, TwoFactorController],
  providers: [
    UsersRepository,
    SessionsRepository,
    EmailTokensRepository,
    ApiTokensRepository,
    SignInFailuresRepository,
    UsernameReservationsRepository,
    PasswordsService,
    SecurityStore,
    TokensService,
    SessionsService,
    LockoutService,
    TwoFactorService,
    ApiTokensService,
    EmailTokensService,
    AccountsService,
    SignInService,
    SignInResponses,
    CredentialsService,
    BearerAuthenticator,
    { provide: AUTHENTICATOR, useExisting: BearerAuthenticator },
  ],
  exports: [
    AUTHENTICATOR,
    UsersRepository,
    AccountsService,
    EmailTokensService,
    SessionsService,
    ApiTokensService,
    PasswordsService,
    // Signing in from elsewhere (first-run setup), with the same answer as POST /auth/login.
    SignInService,
    SignInResponses,
  ],
})
export class IdentityModule {}
