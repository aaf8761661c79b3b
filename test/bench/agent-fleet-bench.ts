// npm run bench:agent-fleet [-- --clusters 1000 --commits 5 --rss-commits 100 --idle-minutes 5 --interval 5s --apf --first-apply-only --agent-node-args '--cpu-prof' --deployment-env=false]
//
// The agent against a generated fleet (test/support/fleet-generator.ts: N cluster overlays over one
// CAPI base, 8 objects each) on its own local plane (real etcd + kube-apiserver) and a real git
// http-backend. The agent runs as its own process (test/bench/agent-fleet-child.ts compiled by
// tsc, plain node, composed as `drover agent` is) and tells every request it sends and every
// change of its state; the git server counts the bytes it serves. Measured, in this order:
//   kubectl          `kubectl apply --server-side` of the same rendered objects (into twin
//                    namespaces), timed in the same run for the ratio;
//   first apply      Fleet created → the environment applied; its dry-run + write phase apart;
//   idle polls       requests by verb and git bytes over a few intervals with no new commit;
//   no-op reconcile  the `drover.dev/reconcile-at` trigger at the same commit: duration, requests;
//   one-pool commit  a commit resizing one MachineDeployment: push → the write, the reconcile's
//                    duration and requests;
//   RSS              after the first apply, after an idle period, and after a series of one-pool
//                    commits (each pushed, then triggered so no poll interval is waited for).
// Figures, not a timed test: prints a table with `uptime` load next to each figure, and one JSON line.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { fileTreeFromMap } from '../../agent/core/file-tree.js';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import { createRenderer } from '../../agent/render/index.js';
import { startControlPlane } from '../support/control-plane.js';
import { clusterName, generateFleet } from '../support/fleet-generator.js';
import { commitFiles, createRepo } from '../support/git-repo.js';
import { startGitServer, type GitRequestInfo } from '../support/git-server.js';
import type { BenchEntry } from './agent-fleet-child.js';
import { compileForNode } from './compile-for-node.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const N = Number(arg('--clusters', '1000'));
const COMMITS = Number(arg('--commits', '5'));
const RSS_COMMITS = Number(arg('--rss-commits', '100'));
const IDLE_MINUTES = Number(arg('--idle-minutes', '5'));
const INTERVAL = arg('--interval', '5s');
const INTERVAL_MS = Number(INTERVAL.replace(/s$/, '')) * 1000;
const SKIP_KUBECTL = process.argv.includes('--no-kubectl');
/** Run kube-apiserver with API priority and fairness on (the test plane turns it off), as clusters do. */
const APF = process.argv.includes('--apf');
/** Stop after the first apply (the kubectl comparison and the agent's first apply only). */
const FIRST_APPLY_ONLY = process.argv.includes('--first-apply-only');
/** Extra node flags for the agent process, space-separated (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`). */
const AGENT_NODE_ARGS = arg('--agent-node-args', '').split(' ').filter(Boolean);
const ENV = 'prod';
const FLEET_NS = 'bench-fleets';
const root = join(dirname(new URL(import.meta.url).pathname), '..', '..');

const load = (): string => spawnSync('uptime', { encoding: 'utf8' }).stdout.replace(/.*load average:\s*/, '').trim();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const s = (ms: number): string => (ms / 1000).toFixed(2);
/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
const cpuSeconds = (pid: number | undefined): number => {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
};
/** CPU used by the plane (and the agent) between two samples, for the floor the 2 cores set. */
const cpuSample = (pids: { kubeApiserver: number; etcd: number; agent?: number | undefined }) => ({ kas: cpuSeconds(pids.kubeApiserver), etcd: cpuSeconds(pids.etcd), agent: cpuSeconds(pids.agent) });
const cpuSince = (a: ReturnType<typeof cpuSample>, b: ReturnType<typeof cpuSample>): string =>
  `CPU: kube-apiserver ${(b.kas - a.kas).toFixed(1)} s, etcd ${(b.etcd - a.etcd).toFixed(1)} s${b.agent ? `, agent ${(b.agent - a.agent).toFixed(1)} s` : ''}`;
const say = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

/**
 * The agent container's memory settings (NODE_OPTIONS, MALLOC_ARENA_MAX) from manifests/deployment.yaml,
 * so the RSS measured is the RSS of the agent as it is shipped (`--deployment-env=false`: without them).
 */
