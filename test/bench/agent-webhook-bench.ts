// npm run bench:agent-webhook [-- --clusters 1000 --commits 5]
//
// Webhook delivery → first write, at N clusters. Starts its own plane (real etcd +
// kube-apiserver with the CAPI CRDs) and a real git http-backend holding a generated fleet
// (test/support/fleet-generator.ts: N cluster overlays over one CAPI base, 8 objects each), runs
// the agent in this process (startAgent with the webhook plug-in, as `drover agent` composes it)
// with a 10-minute poll interval, waits for the first apply of the fleet, then for each of
// `--commits` commits that resize one cluster's worker pool: pushes it, sends the signed push
// delivery (GitHub's headers, X-Hub-Signature-256) to POST /hooks/<ns>/<name>, and measures
//   answer      the delivery's HTTP answer (the reconcile is only queued there);
//   first write the first request that changes the cluster (the environment's Lease comes first);
//   first apply the first server-side apply that is not a dry-run (the resized pool);
//   done        the environment's state at the new revision (statuses and record written);
// and the requests the reconcile made, by verb. Figures, not a timed test: prints one line per
// commit with `uptime` load, a summary and one JSON line.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KubeConfig } from '@kubernetes/client-node';
import { silentLogger } from '../../agent/core/log.js';
import { createKubeClient, RequestCounter } from '../../agent/kube/kube-client.js';
import type { Verb } from '../../agent/kube/request-counter.js';
import { RECORD_FIELD_MANAGER } from '../../agent/reconcile/status-record.js';
import { startAgent, type RunningAgent } from '../../agent/runtime/agent.js';
import { createWebhookPlugin } from '../../agent/runtime/webhook-plugin.js';
import { computeGitHubSignature } from '../../agent/runtime/webhook-signature.js';
import { startControlPlane } from '../support/control-plane.js';
import { generateFleet } from '../support/fleet-generator.js';
import { commitFiles, createRepo } from '../support/git-repo.js';
import { startGitServer } from '../support/git-server.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const N = Number(arg('--clusters', '1000'));
const COMMITS = Number(arg('--commits', '5'));
const ENV = 'prod';
const FLEET_NS = 'bench-hooks';
const SECRET = randomUUID();
const METROS = ['am', 'da', 'dc', 'fr', 'ld', 'ny', 'sg', 'sv', 'sy', 'ty'];

const load = (): string => spawnSync('uptime', { encoding: 'utf8' }).stdout.replace(/.*load average:\s*/, '').trim();
const say = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const ms = (x: number) => Math.round(x);

const fleetFiles = (overrides: Record<number, { workerReplicas: number }> = {}): Record<string, string> => ({
  'drover.yaml': `apiVersion: drover.dev/v1alpha1\nkind: Fleet\nenvironments:\n  - name: ${ENV}\n    path: environments/${ENV}\n    namespace: fleet-am\n    allow:\n      namespaces: [fleet-da, fleet-dc, fleet-fr, fleet-ld, fleet-ny, fleet-sg, fleet-sv, fleet-sy, fleet-ty]\n`,
  ...generateFleet({ clusters: N, environment: ENV, overrides }),
});

