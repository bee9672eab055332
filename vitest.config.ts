import { defineConfig } from 'vitest/config';

// Four projects so `npm test` can run them in order (unit -> integration -> package -> cdk) and
// a developer can run one alone. Integration and package tests spawn real processes against the
// built package in dist/, so they get longer timeouts and fewer parallel files (2-core machines),
// and build it first when it is missing or stale.
const ENSURE_BUILT = ['test/helpers/ensure-built.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          globalSetup: ENSURE_BUILT,
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'package',
          globalSetup: ENSURE_BUILT,
          include: ['test/package/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 2,
        },
      },
      {
        // aws-cdk-lib synthesis takes seconds per stack: each file synthesizes its stacks once
        // (in beforeAll) and asserts on the templates.
        test: {
          name: 'cdk',
          globalSetup: ENSURE_BUILT,
          include: ['test/cdk/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 2,
        },
      },
    ],
  },
});
