import { defineConfig } from 'vitest/config';

/**
 * Four projects, all run by `npm test` (scripts/test.ts):
 * unit (pure, no network), integration (handlers through the local gateway on the real
 * emulators, started once per run), infra (CDK template + cdk-nag), e2e (Chromium on the site).
 */
export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          // One browser at a time on two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
