import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const apiTarget = 'http://127.0.0.1:3000';
// Paths relative to this file, whatever directory Vite or Vitest was started from.
const fromHere = (path: string) => decodeURIComponent(new URL(path, import.meta.url).pathname);

export default defineConfig({
  plugins: [react()],
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
              name: 'mantine',
              test: /node_modules[\\/]@mantine[\\/](core|hooks|form|notifications|store)[\\/]/,
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
    css: false,
    restoreMocks: true,
    unstubGlobals: true,
  },
});
