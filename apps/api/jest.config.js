// @ts-check
const { availableParallelism } = require('node:os');

/**
 * Nest 12 and a few dependencies ship ESM only. The API is CommonJS (Node loads the ESM
 * packages through require(esm)), but Jest's module loader cannot do that on Node 20, so those
 * packages are transpiled to CommonJS for the tests only; the cache makes it a one-time cost.
 */
const ESM_ONLY_PACKAGES = [
  '@nestjs',
  'uuid',
  'cookie',
  'content-disposition',
  'file-type',
  'strtok3',
  'token-types',
  '@tokenizer',
  'uint8array-extras',
  '@borewit',
  'p-limit',
  'yocto-queue',
];

/** @type {import('jest').Config['transform']} */
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  [`/node_modules/(${ESM_ONLY_PACKAGES.join('|')})/.+\\.js$`]: '<rootDir>/test/support/esm-to-cjs.transform.js',
};

/** @type {Partial<import('jest').Config>} */
const shared = {
  rootDir: '.',
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`],
};

/**
 * The migrated template database every e2e and medium file clones (run once per Jest run, however
 * many projects use it).
 * @type {Partial<import('jest').Config>}
 */
const databaseHooks = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  // A global option (Jest ignores it per project). E2E files boot real apps and restart servers;
  // a minute covers the slowest, and a unit spec never comes near it.
  testTimeout: 60_000,
  // At least two workers (also global): Jest's default, one fewer than the cores, runs a two-core
  // machine's files one at a time, while a file spends much of its time waiting on Postgres, Redis
  // and the app it boots. Every file has a database and a Redis prefix of its own
  // (test/support/test-app.ts), so files do not meet. On two cores: 305 s -> 209 s.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  projects: [
    {
      ...shared,
      displayName: 'unit',
      // Unit specs beside the code, static checks of the repository, and the test harness's own specs.
      testMatch: [
        '<rootDir>/src/**/*.spec.ts',
        '<rootDir>/test/static/**/*.spec.ts',
        '<rootDir>/test/support/**/*.spec.ts',
      ],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      ...databaseHooks,
    },
    {
      // Services and repositories of the real app on a real database of the file's own, no HTTP
      // (test/support/medium.ts).
      ...shared,
      displayName: 'medium',
      testMatch: ['<rootDir>/test/**/*.medium-spec.ts'],
      ...databaseHooks,
    },
  ],
};
