// vitest globalSetup of the `browser` project: the fleet page's tests drive the agent against a
// real control plane (etcd + kube-apiserver + CAPI/Packet CRDs + the Fleet CRD) and a git
// http-backend, like the integration project, and Debian's Chromium (test/support/build/
// ensure-chromium.sh). Provides the same values as test/support/global-setup.ts plus the
// Chromium executable. Run alone (`npx vitest run --project browser`), it prepares the project's
// prerequisites first, outside any test timeout.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { preparePrerequisites, prerequisitesFor } from './build/binaries.js';
import { startControlPlane } from './control-plane.js';
import { startGitServer } from './git-server.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await preparePrerequisites(prerequisitesFor('browser'));
  const chromium = (await promisify(execFile)('bash', ['-c', 'command -v chromium'])).stdout.trim();
  const plane = await startControlPlane();
  let gitRoot: string | undefined;
  try {
    gitRoot = await mkdtemp(join(tmpdir(), 'drover-browser-git-'));
    const git = await startGitServer({ root: gitRoot });
    project.provide('kubeconfigPath', plane.kubeconfigPath);
    project.provide('kubeServer', plane.server);
    project.provide('controlPlaneVersions', { ...plane.versions });
    project.provide('gitServerUrl', git.url);
    project.provide('gitRoot', gitRoot);
    project.provide('chromiumPath', chromium);
    console.log(`browser: kube-apiserver ${plane.versions.kubeApiserver} at ${plane.server}, git http-backend at ${git.url}, ${chromium}`);
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
