// npm run bench:agent-health [-- --clusters 1000 --namespaces 10]
//
// Health updates while a fleet changes status: starts its own control plane (real etcd +
// kube-apiserver with the CAPI CRDs), creates N clusters (Cluster, KubeadmControlPlane,
// MachineDeployment each, spread over M namespaces), lets the health follower
// (agent/runtime/health-follower.ts) follow them as one applied revision, then writes
// CAPI-like status onto every object, as CAPI's controllers would, and reports:
//   - Kubernetes requests the follower made: LISTs (once per kind and namespace) and WATCHes,
//     in total and per minute while the N clusters changed status;
//   - evaluations of the revision health (debounced) and the time from the last status write
//     to the revision turning success;
//   - the process RSS after the fleet settled.
// Figures, not a timed test; no forge (statuses are computed and counted, not posted).
import { performance } from 'node:perf_hooks';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { createKubeClient } from '../../agent/kube/kube-client.js';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { toRef } from '../../agent/core/kube-object.js';
import { createHealthFollower } from '../../agent/runtime/health-follower.js';
import { createListWatchClient } from '../../agent/runtime/health-watch-client.js';
import { clusterV1beta2, kcpV1beta2, mdV1beta2 } from '../support/capi-shapes.js';
import { startControlPlane } from '../support/control-plane.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('--clusters', 1000);
const M = arg('--namespaces', 10);
const CONCURRENCY = arg('--concurrency', 16);
const PLURAL: Record<string, string> = { Cluster: 'clusters', KubeadmControlPlane: 'kubeadmcontrolplanes', MachineDeployment: 'machinedeployments' };

async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

async function main(): Promise<void> {
  const plane = await startControlPlane({ log: () => {} });
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(plane.kubeconfigPath);
    const client = createKubeClient(kc);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const namespaces = Array.from({ length: M }, (_, i) => `fleet-${i}`);
    for (const ns of namespaces) await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { dryRun: false, force: true });
    const fixtures: KubeObject[] = [];
    for (let i = 0; i < N; i++) {
      const name = `c${String(i).padStart(4, '0')}`;
      const ns = namespaces[i % M]!;
      for (const f of [clusterV1beta2({ name }), kcpV1beta2({ cluster: name }), mdV1beta2({ cluster: name })]) fixtures.push({ ...f, metadata: { ...f.metadata, namespace: ns } });
    }
    const t0 = performance.now();
    const applied: KubeObject[] = [];
    await pool(fixtures, CONCURRENCY, async (f) => {
      const { status: _s, ...rest } = f;
      applied.push(await client.apply({ ...rest, metadata: { name: f.metadata.name, namespace: f.metadata.namespace, ...(f.metadata.labels ? { labels: f.metadata.labels } : {}) } }, { dryRun: false, force: true }));
    });
    console.log(`created ${applied.length} objects (${N} clusters in ${M} namespaces) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const watch = createListWatchClient(client);
    let evaluations = 0;
    let successAt: number | undefined;
    const follower = createHealthFollower({
      client: watch,
      debounceMs: 200,
      onHealth: (u) => {
        evaluations++;
        if (u.health.state === 'success' && successAt === undefined) successAt = performance.now();
      },
    });
    const tFollow = performance.now();
    follower.follow({ env: 'prod', sha: 'a'.repeat(40), revision: `main@sha1:${'a'.repeat(40)}`, appliedAt: Date.now(), desired: applied, touched: applied.map((o) => ({ ref: toRef(o), generation: o.metadata.generation })), provisioningTimeoutSeconds: 3600 });
    while (!follower.current('prod')) await new Promise((r) => setTimeout(r, 50));
    const synced = performance.now() - tFollow;
    const afterSync = { ...watch.requests };
    console.log(`following: ${follower.watchedScopes().length} watches, first health in ${(synced / 1000).toFixed(2)} s: ${follower.current('prod')!.health.description}; requests ${JSON.stringify(afterSync)}`);

    const tWrites = performance.now();
    await pool(fixtures, CONCURRENCY, async (f) => {
      const [group, version] = f.apiVersion.split('/') as [string, string];
      const coords = { group, version, namespace: f.metadata.namespace!, plural: PLURAL[f.kind]!, name: f.metadata.name! };
      const live = (await custom.getNamespacedCustomObject(coords)) as KubeObject;
      await custom.replaceNamespacedCustomObjectStatus({ ...coords, body: { ...live, status: { ...(f.status as object), observedGeneration: live.metadata.generation } } });
    });
    const writesMs = performance.now() - tWrites;
    while (successAt === undefined) await new Promise((r) => setTimeout(r, 50));
    await follower.idle();
    const during = { list: watch.requests.list - afterSync.list, watch: watch.requests.watch - afterSync.watch };
    const minutes = Math.max(writesMs, successAt - tWrites) / 60_000;
    const rssMb = Math.round(process.memoryUsage().rss / 1048576);
    const result = {
      clusters: N,
      namespaces: M,
      objects: applied.length,
      watches: follower.watchedScopes().length,
      statusWritesSeconds: +(writesMs / 1000).toFixed(1),
      lastWriteToSuccessMs: Math.round(successAt - tWrites - writesMs),
      requestsDuringChanges: during,
      requestsPerMinuteDuringChanges: +((during.list + during.watch) / minutes).toFixed(1),
      healthEvaluationsTold: evaluations,
      rssMb,
    };
    console.log(`status written to ${fixtures.length} objects in ${result.statusWritesSeconds} s; success ${result.lastWriteToSuccessMs} ms after the last write; follower requests meanwhile ${JSON.stringify(during)} (${result.requestsPerMinuteDuringChanges}/min); ${evaluations} health changes told; RSS ${rssMb} MB`);
    console.log(JSON.stringify(result));
    await follower.close();
  } finally {
    await plane.stop();
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
