import { DynamicModule, Global, Inject, Module } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppConfig, loadConfig } from './app-config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Injects the validated {@link AppConfig}. */
export const InjectConfig = (): ParameterDecorator => Inject(APP_CONFIG);

// Both src/config and dist/config sit two levels below apps/api.
const API_ROOT = resolve(__dirname, '../..');

/**
 * Entrypoints (API, worker, database CLI) call this first: `./.env`, when present, fills in
 * variables the environment does not set (real environment variables win).
 */
export function loadDotEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Loads the configuration of this process from its environment; throws a `ConfigValidationError` listing every problem. */
export function loadConfigFromEnvironment(overrides: Record<string, string | undefined> = {}): AppConfig {
  const pkg = JSON.parse(readFileSync(resolve(API_ROOT, 'package.json'), 'utf8')) as { version: string };
  return loadConfig(
    { ...process.env, ...overrides },
    { version: pkg.version, spaDir: resolve(API_ROOT, '../web/dist') },
  );
}

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
