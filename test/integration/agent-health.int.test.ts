// The health follower (agent/runtime/health-follower.ts) against real components: CAPI objects
// applied to the real kube-apiserver, watched per kind and namespace (one LIST each, then WATCH),
// and commit statuses on a real Gitea. The test writes status through the status subresource
// as CAPI's controllers would, and the statuses move by themselves: nothing re-plans, re-lists or
// re-applies. The apiserver and Gitea sit behind loopback TCP forwarders the test can take down.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { toRef } from '../../agent/core/kube-object.js';
import { createGiteaForge } from '../../agent/report/gitea.js';
import { createFileOutbox, type Outbox } from '../../agent/report/outbox.js';
import { createHealthFollower, type FollowTarget, type HealthFollower } from '../../agent/runtime/health-follower.js';
import { createListWatchClient, type ListWatchClient } from '../../agent/runtime/health-watch-client.js';
import { startOutboxPump } from '../../agent/runtime/outbox-pump.js';
import { createForgeReporter } from '../../agent/reconcile/report-forge.js';
import { clusterV1beta2, counters, kcpV1beta2, mdV1beta2, provisioningConditions } from '../support/capi-shapes.js';
import { giteaBinary, startGitea, type GiteaInstance } from '../support/forge/gitea.js';
import { memoryLogger } from '../support/forge/memory-logger.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { waitUntil } from '../support/wait-until.js';

const PLURAL: Record<string, string> = { Cluster: 'clusters', KubeadmControlPlane: 'kubeadmcontrolplanes', MachineDeployment: 'machinedeployments' };
const REPO = 'fleet-health';

let ns: string;
let kc: KubeConfig;
let custom: CustomObjectsApi;
let client: KubeClient;
let gitea: GiteaInstance;
let apiProxy: TcpProxy;
let forgeProxy: TcpProxy;
let dir: string;
let firstSha: string;

beforeAll(async () => {
  kc = new KubeConfig();
  kc.loadFromFile(inject('kubeconfigPath'));
  custom = kc.makeApiClient(CustomObjectsApi);
  client = createKubeClient(kc);
  ns = await createTestNamespace(inject('kubeconfigPath'), 'agent-health');
  const server = new URL(kc.getCurrentCluster()!.server);
  apiProxy = await startTcpProxy({ host: server.hostname, port: Number(server.port) });
  gitea = await startGitea(giteaBinary());
  forgeProxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(gitea.url).port) });
  ({ sha: firstSha } = await gitea.createRepo(REPO));
  dir = await mkdtemp(join(tmpdir(), 'drover-agent-health-'));
}, 900_000);
afterAll(async () => {
  await apiProxy?.close();
  await forgeProxy?.close();
  await gitea?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
  if (ns) await deleteTestNamespace(inject('kubeconfigPath'), ns);
});

/** A kubeconfig whose server is the forwarder in front of the apiserver. */
function proxiedKubeConfig(): KubeConfig {
  const proxied = new KubeConfig();
  proxied.loadFromFile(inject('kubeconfigPath'));
  const cluster = proxied.getCurrentCluster()!;
  const url = new URL(cluster.server);
  url.port = String(apiProxy.port);
  proxied.clusters = proxied.clusters.map((c) => (c.name === cluster.name ? { ...c, server: url.origin } : c));
  return proxied;
}

interface Harness {
  follower: HealthFollower;
  watch: ListWatchClient;
  outbox: Outbox;
  log: ReturnType<typeof memoryLogger>;
  stop(): Promise<void>;
}

function harness(): Harness {
  const log = memoryLogger();
  const watch = createListWatchClient(createKubeClient(proxiedKubeConfig()));
  const forgeUrl = `http://${forgeProxy.address}`;
  const forge = createGiteaForge({ baseUrl: forgeUrl, owner: 'drover', repo: REPO, token: gitea.token, fetch: globalThis.fetch, maxAttempts: 1 });
  const outbox = createFileOutbox(join(dir, `outbox-${Math.random().toString(36).slice(2)}.json`));
  const reporter = createForgeReporter(forge, outbox, log);
  const pump = startOutboxPump({ outbox, forgeOf: (id) => (id === forge.id ? forge : undefined), intervalMs: 500, log });
  const follower = createHealthFollower({ client: watch, report: (sha, statuses) => reporter.reportStatuses(sha, statuses), log, debounceMs: 100, backoffBaseMs: 200, backoffMaxMs: 1000 });
  return {
    follower,
    watch,
    outbox,
    log,
    async stop() {
      pump.stop();
      await follower.close();
    },
  };
}