function deploymentMemoryEnv(): Record<string, string> {
  if (process.argv.includes('--deployment-env=false')) return {};
  const docs = parseAllDocuments(readFileSync(join(root, 'manifests', 'deployment.yaml'), 'utf8')).map((d) => d.toJS() as KubeObject);
  const deployment = docs.find((d) => d?.kind === 'Deployment') as { spec: { template: { spec: { containers: Array<{ env?: Array<{ name: string; value?: string }> }> } } } } | undefined;
  const env = deployment?.spec.template.spec.containers[0]?.env ?? [];
  return Object.fromEntries(env.filter((e) => ['NODE_OPTIONS', 'MALLOC_ARENA_MAX'].includes(e.name) && e.value !== undefined).map((e) => [e.name, e.value!]));
}

function compileChild(): string {
  return compileForNode(root, 'test/bench/agent-fleet-child.ts', 'bench-agent-fleet');
}

function droverYaml(): string {
  return `apiVersion: drover.dev/v1alpha1\nkind: Fleet\nenvironments:\n  - name: ${ENV}\n    path: environments/${ENV}\n    namespace: fleet-am\n    allow:\n      namespaces: [fleet-da, fleet-dc, fleet-fr, fleet-ld, fleet-ny, fleet-sg, fleet-sv, fleet-sy, fleet-ty]\n`;
}

/** The fleet's files with cluster `index`'s worker pool at `replicas` (others as generated). */
function fleetFiles(overrides: Record<number, number> = {}): Record<string, string> {
  const o = Object.fromEntries(Object.entries(overrides).map(([i, r]) => [i, { workerReplicas: r }]));
  return { 'drover.yaml': droverYaml(), ...generateFleet({ clusters: N, environment: ENV, overrides: o }) };
}

/** GET as JSON; a connection the agent's server closed while idle (keep-alive race) is retried. */
async function getJson<T>(url: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await (await fetch(url)).json()) as T;
    } catch (e) {
      if (attempt >= 5) throw e;
      await sleep(200 * attempt);
    }
  }
}

/** Reads the agent child's log of requests and state changes as it grows. */
class AgentLog {
  readonly entries: BenchEntry[] = [];
  private next = 0;
  constructor(readonly url: string) {}
  async pull(): Promise<void> {
    const r = await getJson<{ next: number; entries: BenchEntry[] }>(`${this.url}/bench/log?since=${this.next}`);
    this.entries.push(...r.entries);
    this.next = r.next;
  }
  requests(from: number, to: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.entries) if (e.type === 'request' && e.t >= from && e.t <= to) out[e.verb] = (out[e.verb] ?? 0) + 1;
    return out;
  }
  states(from: number): Extract<BenchEntry, { type: 'state' }>[] {
    return this.entries.filter((e): e is Extract<BenchEntry, { type: 'state' }> => e.type === 'state' && e.t >= from);
  }
  firstRequest(verb: string, from: number): number | undefined {
    return this.entries.find((e) => e.type === 'request' && e.verb === verb && e.t >= from)?.t;
  }
  lastRequest(verb: string, from: number, to: number): number | undefined {
    let t: number | undefined;
    for (const e of this.entries) if (e.type === 'request' && e.verb === verb && e.t >= from && e.t <= to) t = e.t;
    return t;
  }
  async memory(): Promise<{ rssMb: number; heapUsedMb: number; rssAfterGcMb: number; heapAfterGcMb: number; maxRssMb: number; heapTotalAfterGcMb: number; externalAfterGcMb: number }> {
    return getJson(`${this.url}/bench/memory`);
  }
  /** Polls until `done` holds for a state entry at or after `from`; returns that entry's time. */
  async waitState(from: number, done: (e: Extract<BenchEntry, { type: 'state' }>) => boolean, timeoutMs: number, what: string): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.pull();
      const hit = this.states(from).find(done);
      if (hit) return hit.t;
      if (Date.now() > deadline) {
        const last = this.states(0).pop();
        throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(last)}`);
      }
      await sleep(200);
    }
  }
  /** One reconcile that started at or after `from`: its start and end (reconciling true → false). */
  async waitReconcile(from: number, timeoutMs: number, what: string, until?: (e: Extract<BenchEntry, { type: 'state' }>) => boolean): Promise<{ start: number; end: number }> {
    const start = await this.waitState(from, (e) => e.reconciling, timeoutMs, `${what} to start`);
    const end = await this.waitState(start, (e) => !e.reconciling && (until ? until(e) : true), timeoutMs, `${what} to end`);
    return { start, end };
  }
}

const verbs = (r: Record<string, number>): string => {
  const parts = Object.entries(r).filter(([, n]) => n > 0).map(([v, n]) => `${v} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
};
const total = (r: Record<string, number>, except: string[] = []): number => Object.entries(r).filter(([v]) => !except.includes(v)).reduce((a, [, n]) => a + n, 0);

