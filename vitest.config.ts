import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure logic and stand-ins, no PostgreSQL or Redis needed) and `integration` (the real
 * product over HTTP, PostgreSQL, Redis, BullMQ and headless Chromium; one database per run from global setup).
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
