import { DynamicModule, Module } from '@nestjs/common';
import { infrastructureImports } from './app.module';
import type { AppConfig } from './config/app-config';

/** The worker process: Atrium's infrastructure and the background processors, no HTTP server. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return { module: WorkerModule, imports: [...infrastructureImports(config, databaseUrl)] };
  }
}
