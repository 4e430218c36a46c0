import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration suites each start their own mariadbd; two at a time fits this class of machine.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['backend/src/**/*.test.ts', 'test/**/*.test.ts'], environment: 'node' },
      },
      {
        // The Grafana app plugin: components render in jsdom.
        extends: true,
        test: {
          name: 'plugin',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['./src/test/setup.ts'],
          // @grafana/ui imports stylesheets; vite must process it to drop them.
          server: { deps: { inline: [/@grafana\//] } },
          testTimeout: 30_000,
          // Importing @grafana/ui takes seconds; share it across the files of a worker. Every test
          // installs its own transport and role, so nothing leaks from one file to the next.
          isolate: false,
        },
      },
    ],
  },
});
