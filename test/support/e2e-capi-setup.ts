// vitest globalSetup of the `e2e-capi` project: one real control plane (etcd + kube-apiserver)
// with the real Cluster API controllers (core, kubeadm bootstrap, kubeadm control plane, CAPD's
// in-memory backend) and kube-controller-manager's garbage collector, shared by the project's test
// files through inject(). CAPD binds fixed ports, so the project runs its files one at a time and
// only one e2e-capi run can happen per machine. Nothing is skipped: a build or start failure fails
// the run with the reason.
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { preparePrerequisites, prerequisitesFor } from './build/binaries.js';
import { startCapiControllers } from './capi-controllers.js';
import { startControlPlane } from './control-plane.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Under `npm test` the pre-test step has built everything; run alone, build what is missing first.
  await preparePrerequisites(prerequisitesFor('e2e-capi'));
  const plane = await startControlPlane();
  try {
    const capi = await startCapiControllers({ kubeconfigPath: plane.kubeconfigPath, dir: join(plane.dir, 'capi') });
    const v = plane.versions;
    project.provide('kubeconfigPath', plane.kubeconfigPath);
    project.provide('kubeServer', plane.server);
    project.provide('controlPlaneVersions', { ...v });
    project.provide('capiControllers', { version: capi.capiVersion, pids: { ...capi.pids, 'kube-apiserver': plane.pids.kubeApiserver, etcd: plane.pids.etcd }, logs: { ...capi.logs } });
    console.log(
      `e2e-capi: kube-apiserver ${v.kubeApiserver} at ${plane.server} with etcd ${v.etcd}; cluster-api ${capi.capiVersion} controllers ` +
      `(core, kubeadm bootstrap, kubeadm control plane, CAPD in-memory) and kube-controller-manager ready in ${(capi.timings.startToReadyMs / 1000).toFixed(1)} s; logs in ${join(plane.dir, 'capi')}`,
    );
    return async () => {
      await capi.stop();
      await plane.stop();
    };
  } catch (err) {
    await plane.stop();
    throw err;
  }
}
