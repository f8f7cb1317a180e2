import { availableParallelism } from 'node:os';

import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const apiTarget = 'http://127.0.0.1:3000';
// Paths relative to this file, whatever directory Vite or Vitest was started from.
const fromHere = (path: string) => decodeURIComponent(new URL(path, import.meta.url).pathname);
/** Mantine's packages that every page uses some of (charts and dates have chunks of their own). */
const MANTINE = /node_modules[\\/]@mantine[\\/](core|hooks|form|notifications|store)[\\/]/;

/**
 * Fails the build when chunks import each other in a circle (A imports B, B imports A, directly
 * or through others): the browser then runs one of them before what it needs is initialised, and
 * the production build breaks at runtime (`_ is not a function`, docs/DECISIONS.md decision 75).
 */
function checkChunkCycles(): Plugin {
  return {
    name: 'atrium:check-chunk-cycles',
    apply: 'build',
    generateBundle(_options, bundle) {
      const imports = new Map<string, string[]>();
      for (const [file, output] of Object.entries(bundle)) {
        if (output.type === 'chunk') imports.set(file, output.imports);
      }
      // Depth-first: a chunk met again while still on the path closes a circle.
      const state = new Map<string, 'open' | 'done'>();
      const visit = (file: string, path: string[]): void => {
        if (state.get(file) === 'done') return;
        if (state.get(file) === 'open') {
          const circle = [...path.slice(path.indexOf(file)), file].join(' -> ');
          this.error(`chunks import each other in a circle: ${circle}`);
        }
        state.set(file, 'open');
        for (const imported of imports.get(file) ?? []) visit(imported, [...path, file]);
        state.set(file, 'done');
      };
      for (const file of imports.keys()) visit(file, []);
    },
  };
}

export default defineConfig({
  plugins: [react(), checkChunkCycles()],
  resolve: {
    alias: {
      // Consumed as TypeScript source: the package's CommonJS build in dist/ is for Node.
      '@atrium/contracts': fromHere('../../libs/contracts/src/index.ts'),
      // Also source: the SDK's dist/ is what the published package ships, built only to be packed.
      '@atrium/api-client': fromHere('../../libs/api-client/src/index.ts'),
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': {
        target: apiTarget,
        // The page is this dev server's own (same site): drop its Origin, which the API would not
        // recognise as APP_URL and refuse on the refresh cookie's route.
        configure: (proxy) => proxy.on('proxyReq', (request) => request.removeHeader('origin')),
      },
      '/health': apiTarget,
      '/readiness': apiTarget,
      '/docs': apiTarget,
      '/reference': apiTarget,
    },
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
  },
  build: {
    outDir: fromHere('./dist'),
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      treeshake: {
        // A feature's public index has no side effects of its own (it re-exports): a page that takes
        // one thing from it (the reader's MediaImage from features/media) does not load the rest (the
        // editor's MediaPicker and its styles). Other modules keep the default (packages: their own
        // `sideEffects`).
        moduleSideEffects: (id) => (/[\\/]src[\\/]features[\\/][^\\/]+[\\/]index\.ts$/.test(id) ? false : undefined),
      },
      output: {
        // Vendor code changes far less often than the app: separate chunks stay cached across deploys.
        // Charts, date pickers and the data table (with what only they use) get chunks of their own,
        // loaded with the route groups that use them, never by the first page.
        codeSplitting: {
          groups: [
            {
              name: 'charts',
              test: /node_modules[\\/](@mantine[\\/]charts|recharts|victory-vendor|d3-[^\\/]+|internmap|decimal\.js-light|es-toolkit|eventemitter3|immer|redux|redux-thunk|reselect|react-redux|@reduxjs[\\/]toolkit|@standard-schema|tiny-invariant|use-sync-external-store)[\\/]/,
              priority: 3,
              includeDependenciesRecursively: false,
            },
            {
              name: 'dates',
              // The DatesProvider (settings only) is in AppProviders: it stays with the first load.
              test: (id) =>
                /node_modules[\\/](dayjs|@mantine[\\/]dates)[\\/]/.test(id) && !/[\\/]DatesProvider[\\/]/.test(id),
              priority: 3,
              includeDependenciesRecursively: false,
            },
            {
              name: 'datatable',
              test: /node_modules[\\/]mantine-datatable[\\/]/,
              priority: 3,
              includeDependenciesRecursively: false,
            },
            {
              // The 2FA setup's QR code: loaded with the setup only, not with every page.
              name: 'qrcode',
              test: /node_modules[\\/]qrcode\.react[\\/]/,
              priority: 3,
              includeDependenciesRecursively: false,
            },
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/, priority: 2 },
            {
              // The Mantine every page needs (the shell: provider, app shell, header, toasts' store):
              // what the entry imports statically, after tree-shaking.
              name: 'mantine',
              test: MANTINE,
              tags: ['$initial'],
              priority: 1,
            },
            {
              // The rest of Mantine, in chunks by which route groups use it: a reader's post does not
              // load the editor's or the admin pages' components. These chunks hold Mantine only, so
              // they import nothing of the app's (no chunk cycle; checkChunkCycles fails the build on one).
              name: 'mantine-routes',
              test: MANTINE,
              entriesAware: true,
              priority: 1,
            },
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    // One jsdom and one module graph (Mantine, React, MSW) per worker instead of per test file:
    // test files clean up after themselves (src/test/setup.ts), so they need no fresh environment.
    isolate: false,
    // At least two workers: Vitest's default (one fewer than the cores) leaves a two-core machine
    // at one, and a worker waits on jsdom and timers enough that two keep both cores busy (65 s -> 40 s).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    css: false,
    // A test here asserts what a user sees, never a time. The longest (a page driven through many
    // steps) takes ~3 s on an idle two-core machine and more than Vitest's default 5 s when CI runs
    // the API's fuzzer beside it: that timeout failed a passing test (admin users, in CI). One
    // generous bound for every file, rather than one per slow file.
    testTimeout: 30_000,
    restoreMocks: true,
    unstubGlobals: true,
  },
});