interface Row {
  readonly what: string;
  readonly figure: string;
  readonly requests?: string | undefined;
  readonly load: string;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const row = (r: Row) => {
    rows.push(r);
    say(`${r.what}: ${r.figure}${r.requests ? ` | ${r.requests}` : ''} | load ${r.load}`);
  };
  say(`agent fleet bench: ${N} clusters, interval ${INTERVAL}; load ${load()}`);
  const child = compileChild();
  const plane = await startControlPlane({ log: () => {}, ...(APF ? { apiserverArgs: ['--enable-priority-and-fairness=true'] } : {}) });
  say(`plane up: kube-apiserver ${plane.versions.kubeApiserver}; load ${load()}`);
  const kc = new KubeConfig();
  kc.loadFromFile(plane.kubeconfigPath);
  const admin: KubeClient = createKubeClient(kc, { fieldManager: 'bench-admin' });
  const git: GitRequestInfo[] = [];
  const gitServer = await startGitServer({ onRequest: (i) => git.push(i) });
  const work = mkdtempSync(join(tmpdir(), 'drover-agent-bench-'));
  let agentProc: ChildProcess | undefined;
  try {
    const files = fleetFiles();
    let head = await createRepo(gitServer.root, 'fleet', files);
    const objects = createRenderer().build(fileTreeFromMap(files), `environments/${ENV}`);
    const namespaces = [...new Set(objects.map((o) => o.metadata.namespace!))];
    say(`fleet: ${N} clusters, ${objects.length} objects in ${namespaces.length} namespaces; repository at ${head.slice(0, 8)}`);
    for (const ns of ['drover-system', FLEET_NS, ...namespaces, ...namespaces.map((n) => `kubectl-${n}`)]) {
      await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { dryRun: false, force: true });
    }

