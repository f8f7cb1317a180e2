import { Module } from '@nestjs/common';
import { AuthorizationModule } from '../authorization/authorization.module';
import { IdentityModule } from '../identity/identity.module';
import { SystemModule } from '../system/system.module';
import { SetupController } from './setup.controller';
import { SetupService } from './setup.service';

/** First-run setup (`/setup`): the first admin from the browser, and the start-up hint to go there. */
@Module({
  imports: [IdentityModule, AuthorizationModule, SystemModule],
  controllers: [SetupController],
  providers: [SetupService],
  exports: [SetupService],
})
export class SetupModule {}