const coords = (o: KubeObject) => {
  const [group, version] = o.apiVersion.split('/') as [string, string];
  return { group, version, namespace: ns, plural: PLURAL[o.kind]! };
};

/** What Drover's apply writes: the object without status, by server-side apply. */
async function apply(fixtures: KubeObject[]): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const f of fixtures) {
    const { status: _s, ...rest } = f;
    const body: KubeObject = { ...rest, metadata: { name: f.metadata.name, namespace: ns, ...(f.metadata.labels ? { labels: f.metadata.labels } : {}) } };
    out.push(await client.apply(body, { dryRun: false, force: true }));
  }
  return out;
}

/** What a CAPI controller writes: status through the status subresource, observing the live generation. */
async function writeStatus(fixture: KubeObject, status: Record<string, unknown>): Promise<void> {
  const live = (await custom.getNamespacedCustomObject({ ...coords(fixture), name: fixture.metadata.name! })) as KubeObject;
  await custom.replaceNamespacedCustomObjectStatus({ ...coords(fixture), name: fixture.metadata.name!, body: { ...live, status: { ...status, observedGeneration: live.metadata.generation } } });
}

function target(env: string, sha: string, applied: KubeObject[], extra: Partial<FollowTarget> = {}): FollowTarget {
  return {
    env,
    sha,
    revision: `main@sha1:${sha}`,
    appliedAt: Date.now(),
    desired: applied,
    touched: applied.map((o) => ({ ref: toRef(o), generation: o.metadata.generation })),
    changes: { created: applied.length },
    provisioningTimeoutSeconds: 600,
    ...extra,
  };
}

/** Every status Gitea stores for a context of a commit, oldest first. */
async function history(sha: string, context: string): Promise<{ status: string; description: string }[]> {
  const all = await gitea.api<{ id: number; status: string; context: string; description: string }[]>('GET', `/repos/drover/${REPO}/statuses/${sha}?limit=50`);
  return all.filter((s) => s.context === context).sort((a, b) => a.id - b.id).map((s) => ({ status: s.status, description: s.description }));
}
const latest = async (sha: string, context: string) => (await history(sha, context)).at(-1);
const until = (what: string, probe: () => Promise<boolean>, timeoutMs = 30_000) => waitUntil(async () => ((await probe()) ? true : undefined), { what, timeoutMs, intervalMs: 200 });

/** A fresh commit on main of the Gitea repository. */
async function newCommit(name: string): Promise<string> {
  const res = await gitea.api<{ commit: { sha: string } }>('POST', `/repos/drover/${REPO}/contents/${name}.txt`, { content: Buffer.from(name).toString('base64'), message: name, branch: 'main' });
  return res.commit.sha;
}

const fixturesFor = (cluster: string) => [clusterV1beta2({ name: cluster }), kcpV1beta2({ cluster }), mdV1beta2({ cluster })];
const available = (cluster: string) => fixturesFor(cluster).map((f) => [f, f.status as Record<string, unknown>] as const);