async function main(): Promise<void> {
  const plane = await startControlPlane({ log: () => {} });
  const git = await startGitServer();
  const cacheDir = mkdtempSync(join(tmpdir(), 'drover-bench-hooks-'));
  let agent: RunningAgent | undefined;
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(plane.kubeconfigPath);
    const admin = createKubeClient(kc, { fieldManager: 'bench' });
    for (const ns of [FLEET_NS, ...METROS.map((m) => `fleet-${m}`)]) await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { dryRun: false, force: true });
    const first = await createRepo(git.root, 'fleet', fleetFiles(), { message: 'fleet' });
    say(`fleet of ${N} clusters committed (${first.slice(0, 7)}); load ${load()}`);

    const requests = new RequestCounter();
    agent = await startAgent({
      client: createKubeClient(kc, { requests }),
      recordClient: createKubeClient(kc, { fieldManager: RECORD_FIELD_MANAGER, requests }),
      requests,
      log: silentLogger,
      namespace: FLEET_NS,
      concurrency: 4,
      listenHost: '127.0.0.1',
      listenPort: 0,
      cacheDir,
      inventoryNamespace: FLEET_NS,
      recheckMs: 600_000,
      identity: 'bench',
      plugins: [createWebhookPlugin()],
    });
    const running = agent;
    const key = `${FLEET_NS}/fleet`;
    const envState = () => running.state.get(key)?.environments.find((e) => e.name === ENV);
    const until = async (what: string, ok: () => boolean, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; state: ${JSON.stringify(envState())}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await admin.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hook', namespace: FLEET_NS }, data: { token: Buffer.from(SECRET).toString('base64') } });
    const t0 = performance.now();
    await admin.create({
      apiVersion: 'drover.dev/v1alpha1',
      kind: 'Fleet',
      metadata: { name: 'fleet', namespace: FLEET_NS },
      spec: { source: { url: `${git.url}/fleet.git`, ref: 'main' }, interval: '10m', webhook: { secretRef: { name: 'hook' } } },
    });
    await until('the first apply', () => envState()?.appliedRevision === `main@sha1:${first}` && running.state.get(key)?.reconciling === false, 1_800_000);
    say(`first apply of ${N} clusters in ${((performance.now() - t0) / 1000).toFixed(1)} s; load ${load()}`);

    const rows: Array<{ answerMs: number; firstWriteMs: number; firstApplyMs: number; doneMs: number; requests: Partial<Record<Verb, number>>; load: string }> = [];
    for (let c = 0; c < COMMITS; c++) {
      const index = (c * 97) % N;
      const sha = await commitFiles(git.root, 'fleet', fleetFiles({ [index]: { workerReplicas: 10 + c } }), { message: `resize pool of cluster ${index}` });
      await new Promise((r) => setTimeout(r, 500)); // let the commit settle; nothing polls within 10 minutes
      const before = requests.snapshot();
      let firstWrite: number | undefined;
      let firstApply: number | undefined;
      const stop = requests.onRequest((verb) => {
        const now = performance.now();
        if (firstWrite === undefined && ['apply', 'create', 'replace', 'patch', 'status', 'delete'].includes(verb)) firstWrite = now;
        if (firstApply === undefined && verb === 'apply') firstApply = now;
      });
      const body = Buffer.from(JSON.stringify({ ref: 'refs/heads/main', before: first, after: sha, repository: { full_name: 'bench/fleet' } }));
      const sent = performance.now();
      const res = await fetch(`${running.url}/hooks/${FLEET_NS}/fleet`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': computeGitHubSignature(SECRET, body) },
        body,
      });
      const answered = performance.now();
      if (res.status !== 200) throw new Error(`delivery answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
      await until(`revision ${sha.slice(0, 7)} applied`, () => envState()?.appliedRevision === `main@sha1:${sha}` && running.state.get(key)?.reconciling === false, 600_000);
      const done = performance.now();
      stop();
      const after = requests.snapshot();
      const delta = Object.fromEntries(Object.entries(after).map(([v, n]) => [v, n - before[v as Verb]]).filter(([, n]) => (n as number) > 0)) as Partial<Record<Verb, number>>;
      const row = { answerMs: ms(answered - sent), firstWriteMs: ms((firstWrite ?? NaN) - sent), firstApplyMs: ms((firstApply ?? NaN) - sent), doneMs: ms(done - sent), requests: delta, load: load() };
      rows.push(row);
      say(`commit ${c + 1}/${COMMITS} (cluster ${index} pool → ${10 + c}): answer ${row.answerMs} ms, first write ${row.firstWriteMs} ms, first apply ${row.firstApplyMs} ms, done ${row.doneMs} ms; requests ${JSON.stringify(delta)}; load ${row.load}`);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const summary = {
      clusters: N,
      commits: COMMITS,
      medianAnswerMs: median(rows.map((r) => r.answerMs)),
      medianFirstWriteMs: median(rows.map((r) => r.firstWriteMs)),
      medianFirstApplyMs: median(rows.map((r) => r.firstApplyMs)),
      medianDoneMs: median(rows.map((r) => r.doneMs)),
      rows,
      rssMb: Math.round(process.memoryUsage().rss / 1048576),
      load: load(),
    };
    say(`median over ${COMMITS}: delivery → first write ${summary.medianFirstWriteMs} ms, → first apply ${summary.medianFirstApplyMs} ms, → done ${summary.medianDoneMs} ms (answer ${summary.medianAnswerMs} ms); RSS ${summary.rssMb} MB; load ${summary.load}`);
    console.log(JSON.stringify(summary));
  } finally {
    await agent?.stop(); // also after a failure, so the process ends
    await git.stop();
    await plane.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
