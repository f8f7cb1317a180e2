import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppModule } from './app.module';
import { applyRouting } from './bootstrap';
import { loadConfigFromEnvironment } from './config/config.module';
import { buildOpenApiDocument } from './openapi';

/**
 * Writes the OpenAPI document to apps/api/openapi.json (or the path given), without a database:
 * preview mode resolves the module graph and routes but instantiates no provider.
 */
async function generate(outFile: string): Promise<void> {
  const config = loadConfigFromEnvironment({
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    LOG_LEVEL: 'silent',
    // The document does not depend on keys: no secrets file is written for it.
    NODE_ENV: 'test',
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, databaseUrl: 'postgres://preview.invalid/none' }),
    new FastifyAdapter(),
    { preview: true, logger: false, abortOnError: false },
  );
  applyRouting(app);
  const document = buildOpenApiDocument(app, config);
  writeFileSync(outFile, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
  console.log(`OpenAPI document written to ${outFile} (${Object.keys(document.paths).length} paths)`);
}

generate(resolve(process.argv[2] ?? resolve(__dirname, '../openapi.json'))).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
