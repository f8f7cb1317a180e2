// @ts-check
/**
 * The resilience suite (`npm run test:resilience`): real processes on private Postgres and Redis
 * servers, faults injected into them. Files run one at a time (each starts its own installation;
 * two at once would compete for the machine's two cores and make the latency bounds flaky).
 */
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: path.resolve(__dirname, '..'),
  testEnvironment: 'node',
  testMatch: ['<rootDir>/resilience/**/*.resilience-spec.ts'],
  transform: {
    // Type-checked by `tsc -p resilience/tsconfig.json` in the npm script; ts-jest only transpiles (isolatedModules).
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/resilience/tsconfig.json' }],
  },
  maxWorkers: 1,
  // A scenario injects a fault and waits for recovery; the slowest takes about a minute and a half.
  testTimeout: 180_000,
  // Show each scenario as it finishes.
  verbose: true,
};