describe('health follows the rollout without a re-apply', () => {
  it('goes pending after apply and success by itself once CAPI reports the cluster available at the applied generation', async () => {
    const h = harness();
    try {
      const applied = await apply(fixturesFor('h1'));
      h.follower.follow(target('staging', firstSha, applied));
      // The environment's and the cluster's statuses are two requests: wait for both to be on Gitea.
      await until('drover/staging pending and drover/staging/h1 on Gitea', async () => (await latest(firstSha, 'drover/staging'))?.status === 'pending' && (await latest(firstSha, 'drover/staging/h1')) !== undefined);
      expect((await latest(firstSha, 'drover/staging/h1'))?.description).toMatch(/^staging\/h1: /);
      const listsAfterSync = h.watch.requests.list;
      expect(listsAfterSync).toBe(h.follower.watchedScopes().length); // one LIST per kind and namespace, then watches
      for (const [f, status] of available('h1')) await writeStatus(f, status);
      await until('drover/staging success on Gitea', async () => (await latest(firstSha, 'drover/staging'))?.status === 'success');
      await h.follower.idle();
      expect(await latest(firstSha, 'drover/staging')).toEqual({ status: 'success', description: 'staging: applied 3 created; 1/1 clusters healthy at this revision' });
      expect(await latest(firstSha, 'drover/staging/h1')).toEqual({ status: 'success', description: 'staging/h1: Available, cp 3/3, workers 5/5, v1.33.2' });
      // Only changes are posted: no repeat of the same state and description.
      const states = (await history(firstSha, 'drover/staging')).map((s) => `${s.status} ${s.description}`);
      expect(new Set(states).size).toBe(states.length);
      expect(h.watch.requests.list).toBe(listsAfterSync); // no re-list: the watches carried every change
      expect(h.follower.current('staging')?.health.state).toBe('success');
    } finally {
      await h.stop();
    }
  });

  it('turns a stuck cluster into failure after the provisioning timeout, with no change to watch', async () => {
    const h = harness();
    try {
      const sha = await newCommit('stuck');
      const fixtures = fixturesFor('h2');
      const applied = await apply(fixtures);
      await writeStatus(fixtures[0]!, clusterV1beta2({ name: 'h2', conditions: provisioningConditions(), cp: counters(3, 0, 0, 0), phase: 'Provisioning' }).status as Record<string, unknown>);
      h.follower.follow(target('stuck', sha, applied, { provisioningTimeoutSeconds: 3 }));
      await until('drover/stuck failure', async () => (await latest(sha, 'drover/stuck'))?.status === 'failure', 30_000);
      // pending first unless the machine was too slow to report before the 3 s passed; never success
      expect((await history(sha, 'drover/stuck')).map((s) => s.status).filter((s) => s !== 'pending')).toEqual(['failure']);
      expect((await latest(sha, 'drover/stuck/h2'))?.description).toMatch(/^stuck\/h2: Timed out after 3s: /);
    } finally {
      await h.stop();
    }
  });

  it('finishes the older commit when a newer revision of the environment is applied', async () => {
    const h = harness();
    try {
      const older = await newCommit('older');
      const applied = await apply(fixturesFor('h3'));
      h.follower.follow(target('rolling', older, applied));
      await until('older pending', async () => (await latest(older, 'drover/rolling'))?.status === 'pending');
      const newer = await newCommit('newer');
      h.follower.follow(target('rolling', newer, applied));
      await until('newer pending', async () => (await latest(newer, 'drover/rolling'))?.status === 'pending');
      await h.follower.idle();
      const short = `main@sha1:${newer.slice(0, 7)}`;
      await until('older finished', async () => (await latest(older, 'drover/rolling'))?.status === 'error');
      expect((await latest(older, 'drover/rolling'))?.description).toContain(`superseded by ${short} before it settled`);
      expect((await latest(older, 'drover/rolling/h3'))?.status).toBe('error');
      for (const [f, status] of available('h3')) await writeStatus(f, status);
      await until('newer success', async () => (await latest(newer, 'drover/rolling'))?.status === 'success');
      expect((await latest(older, 'drover/rolling'))?.status).toBe('error'); // the older commit stays finished
    } finally {
      await h.stop();
    }
  });

  it('backs off while the apiserver is unreachable and resumes from where it was, losing no change', async () => {
    const h = harness();
    try {
      const sha = await newCommit('apiserver-down');
      const applied = await apply(fixturesFor('h4'));
      h.follower.follow(target('outage', sha, applied));
      await until('pending', async () => (await latest(sha, 'drover/outage'))?.status === 'pending');
      const lists = h.watch.requests.list;
      await apiProxy.down();
      // CAPI keeps working while Drover cannot reach the apiserver.
      for (const [f, status] of available('h4')) await writeStatus(f, status);
      await until('the watches noticed', async () => h.log.lines.some((l) => l.msg === 'watch failed, backing off'), 10_000);
      await new Promise((r) => setTimeout(r, 1500));
      expect((await latest(sha, 'drover/outage'))?.status).toBe('pending');
      await apiProxy.up();
      await until('success after the apiserver came back', async () => (await latest(sha, 'drover/outage'))?.status === 'success');
      // Resumed from the last resourceVersion: no new LIST was needed.
      expect(h.watch.requests.list).toBe(lists);
    } finally {
      await apiProxy.up();
      await h.stop();
    }
  });

  it('keeps statuses in the outbox while the forge is down and delivers them when it returns', async () => {
    const h = harness();
    try {
      const sha = await newCommit('forge-down');
      const applied = await apply(fixturesFor('h5'));
      h.follower.follow(target('forge', sha, applied));
      await until('pending', async () => (await latest(sha, 'drover/forge'))?.status === 'pending');
      await forgeProxy.down();
      for (const [f, status] of available('h5')) await writeStatus(f, status);
      await until('statuses queued', async () => (await h.outbox.list()).some((e) => e.sha === sha && e.status.state === 'success'), 20_000);
      expect((await latest(sha, 'drover/forge'))?.status).toBe('pending');
      await forgeProxy.up();
      await until('delivered from the outbox', async () => (await latest(sha, 'drover/forge'))?.status === 'success', 20_000);
      expect((await latest(sha, 'drover/forge/h5'))?.status).toBe('success');
      await until('outbox empty', async () => (await h.outbox.list()).length === 0);
    } finally {
      await forgeProxy.up();
      await h.stop();
    }
  });
});
