import { defineConfig } from 'vitest/config';
import LongFilesFirst from './test/long-files-first.js';

export default defineConfig({
  // Tests import the packages' TypeScript sources (the same condition as tsconfig.json);
  // the processes end-to-end tests start run the compiled dist/, refreshed by the global setup.
  resolve: { conditions: ['@mcp-mesh/source'] },
  ssr: { resolve: { conditions: ['@mcp-mesh/source'] } },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '.tools/**'],
    globalSetup: ['test/build-packages.global-setup.ts'],
    // Three files at a time even on two cores (vitest's default there is one): end-to-end files
    // mostly wait on their processes (heartbeats, grace periods), so other files overlap that.
    maxWorkers: 3,
    sequence: { sequencer: LongFilesFirst },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
