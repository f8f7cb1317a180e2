/**
 * The module import graph of the API (docs/ARCHITECTURE.md, "Module boundaries"): no cycles, and
 * infrastructure (common/, database/, events/, config/) never imports a domain module.
 * `npm run deps:check` runs it; CI fails on a violation.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules depend one way: a cycle means a boundary is in the wrong place.',
      from: { path: '^apps/api/src' },
      to: { circular: true, pathNot: '\\.entity\\.ts$' },
    },
    {
      name: 'infrastructure-stays-below-domain',
      severity: 'error',
      comment: 'common/ and database/ are shared plumbing; they must not reach into a domain module.',
      // The entity registry (database/entities.ts) lists every module's entities by design; metrics is plumbing.
      from: { path: '^apps/api/src/(common|database|config)/', pathNot: '^apps/api/src/database/(entities|cli)\\.ts$' },
      to: { path: '^apps/api/src/modules/', pathNot: '^apps/api/src/modules/metrics/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    exclude: { path: '(\\.spec\\.ts$|/test/|/dist/)' },
  },
};
