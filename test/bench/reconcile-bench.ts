// npm run bench:reconcile [-- --sizes 100,1000] [--changes 10]
//
// Starts its own control plane (test/support/control-plane.ts: real etcd + kube-apiserver with the
// CAPI v1beta2 and Packet CRDs). For each size N it applies a generated fleet of N clusters
// (7 objects each, test/support/capi-cluster-objects.ts, plus their Namespace) and measures, in
// child processes running this file compiled by tsc under plain `node` (as Drover runs in
// production; tsx's loader alone adds ~90 MB of RSS to a process that imports client-node):
//   first apply      wall time, requests by verb (counted at the client)
//   no-op reconcile  the agent's reconcile (read environment → computePlan → apply with the same
//                    reads) of the same revision, with a fresh client (restarted agent: discovery
//                    included) and with a warm one (running agent)
//   k changes        k pools resized: the writes must be exactly k
//   peak RSS         process.resourceUsage().maxRSS, three ways:
//     per run        `node --expose-gc`, a full GC between runs (as after the idle time between
//                    reconciles): each run's own peak, and the heap still live after it
//     in sequence    default node flags: four reconciles back to back in one process, V8 free to
//                    collect lazily (the peak includes garbage not yet collected)
//     capped heap    the same sequence under `--max-old-space-size=128`
// Figures, not a timed test: prints a table and one JSON line; exits non-zero only when a count
// target (zero writes on a no-op, k writes for k changes) is missed.
import { KubeConfig } from '@kubernetes/client-node';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyEnvironment } from '../../agent/apply/apply-environment.js';
import { defaultApplyOptions } from '../../agent/apply/apply-options.js';
import { fetchEnvironmentState } from '../../agent/apply/environment-state.js';
import { createKubeClient, type KubeClient, type Verb } from '../../agent/kube/kube-client.js';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { attributeObjects } from '../../agent/fleet/attribute-objects.js';
import { computePlan } from '../../agent/plan/compute-plan.js';
import { clusterObjects } from '../support/capi-cluster-objects.js';
import { compileForNode } from './compile-for-node.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

interface Run {
  name: string;
  ms: number;
  /** Of which computePlan. */
  planMs?: number | undefined;
  requests: Record<Verb, number>;
  writes: number;
  error?: string | undefined;
  /** process.resourceUsage().maxRSS after this run. */
  peakRssMb: number;
  /** Heap still in use after a full GC following the run (`--expose-gc` only). */
  liveHeapMb?: number | undefined;
}

const attribute = (objects: readonly KubeObject[]) => attributeObjects(objects);
const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** N clusters in namespace `ns`; the first `changed` pools get `replicas`. */
function fleet(ns: string, n: number, changed = 0, replicas = 5): KubeObject[] {
  const out: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }];
  for (let i = 0; i < n; i++) out.push(...clusterObjects(ns, `c${String(i).padStart(4, '0')}`, { workerReplicas: i < changed ? replicas : 3 }));
  return out;
}

function finish(name: string, client: KubeClient, t0: number, error: string | undefined, planMs?: number): Run {
  const run: Run = { name, ms: performance.now() - t0, planMs, requests: client.requests.snapshot(), writes: client.requests.writes(), error, peakRssMb: peakRssMb() };
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    run.liveHeapMb = Math.round(process.memoryUsage().heapUsed / 1048576);
  }
  return run;
}

/** The first apply: nothing to plan against, straight to applyEnvironment. */
async function firstApply(client: KubeClient, env: string, desired: KubeObject[]): Promise<Run> {
  const t0 = performance.now();
  const r = await applyEnvironment(client, { environment: env, desired, attribute }, defaultApplyOptions());
  return finish('first apply', client, t0, r.error?.message);
}

/** One reconcile as the agent runs it: read the environment, plan, apply with the same reads. */
async function reconcile(name: string, client: KubeClient, env: string, desired: KubeObject[]): Promise<Run> {
  const options = defaultApplyOptions();
  const t0 = performance.now();
  const state = await fetchEnvironmentState(client, { environment: env, desired, attribute }, options);
  const tPlan = performance.now();
  const plan = computePlan({
    environment: env,
    revision: `bench@sha1:${'0'.repeat(40)}`,
    desired,
    live: [...state.live.values()],
    dryRun: state.dryRun,
    dryRunErrors: state.dryRunErrors,
    owned: new Set(state.inventory.keys()),
    clusters: state.attribution,
    protections: { prune: options.prune, clusterDeletion: options.clusterDeletion },
  });
  const planMs = performance.now() - tPlan;
  const r = plan.blocked ? { error: { message: 'plan blocked' } } : await applyEnvironment(client, { environment: env, desired, attribute, state }, options);
  return finish(name, client, t0, r.error?.message, planMs);
}

/**
 * The child: optionally the first apply, then a restarted and a running agent's no-op reconcile,
 * then k pools resized to `replicas`. Each run is its own call: nothing of one stays referenced.
 */
