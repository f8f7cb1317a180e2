// @ts-check
/** `npm run soak` (not in CI): the soak in soak.ts on the resilience harness; see its header. */
const path = require('node:path');
const suite = require('./jest.config.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...suite,
  rootDir: path.resolve(__dirname, '..'),
  testMatch: ['<rootDir>/resilience/soak.ts'],
  verbose: false,
};
