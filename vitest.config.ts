import { configDefaults, defineConfig } from 'vitest/config';

// The test projects (README, Development). `npm test` runs `npm run check` (eslint + tsc) and the
// pre-test step that builds every Go binary (`npm run binaries`, test/support/build/binaries.ts)
// before vitest starts; then all projects below run in one vitest run.
// - unit: pure logic beside the code, no I/O beyond temp files; seconds.
// - oracle: `*.oracle.test.ts`, comparisons that run `kubectl kustomize` (the oracle).
// - integration: one real kube-apiserver + etcd + CAPI CRDs and one git http-backend per run
//   (test/support/global-setup.ts), files one after another.
// - e2e-capi: real CAPI controllers on the plane, serial (owned by the `capi` work).
// - browser: the agent's page in headless Chromium (owned by the `page` work).
// A project whose files do not exist yet simply runs nothing in the full run.
const ORACLE = '**/*.oracle.test.ts';

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['agent/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ORACLE],
          environment: 'node',
          // A bound, not a measurement: unit files take seconds on an idle machine, but a CI machine
          // running other work (two cores, a load of 30 seen) made 5 s too tight for a few.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'oracle',
          include: ['agent/**/*.oracle.test.ts', 'test/**/*.oracle.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
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
        test: {
          name: 'e2e-capi',
          // After every other project, not beside them: the real controllers, their webhooks and
          // CAPD's simulated machines need the machine's cores to answer in time.
          sequence: { groupOrder: 1 },
          include: ['test/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          // Real CAPI controllers (core, CABPK, KCP, CAPD in-memory) + kube-controller-manager on
          // the plane; CAPD binds fixed ports, so one file at a time, one run per machine.
          globalSetup: ['test/support/e2e-capi-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.browser.test.ts'],
          environment: 'node',
          // Its own plane and git server (test/support/browser-setup.ts), Gitea and Chromium per file.
          globalSetup: ['test/support/browser-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
