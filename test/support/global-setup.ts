// vitest globalSetup of the `integration` project: one real control plane (etcd + kube-apiserver
// + CAPI/CAPP CRDs) and one git http-backend server per run, shared by every test file through
// `inject('kubeconfigPath')`, `inject('gitServerUrl')` and `inject('gitRoot')`. Each test creates
// its own namespace (test/support/namespace.ts) and its own repositories under gitRoot.
// Failing to build or start anything fails the run with the reason; nothing is skipped.
// The binaries are built before this, by the pre-test step of `npm test`; run alone
// (`npx vitest run --project integration …`), this prepares the project's registry entries
// first (test/support/build/binaries.ts), outside any test file and any test timeout.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { preparePrerequisites, prerequisitesFor } from './build/binaries.js';
import { startControlPlane } from './control-plane.js';
import { startGitServer } from './git-server.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await preparePrerequisites(prerequisitesFor('integration'));
  const plane = await startControlPlane();
  let gitRoot: string | undefined;
  try {
    gitRoot = await mkdtemp(join(tmpdir(), 'drover-git-root-'));
    const git = await startGitServer({ root: gitRoot });
    const v = plane.versions;
    project.provide('kubeconfigPath', plane.kubeconfigPath);
    project.provide('kubeServer', plane.server);
    project.provide('controlPlaneVersions', { ...v });
    project.provide('gitServerUrl', git.url);
    project.provide('gitRoot', gitRoot);
    const t = plane.timings;
    console.log(
      `integration: real kube-apiserver ${v.kubeApiserver} at ${plane.server} with etcd ${v.etcd}; ` +
      `CRDs: cluster-api ${v.capi} (v1beta2 only), cluster-api-provider-packet ${v.capp}; ` +
      `git http-backend at ${git.url} ` +
      `(ready in ${(t.totalMs / 1000).toFixed(1)} s: start ${(t.startToReadyMs / 1000).toFixed(1)} s, CRDs ${(t.crdInstallMs / 1000).toFixed(1)} s)`,
    );
    const root = gitRoot;
    return async () => {
      await git.stop();
      await plane.stop();
      await rm(root, { recursive: true, force: true });
    };
  } catch (err) {
    await plane.stop();
    if (gitRoot) await rm(gitRoot, { recursive: true, force: true });
    throw err;
  }
}
