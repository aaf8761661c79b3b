// npm run bench:capi [-- --sizes 1,10] [--interval 5]
//
// Commit → every cluster Available and green, with the real Cluster API controllers (core, kubeadm
// bootstrap, kubeadm control plane, CAPD's in-memory backend, kube-controller-manager) on the
// project's control plane, and a real Gitea holding the fleet and its commit statuses. For each
// size N: one commit adding N in-memory clusters (devClusterObjects, 1 control plane machine and 1
// worker each) is pushed; Drover's CLI runs in this process: `apply --report`, then
// `status --report` every --interval seconds until the environment is success. Measured:
//   wall time     push → apply done → every cluster Available (from the Cluster conditions, read
//                 by the bench) → drover/<env> success posted
//   requests      Kubernetes requests Drover's CLI made (counted on Node's http client channel,
//                 by method), for the apply and for the status polling
//   RSS           each controller's VmRSS and VmHWM (peak) from /proc, kube-apiserver and etcd
//                 too, and this process's peak (Drover's CLI in-process, plus the bench's own
//                 small reads)
// Figures, not a timed test. CAPD binds fixed ports: run it alone (not beside `e2e-capi`).
import { subscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import type { ClientRequest } from 'node:http';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { startCapiControllers } from '../support/capi-controllers.js';
import { readCapiObjects } from '../support/capi-status-recorder.js';
import { startControlPlane } from '../support/control-plane.js';
import { devClusterObjects } from '../support/dev-cluster-objects.js';
import { fleetFiles, startE2eForge } from '../support/e2e-fleet.js';
import { createTestNamespace } from '../support/namespace.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const sizes = (arg('--sizes') ?? '1,10').split(',').map(Number);
const intervalMs = Number(arg('--interval') ?? '5') * 1000;

/** Kubernetes requests made by this process to the plane, by method; reset per phase. */
const requests = new Map<string, number>();
let kubePort = '';
subscribe('http.client.request.start', (message) => {
  const req = (message as { request: ClientRequest }).request;
  if (kubePort && String(req.host) === '127.0.0.1' && req.getHeader('host')?.toString().endsWith(`:${kubePort}`)) {
    requests.set(req.method, (requests.get(req.method) ?? 0) + 1);
  }
});
const takeRequests = (): Record<string, number> => {
  const out = Object.fromEntries(requests);
  requests.clear();
  return out;
};

function memory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

const condition = (o: KubeObject, type: string) => ((o.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).find((c) => c.type === type)?.status;

const t0 = Date.now();
const plane = await startControlPlane();
kubePort = new URL(plane.server).port;
const work = await mkdtemp(join(tmpdir(), 'drover-bench-capi-'));
const capi = await startCapiControllers({ kubeconfigPath: plane.kubeconfigPath, dir: join(plane.dir, 'capi') });
const forge = await startE2eForge(plane.kubeconfigPath);
console.log(`bench:capi: plane + controllers + gitea ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const results: unknown[] = [];
try {
  for (const n of sizes) {
    const ns = await createTestNamespace(plane.kubeconfigPath, `bench-${n}`);
    const repo = `bench-${n}-${Date.now()}`;
    const clusters = Object.fromEntries(Array.from({ length: n }, (_, i) => [`b${i}`, devClusterObjects(ns, `b${i}`)]));
    const load = loadavg()[0]!.toFixed(1);
    takeRequests();
    const start = Date.now();
    await forge.hostFleet(repo, fleetFiles([{ name: 'bench', namespace: ns, clusters, provisioningTimeout: '30m' }]));
    const pushed = Date.now();
    const applied = await forge.drover(repo, 'apply', '--ref', 'main', '--env', 'bench', '--report');
    if (applied.code !== 0) throw new Error(`apply exited ${applied.code}: ${applied.stderr}`);
    const applyDone = Date.now();
    const applyRequests = takeRequests();
    let allAvailable: number | undefined;
    let polls = 0;
    for (;;) {
      const r = await forge.drover(repo, 'status', '--ref', 'main', '--env', 'bench', '--report');
      polls++;
      if (allAvailable === undefined) {
        const live = await readCapiObjects(plane.kubeconfigPath, ns);
        requests.set('GET', (requests.get('GET') ?? 0) - 8); // the bench's own reads, not Drover's
        const cl = live.filter((o) => o.kind === 'Cluster');
        if (cl.length === n && cl.every((c) => condition(c, 'Available') === 'True')) allAvailable = Date.now();
      }
      if (r.code === 0) break;
      if (r.code !== 3) throw new Error(`status exited ${r.code}: ${r.stdout}${r.stderr}`);
      if (Date.now() - start > 40 * 60_000) throw new Error('not green after 40 min');
      await new Promise((res) => setTimeout(res, intervalMs));
    }
    const green = Date.now();
    const statusRequests = takeRequests();
    const rss = Object.fromEntries([...Object.entries(capi.pids), ['kube-apiserver', plane.pids.kubeApiserver], ['etcd', plane.pids.etcd]].map(([name, pid]) => [name, memory(pid as number)]));
    const result = {
      clusters: n,
      loadAtStart: load,
      pushMs: pushed - start,
      applyMs: applyDone - pushed,
      allAvailableMs: (allAvailable ?? green) - start,
      greenMs: green - start,
      statusPolls: polls,
      requests: { apply: applyRequests, status: statusRequests },
      rssMb: rss,
      droverPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    results.push(result);
    console.log(JSON.stringify(result));
  }
} finally {
  await forge.stop();
  await capi.stop();
  await plane.stop();
  await rm(work, { recursive: true, force: true });
}
console.log(`bench:capi results ${JSON.stringify(results)}`);