    // kubectl apply --server-side of the same objects, into twin namespaces.
    let kubectlMs: number | undefined;
    if (!SKIP_KUBECTL) {
      const twin: KubeObject[] = objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: `kubectl-${o.metadata.namespace}` } }));
      const listFile = join(work, 'kubectl-objects.json');
      writeFileSync(listFile, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: twin }));
      const before = load();
      const c0 = cpuSample(plane.pids);
      const t0 = Date.now();
      const r = spawnSync('kubectl', ['--kubeconfig', plane.kubeconfigPath, 'apply', '--server-side', '--field-manager', 'kubectl-bench', '-f', listFile], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      kubectlMs = Date.now() - t0;
      if (r.status !== 0) throw new Error(`kubectl apply failed: ${r.stderr.slice(0, 2000)}`);
      row({ what: `kubectl apply --server-side, ${twin.length} objects`, figure: `${s(kubectlMs)} s; ${cpuSince(c0, cpuSample(plane.pids))}`, load: `${before} → ${load()}` });
    }

    // The agent.
    const memoryEnv = deploymentMemoryEnv();
    say(`agent memory settings (manifests/deployment.yaml): ${JSON.stringify(memoryEnv)}`);
    agentProc = spawn(process.execPath, ['--expose-gc', ...AGENT_NODE_ARGS, child, '--kubeconfig', plane.kubeconfigPath, '--cache-dir', join(work, 'cache'), '--log', join(work, 'agent.log')], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...memoryEnv },
    });
    const url = await new Promise<string>((resolve, reject) => {
      agentProc!.once('exit', (code) => reject(new Error(`agent child exited ${code}; log ${join(work, 'agent.log')}`)));
      createInterface({ input: agentProc!.stdout! }).once('line', (l) => resolve((JSON.parse(l) as { url: string }).url));
    });
    const agent = new AgentLog(url);
    const revision = (sha: string) => `main@sha1:${sha}`;
    const envOf = (e: Extract<BenchEntry, { type: 'state' }>) => e.environments.find((x) => x.name === ENV);
    const appliedAt = (sha: string) => (e: Extract<BenchEntry, { type: 'state' }>) => envOf(e)?.applied === revision(sha) && !e.reconciling;

    // First apply.
    {
      const before = load();
      const c0 = cpuSample({ ...plane.pids, agent: agentProc.pid });
      const t0 = Date.now();
      await admin.apply(
        { apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name: 'fleet', namespace: FLEET_NS }, spec: { source: { url: `${gitServer.url}/fleet.git`, ref: 'main' }, interval: INTERVAL } },
        { dryRun: false, force: true },
      );
      const done = await agent.waitState(t0, appliedAt(head), 30 * 60_000, 'the first apply');
      const req = agent.requests(t0, done);
      const firstDry = agent.firstRequest('dry-run', t0)!;
      const lastApply = agent.lastRequest('apply', t0, done)!;
      const ratio = kubectlMs ? ` = ${((done - t0) / kubectlMs).toFixed(2)}× kubectl; dry-run + writes ${s(lastApply - firstDry)} s = ${((lastApply - firstDry) / kubectlMs).toFixed(2)}× kubectl` : '';
      const counters = await getJson<{ throttled: number }>(`${url}/bench/counters`);
      row({ what: `agent first apply (Fleet created → applied), ${objects.length} objects`, figure: `${s(done - t0)} s${ratio}; 429s waited out: ${counters.throttled}; ${cpuSince(c0, cpuSample({ ...plane.pids, agent: agentProc.pid }))}`, requests: verbs(req), load: `${before} → ${load()}` });
      const m = await agent.memory();
      row({ what: 'agent RSS after the first apply', figure: `${m.rssMb.toFixed(0)} MB (after a full GC ${m.rssAfterGcMb.toFixed(0)} MB, heap ${m.heapAfterGcMb.toFixed(0)} MB of ${m.heapTotalAfterGcMb.toFixed(0)} committed, external ${m.externalAfterGcMb.toFixed(0)} MB; peak ${m.maxRssMb.toFixed(0)} MB)`, load: load() });
    }
    await sleep(3000);

    // Idle polls: no new commit.
    if (!FIRST_APPLY_ONLY) {
      const polls = 3;
      const before = load();
      await agent.pull();
      const t0 = Date.now();
      const g0 = git.length;
      await sleep(polls * INTERVAL_MS + 500);
      await agent.pull();
      const t1 = Date.now();
      const req = agent.requests(t0, t1);
      const reconciles = agent.states(t0).filter((e, i, all) => e.reconciling && !all[i - 1]?.reconciling).length;
      const served = git.slice(g0);
      const packBytes = served.filter((g) => g.path.endsWith('/git-upload-pack')).reduce((a, g) => a + (g.bytes ?? 0), 0);
      const refBytes = served.filter((g) => g.path.endsWith('/info/refs')).reduce((a, g) => a + (g.bytes ?? 0), 0);
      row({
        what: `idle, ${s(t1 - t0)} s (${reconciles} polls)`,
        figure: `${total(req, ['watch'])} requests beyond watches (${(total(req, ['watch']) / Math.max(1, reconciles)).toFixed(1)} per poll); git: ${served.length} requests, ${refBytes} ref-listing bytes, ${packBytes} pack bytes`,
        requests: verbs(req),
        load: `${before} → ${load()}`,
      });
    }

    if (!FIRST_APPLY_ONLY) {
      // No-op reconciles at the same commit (the manual trigger).
      for (let i = 0; i < 3; i++) {
        const before = load();
        const t0 = Date.now();
        await admin.mergePatch({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: FLEET_NS, name: 'fleet' }, { metadata: { annotations: { 'drover.dev/reconcile-at': `noop-${i}-${t0}` } } });
        const { start, end } = await agent.waitReconcile(t0, 10 * 60_000, 'the no-op reconcile');
        const req = agent.requests(start, end);
        row({ what: `no-op reconcile #${i + 1} (trigger annotation)`, figure: `${s(end - start)} s (annotation → done ${s(end - t0)} s)`, requests: verbs(req), load: `${before} → ${load()}` });
        await sleep(1000);
      }

      // One-pool commits found by the poll.
      let replicas = 10;
      const resize = async (index: number): Promise<string> => {
        replicas++;
        const name = clusterName(index);
        const path = `clusters/${name}/replicas.json6902.yaml`;
        head = await commitFiles(gitServer.root, 'fleet', { [path]: fleetFiles({ [index]: replicas })[path]! }, { message: `resize ${name} to ${replicas}` });
        return head;
      };
      for (let i = 0; i < COMMITS; i++) {
        const before = load();
        const sha = await resize((i * 37) % N);
        const pushed = Date.now();
        const done = await agent.waitState(pushed, appliedAt(sha), 10 * 60_000, `commit ${sha.slice(0, 8)} applied`);
        const start = agent.states(pushed).find((e) => e.reconciling)!.t;
        const write = agent.firstRequest('apply', pushed);
        const req = agent.requests(start, done);
        row({
          what: `one-pool commit #${i + 1}`,
          figure: `push → write ${write ? s(write - pushed) : 'n/a'} s; reconcile start (poll saw it) → write ${write ? s(write - start) : 'n/a'} s; reconcile ${s(done - start)} s`,
          requests: verbs(req),
          load: `${before} → ${load()}`,
        });
      }

      // RSS after idling.
      {
        const before = load();
        const m0 = await agent.memory();
        say(`idling ${IDLE_MINUTES} min for RSS (now ${m0.rssMb.toFixed(0)} MB)`);
        await sleep(IDLE_MINUTES * 60_000);
        const m = await agent.memory();
        row({ what: `agent RSS after ${IDLE_MINUTES} min idle`, figure: `${m0.rssMb.toFixed(0)} → ${m.rssMb.toFixed(0)} MB (after a full GC ${m.rssAfterGcMb.toFixed(0)} MB, heap ${m.heapAfterGcMb.toFixed(0)} MB of ${m.heapTotalAfterGcMb.toFixed(0)} committed, external ${m.externalAfterGcMb.toFixed(0)} MB; peak ${m.maxRssMb.toFixed(0)} MB)`, load: `${before} → ${load()}` });
      }

      // RSS over many one-pool commits, each triggered at once.
      {
        const before = load();
        const samples: string[] = [];
        const durations: number[] = [];
        for (let i = 0; i < RSS_COMMITS; i++) {
          const sha = await resize((i * 53 + 11) % N);
          const t0 = Date.now();
          await admin.mergePatch({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: FLEET_NS, name: 'fleet' }, { metadata: { annotations: { 'drover.dev/reconcile-at': `commit-${i}-${t0}` } } });
          const done = await agent.waitState(t0, appliedAt(sha), 10 * 60_000, `commit ${sha.slice(0, 8)} applied`);
          durations.push(done - t0);
          if ((i + 1) % 20 === 0) {
            const m = await agent.memory();
            samples.push(`${i + 1}: ${m.rssMb.toFixed(0)}/${m.rssAfterGcMb.toFixed(0)} MB`);
            say(`after ${i + 1} commits: RSS ${m.rssMb.toFixed(0)} MB, after GC ${m.rssAfterGcMb.toFixed(0)} MB, heap ${m.heapAfterGcMb.toFixed(0)} MB`);
          }
        }
        const m = await agent.memory();
        const sorted = [...durations].sort((a, b) => a - b);
        row({
          what: `agent RSS after ${RSS_COMMITS} one-pool commits`,
          figure: `${m.rssMb.toFixed(0)} MB (after a full GC ${m.rssAfterGcMb.toFixed(0)} MB, heap ${m.heapAfterGcMb.toFixed(0)} MB of ${m.heapTotalAfterGcMb.toFixed(0)} committed, external ${m.externalAfterGcMb.toFixed(0)} MB; peak ${m.maxRssMb.toFixed(0)} MB); by commits (RSS/after GC): ${samples.join(', ')}`,
          load: `${before} → ${load()}`,
        });
        if (process.env.DROVER_BENCH_HEAP_DIR) say(`heap snapshot: ${JSON.stringify(await getJson(`${url}/bench/heap-snapshot`))}`);
      if (sorted.length) row({ what: `trigger → applied over ${RSS_COMMITS} commits`, figure: `median ${s(sorted[Math.floor(sorted.length / 2)]!)} s, p90 ${s(sorted[Math.floor(sorted.length * 0.9)]!)} s, max ${s(sorted[sorted.length - 1]!)} s`, load: load() });
      }
    }
  } finally {
    if (agentProc && agentProc.exitCode === null) {
      const exited = new Promise((r) => agentProc!.once('exit', r));
      agentProc.kill('SIGTERM');
      // A profile (--agent-node-args --cpu-prof) is written as the agent exits.
      await Promise.race([exited, sleep(30_000)]);
    }
    await gitServer.stop();
    await plane.stop();
    if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
    else say(`kept ${work}`);
  }
  console.log('\n| what | figure | requests (agent, by verb) | load (1/5/15 min) |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.what} | ${r.figure} | ${r.requests ?? ''} | ${r.load} |`);
  console.log(JSON.stringify({ bench: 'agent-fleet', clusters: N, node: process.version, rows }));
}

await main();
process.exit(0);
