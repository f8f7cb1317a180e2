import { type DynamicModule, Module } from '@nestjs/common';
import { infrastructureImports } from './app.module';
import { CacheModule } from './common/cache';
import type { AppConfig } from './config/app-config';
import { EventsModule } from './events/events.module';
import { JobsModule } from './jobs/jobs.module';
import { AuthorizationModule } from './modules/authorization/authorization.module';
import { IdentityModule } from './modules/identity/identity.module';

/**
 * What the account commands of the CLI (`create-admin`) stand on: the same identity and
 * authorization services as the API, so an account made there is made like any other. No HTTP,
 * no job processing (jobs it causes are left for the API or the worker).
 */
@Module({})
export class AdminCliModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AdminCliModule,
      imports: [
        ...infrastructureImports(config, databaseUrl),
        CacheModule,
        JobsModule.forRoot({ config, process: false }),
        EventsModule.forRoot({ poll: false }),
        IdentityModule,
        AuthorizationModule,
      ],
    };
  }
}
