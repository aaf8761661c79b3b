// npm run bench:capi [-- --sizes 1,10,100] [--idle 30]
//
// Commit → every cluster Available and green, through Drover's AGENT, with the real Cluster API
// controllers (core, kubeadm bootstrap, kubeadm control plane, CAPD's in-memory backend,
// kube-controller-manager) on the project's control plane and a real Gitea holding the fleet and
// its commit statuses. The agent runs in this process as `drover agent` composes it
// (test/support/capi-agent.ts). For each size N: a Gitea repository whose `bench` environment
// holds one ConfigMap, its Fleet (interval 3 s) applied and green; then one commit adding N
// in-memory clusters (devClusterObjects: 1 control plane machine and 1 worker each) is pushed and
// nobody does anything else (environment `bench-<N>`). Measured:
//   wall time   push → the agent applied (Fleet status) → every Cluster Available (read by the
//               bench from the Cluster conditions) → drover/bench and every drover/bench/<cluster>
//               success on Gitea
//   requests    every Kubernetes request the agent made from the push until green, by verb
//               (ctx.requests, agent/kube/request-counter.ts), and during --idle seconds after
//   RSS         each controller's VmRSS and VmHWM (peak) from /proc, kube-apiserver and etcd too,
//               and this process's (the agent plus the bench's own small reads)
// Figures, not a timed test. CAPD binds fixed ports: startCapiControllers takes the machine lock.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { latestStatuses, startCapiAgent } from '../support/capi-agent.js';
import { startCapiControllers } from '../support/capi-controllers.js';
import { startControlPlane } from '../support/control-plane.js';
import { devClusterObjects } from '../support/dev-cluster-objects.js';
import { fleetFiles, startE2eForge } from '../support/e2e-fleet.js';
import { createTestNamespace } from '../support/namespace.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const sizes = (arg('--sizes') ?? '1,10').split(',').map(Number);
const idleMs = Number(arg('--idle') ?? '30') * 1000;
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const secs = (ms: number) => Number((ms / 1000).toFixed(1));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function memory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}
const selfMemory = () => memory(process.pid);

class BenchFailure extends Error {}
const conditionOf = (o: KubeObject, type: string) => ((o.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).find((c) => c.type === type)?.status;

const t0 = Date.now();
const plane = await startControlPlane();
const capi = await startCapiControllers({ kubeconfigPath: plane.kubeconfigPath, dir: join(plane.dir, 'capi') });
const forge = await startE2eForge(plane.kubeconfigPath);
const drover = await startCapiAgent({ kubeconfigPath: plane.kubeconfigPath, forge });
console.log(`bench:capi: plane + controllers + gitea + agent ready in ${secs(Date.now() - t0)} s; load ${load()}`);
const results: unknown[] = [];
try {
  for (const n of sizes) {
    const ns = await createTestNamespace(plane.kubeconfigPath, `bench-${n}`);
    const repo = `bench-${n}-${Date.now()}`;
    const seed = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bench-seed', namespace: ns }, data: { n: String(n) } };
    // One environment name per size: an agent keeps each environment's inventory as
    // drover-inventory-<env> in its one --inventory-namespace, whatever the Fleet (see notes-capi).
    const env = { name: `bench-${n}`, namespace: ns, provisioningTimeout: '30m' };
    const first = await forge.hostFleet(repo, fleetFiles([{ ...env, clusters: { seed: [seed] } }]));
    await drover.createFleet(ns, repo);
    await waitGreen(repo, first, [`drover/${env.name}`], 300_000);

    const clusters = Object.fromEntries(Array.from({ length: n }, (_, i) => [`b${i}`, devClusterObjects(ns, `b${i}`)]));
    const files = fleetFiles([{ ...env, clusters: { seed: [seed], ...clusters } }]);
    const loadAtStart = load();
    const rssBefore = selfMemory();
    drover.requests.reset();
    const start = Date.now();
    const sha = await forge.push(repo, files, { message: `${n} clusters` });
    const pushed = Date.now();
    let applied: number | undefined;
    let allAvailable: number | undefined;
    const contexts = [`drover/${env.name}`, ...Object.keys(clusters).map((c) => `drover/${env.name}/${c}`)];
    let peakSelf = rssBefore.rssMb;
    let benchReadErrors = 0;
    for (;;) {
      peakSelf = Math.max(peakSelf, selfMemory().rssMb);
      if (applied === undefined) {
        const state = drover.agent.state.get(`${ns}/${repo}`);
        if (state?.environments.some((e) => e.name === env.name && e.appliedRevision?.includes(sha))) applied = Date.now();
      }
      try {
        if (allAvailable === undefined) {
          const live = await drover.admin.list('cluster.x-k8s.io/v1beta2', 'Cluster', ns);
          if (live.items.length === n && live.items.every((c) => conditionOf(c, 'Available') === 'True')) allAvailable = Date.now();
        }
        const statuses = await latestStatuses(forge, repo, sha);
        const blocked = [...statuses].find(([, s]) => s.state === 'failure' || s.state === 'error');
        if (blocked) throw new BenchFailure(`${blocked[0]} ${blocked[1].state}: ${blocked[1].description}\n${drover.log.slice(-20).join('\n')}`);
        if (contexts.every((c) => statuses.get(c)?.state === 'success')) break;
      } catch (e) {
        // The bench's own reads time out too on an overloaded apiserver (504): read again.
        if (e instanceof BenchFailure) throw e;
        benchReadErrors++;
      }
      if (Date.now() - start > 45 * 60_000) throw new Error(`not green after 45 min:\n${drover.log.slice(-20).join('\n')}`);
      // The bench's reads (every Cluster, every status page) are load too: fewer for big sizes.
      await sleep(Math.max(1_000, n * 50));
    }
    const green = Date.now();
    const provisioning = drover.requests.snapshot();
    drover.requests.reset();
    await sleep(idleMs);
    const idle = drover.requests.snapshot();
    const rss = Object.fromEntries([...Object.entries(capi.pids), ['kube-apiserver', plane.pids.kubeApiserver], ['etcd', plane.pids.etcd]].map(([name, pid]) => [name, memory(pid as number)]));
    const result = {
      clusters: n,
      loadAtStart,
      loadAtGreen: load(),
      pushS: secs(pushed - start),
      appliedS: applied === undefined ? undefined : secs(applied - start),
      allAvailableS: secs((allAvailable ?? green) - start),
      greenS: secs(green - start),
      requestsUntilGreen: nonZero(provisioning),
      requestsIdle: { seconds: idleMs / 1000, ...nonZero(idle) },
      benchReadErrors,
      rssMb: rss,
      agentProcessRssMb: { before: rssBefore.rssMb, peakWhileProvisioning: peakSelf, after: selfMemory().rssMb, processPeak: Math.round(process.resourceUsage().maxRSS / 1024) },
    };
    results.push(result);
    console.log(JSON.stringify(result));
  }
} catch (e) {
  console.error(`bench:capi failed: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await drover.stop();
  await forge.stop();
  await capi.stop();
  await plane.stop();
}
console.log(`bench:capi results ${JSON.stringify(results)}`);

async function waitGreen(repo: string, sha: string, contexts: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const statuses = await latestStatuses(forge, repo, sha);
    if (contexts.every((c) => statuses.get(c)?.state === 'success')) return;
    if (Date.now() > deadline) throw new Error(`${contexts.join(', ')} not success on ${repo}@${sha} after ${timeoutMs} ms: ${stringify(Object.fromEntries(statuses))}\n${drover.log.slice(-20).join('\n')}`);
    await sleep(1_000);
  }
}

function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, v]) => v > 0));
}
