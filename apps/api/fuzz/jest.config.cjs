// @ts-check
/**
 * The fuzzer (`npm run fuzz`): property-based requests over the committed spec against the real
 * app, in process (fuzz/openapi.fuzz-spec.ts). It boots the app as the e2e files do, so it takes
 * their project settings — the ESM-to-CommonJS transform and the migrated template database —
 * from jest.config.js; only the files and the TypeScript project are its own.
 */
const path = require('node:path');
const base = require('../jest.config.js');

const e2e = base.projects.find((project) => project.displayName === 'e2e');
if (!e2e) throw new Error('apps/api/jest.config.js has no e2e project to take the settings from');

/** @type {import('jest').Config} */
module.exports = {
  ...e2e,
  displayName: 'fuzz',
  rootDir: path.resolve(__dirname, '..'),
  testMatch: ['<rootDir>/fuzz/**/*.fuzz-spec.ts'],
  transform: {
    ...e2e.transform,
    // Type-checked by `tsc -p fuzz/tsconfig.json` in the npm script; ts-jest only transpiles (isolatedModules).
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/fuzz/tsconfig.json' }],
  },
  maxWorkers: 1,
  // One operation's requests (FUZZ_RUNS valid and FUZZ_RUNS invalid) take seconds; a minute is a hang.
  testTimeout: 60_000,
  verbose: true,
};