async function measure(kubeconfigPath: string, n: number, k: number, first: boolean, replicas: number): Promise<Run[]> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  const newClient = () => createKubeClient(kubeConfig);
  const env = `bench-${n}`;
  const runs: Run[] = [];
  if (first) {
    runs.push(await firstApply(newClient(), env, fleet(env, n)));
    if (runs[0]!.error) throw new Error(`first apply of ${n} clusters failed: ${runs[0]!.error}`);
  }
  runs.push(await reconcile('no-op (restarted)', newClient(), env, fleet(env, n, k, replicas - 2)));
  const running = newClient();
  for (const gv of ['v1', 'cluster.x-k8s.io/v1beta2', 'controlplane.cluster.x-k8s.io/v1beta2', 'bootstrap.cluster.x-k8s.io/v1beta2', 'infrastructure.cluster.x-k8s.io/v1beta1']) {
    await running.resourceFor(gv, 'Discovery'); // a running agent has discovery cached
  }
  running.requests.reset();
  runs.push(await reconcile('no-op (running)', running, env, fleet(env, n, k, replicas - 2)));
  runs.push(await reconcile(`${k} pools resized`, newClient(), env, fleet(env, n, k, replicas)));
  return runs;
}

const root = join(dirname(new URL(import.meta.url).pathname), '..', '..');

function compileSelf(): string {
  return compileForNode(root, 'test/bench/reconcile-bench.ts', 'bench-reconcile');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(2);
const verbs = (r: Record<Verb, number>) =>
  Object.entries(r)
    .filter(([, v]) => v > 0)
    .map(([verb, v]) => `${verb} ${v}`)
    .join(', ');

interface Mode {
  readonly name: string;
  readonly nodeFlags: readonly string[];
  readonly first: boolean;
}
const MODES: readonly Mode[] = [
  { name: 'per run (GC between runs)', nodeFlags: ['--expose-gc'], first: true },
  { name: 'in sequence (default node flags)', nodeFlags: [], first: false },
  { name: 'in sequence (--max-old-space-size=128)', nodeFlags: ['--max-old-space-size=128'], first: false },
];

async function parent(): Promise<void> {
  const sizes = (arg('--sizes') ?? '100,1000').split(',').map(Number);
  const kWanted = Number(arg('--changes') ?? '10');
  const compiled = compileSelf();
  const { startControlPlane } = await import('../support/control-plane.js');
  const plane = await startControlPlane({ log: () => {} });
  console.log(`control plane: kube-apiserver ${plane.versions.kubeApiserver}, etcd ${plane.versions.etcd}, CAPI CRDs ${plane.versions.capi}, Packet CRDs ${plane.versions.capp}; node ${process.version}`);
  const results: Array<{ clusters: number; objects: number; modes: Array<{ mode: string; runs: Run[] }> }> = [];
  let missed = false;
  try {
    for (const n of sizes) {
      const k = Math.min(kWanted, n);
      const row = { clusters: n, objects: 7 * n + 1, modes: [] as Array<{ mode: string; runs: Run[] }> };
      console.log(`\n${n} clusters, ${row.objects} objects`);
      for (const [i, mode] of MODES.entries()) {
        // Each mode resizes the k pools to a new count (5, 7, 9), so its change run has k changes.
        const replicas = 5 + 2 * i;
        const args = [...mode.nodeFlags, compiled, '--child', '--kubeconfig', plane.kubeconfigPath, '--size', String(n), '--changes', String(k), '--replicas', String(replicas)];
        if (mode.first) args.push('--first');
        const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
        if (r.status !== 0) throw new Error(`child for ${n} clusters (${mode.name}) failed:\n${r.stderr}`);
        const runs = JSON.parse(r.stdout.trim().split('\n').pop()!) as Run[];
        row.modes.push({ mode: mode.name, runs });
        console.log(`  peak RSS ${mode.name}: ${runs.map((x) => `${x.name} ${x.peakRssMb} MB${x.liveHeapMb !== undefined ? ` (heap live after: ${x.liveHeapMb} MB)` : ''}`).join('; ')}`);
        if (i === 0) {
          for (const x of runs) {
            const plan = x.planMs === undefined ? '' : `, plan ${seconds(x.planMs)} s`;
            console.log(`  ${x.name.padEnd(18)} ${seconds(x.ms).padStart(6)} s${plan}   ${verbs(x.requests)}   writes ${x.writes}`);
          }
        }
        const noops = runs.filter((x) => x.name.startsWith('no-op'));
        const change = runs.find((x) => x.name.endsWith('resized'))!;
        const checks: Array<[string, boolean]> = [
          [`no-op writes 0 (${noops.map((x) => x.writes).join(', ')})`, noops.every((x) => x.writes === 0 && !x.error)],
          [`writes for ${k} changes = ${k} (got ${change.writes})`, change.writes === k && !change.error],
        ];
        for (const [what, ok] of checks) {
          if (!ok) {
            missed = true;
            console.log(`  MISS ${what}`);
          }
        }
      }
      results.push(row);
    }
  } finally {
    await plane.stop();
  }
  console.log(missed ? '\nsome count target was missed' : '\nall count targets met (zero writes on no-op, k writes for k changes)');
  console.log(JSON.stringify({ bench: 'reconcile', node: process.version, results }));
  process.exit(missed ? 1 : 0);
}

if (process.argv.includes('--child')) {
  const runs = await measure(arg('--kubeconfig')!, Number(arg('--size')), Number(arg('--changes') ?? '10'), process.argv.includes('--first'), Number(arg('--replicas') ?? '5'));
  console.log(JSON.stringify(runs));
  process.exit(0);
} else {
  await parent();
}
