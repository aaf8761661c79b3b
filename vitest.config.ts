import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure logic beside the code, no I/O) and `integration` (one real
// kube-apiserver + etcd + CAPI CRDs and one git http-backend server per run).
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['agent/**/*.test.ts', 'test/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.int.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        // Real CAPI controllers (core, CABPK, KCP, CAPD in-memory) + kube-controller-manager on
        // the same plane; CAPD binds fixed ports, so one file at a time, one run per machine.
        test: {
          name: 'e2e-capi',
          include: ['test/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/e2e-capi-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
