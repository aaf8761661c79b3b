// Leader election and SIGTERM (issue 9), with the agent as child processes against the real
// kube-apiserver and the git http-backend: two replicas, one leads and the other writes nothing;
// SIGKILL of the leader mid-apply → the standby takes the Lease within 20 s and finishes, and
// every object was written exactly once per commit; SIGTERM mid-apply → the environment in
// flight completes, the Lease is given back at once and the process exits 0.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fetchInventory } from '../../agent/apply/inventory-store.js';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { createKubeClient, type WatchHandle } from '../../agent/kube/kube-client.js';
import { fetchLease } from '../../agent/kube/lease.js';
import { startAgentProcess, writesOf, type AgentProcess, type LeaderView } from '../support/agent-process.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/forge/github-api-server.js';
import { commitFiles, createRepo } from '../support/git-repo.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';
import { waitUntil } from '../support/wait-until.js';

const kubeconfigPath = inject('kubeconfigPath');
const gitRoot = inject('gitRoot');
const gitServerUrl = inject('gitServerUrl');
const kc = new KubeConfig();
kc.loadFromFile(kubeconfigPath);
const admin = createKubeClient(kc, { fieldManager: 'test' });
const OBJECTS = 120;
const LEASE = 'drover-agent-leader';
const TOKEN = 'ghp_agent-ha-token';

interface FleetStatusEnv { name: string; lastAppliedRevision?: string; conditions?: Array<{ type: string; status: string }> }

describe('drover agent replicas: leader election, SIGKILL and SIGTERM', () => {
  const repo = `agent-ha-${Date.now().toString(36)}`;
  const ns = { fleet: '', staging: '', prod: '' };
  const agents: AgentProcess[] = [];
  let work = '';
  let watch: WatchHandle[] = [];
  let github: GitHubApiServer;
  /** The commit statuses of a commit: per context, the states posted, oldest first. */
  const statuses = (sha: string) => {
    const out: Record<string, string[]> = {};
    for (const st of github.statuses(sha)) (out[st.context] ??= []).push(st.state);
    return out;
  };
  const statusesSettled = (sha: string) =>
    waitUntil(async () => (['staging', 'prod'].every((e) => statuses(sha)[`drover/${e}`]?.at(-1) === 'success') ? statuses(sha) : undefined), { what: `drover/staging and drover/prod success on ${sha}`, timeoutMs: 60_000, intervalMs: 250 });
  /** Per ConfigMap `<ns>/<name>`: the values it was written with, in order (ADDED and MODIFIED events). */
  const writes = new Map<string, string[]>();

  const files = (value: string) => {
    const cms = (namespace: string) => Array.from({ length: OBJECTS }, (_, i) => stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace }, data: { value } })).join('---\n');
    return {
      'drover.yaml': stringify({ environments: [{ name: 'staging', path: 'environments/staging', namespace: ns.staging }, { name: 'prod', path: 'environments/prod', namespace: ns.prod }] }),
      'environments/staging/kustomization.yaml': 'resources:\n  - objects.yaml\n',
      'environments/staging/objects.yaml': cms(ns.staging),
      'environments/prod/kustomization.yaml': 'resources:\n  - objects.yaml\n',
      'environments/prod/objects.yaml': cms(ns.prod),
    };
  };
  const start = (name: string) => {
    const a = startAgentProcess(name, ['--kubeconfig', kubeconfigPath, '--namespace', ns.fleet, '--inventory-namespace', ns.fleet, '--listen', '127.0.0.1:0', '--cache-dir', join(work, `cache-${name}`), '--recheck-interval', '2s', '--log-level', 'info'], { HOME: work });
    agents.push(a);
    return a;
  };
  const holder = async () => (await fetchLease(admin, ns.fleet, LEASE))?.spec?.holderIdentity;
  const fleetEnvs = async () => (((await admin.get({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: ns.fleet, name: 'fleet' }))?.status as { environments?: FleetStatusEnv[] } | undefined)?.environments ?? []);
  const appliedEverywhere = (sha: string, who: AgentProcess) =>
    waitUntil(async () => {
      const envs = await fleetEnvs();
      const done = ['staging', 'prod'].every((n) => {
        const e = envs.find((x) => x.name === n);
        return e?.lastAppliedRevision === `main@sha1:${sha}` && e.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      });
      return done ? envs : undefined;
    }, { what: `Fleet status: staging and prod Ready at ${sha}`, timeoutMs: 180_000, intervalMs: 250 }).catch((e) => {
      throw new Error(`${(e as Error).message}\n${who.name} log:\n${who.log().slice(-4000)}`);
    });
  const watchConfigMaps = async (namespace: string) => {
    const list = await admin.list('v1', 'ConfigMap', namespace);
    for (const o of list.items) record(o);
    watch.push(await admin.watch({ apiVersion: 'v1', kind: 'ConfigMap', namespace }, { resourceVersion: list.resourceVersion }, (e) => {
      if (e.type === 'ADDED' || e.type === 'MODIFIED') record(e.object);
    }));
  };
  const record = (o: KubeObject) => {
    if (!o.metadata.name?.startsWith('cm-')) return;
    const key = `${o.metadata.namespace}/${o.metadata.name}`;
    writes.set(key, [...(writes.get(key) ?? []), (o.data as { value: string }).value]);
  };
  const firstWriteOf = (namespace: string, value: string) =>
    waitUntil(async () => ([...writes].some(([k, v]) => k.startsWith(`${namespace}/`) && v.at(-1) === value) ? true : undefined), { what: `a ConfigMap in ${namespace} at ${value}`, timeoutMs: 120_000, intervalMs: 20 });
  /** Every object of both environments written once with each value, in order, and nothing else. */
  const expectWrittenOnce = (values: string[]) => {
    for (const n of [ns.staging, ns.prod]) {
      for (let i = 0; i < OBJECTS; i++) expect(writes.get(`${n}/cm-${i}`), `${n}/cm-${i}`).toEqual(values);
    }
  };
  const expectInventoryComplete = async () => {
    for (const [env, namespace] of [['staging', ns.staging], ['prod', ns.prod]] as const) {
      const inventory = await fetchInventory(admin, { environment: env, namespace: ns.fleet });
      const entries = [...inventory.values()];
      expect(entries.filter((e) => e.pending)).toEqual([]);
      expect(entries.map((e) => `${e.kind}/${e.namespace}/${e.name}`).sort()).toEqual(Array.from({ length: OBJECTS }, (_, i) => `ConfigMap/${namespace}/cm-${i}`).sort());
    }
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'drover-agent-ha-'));
    ns.fleet = await createTestNamespace(kubeconfigPath, 'ha');
    ns.staging = await createTestNamespace(kubeconfigPath, 'ha-stg');
    ns.prod = await createTestNamespace(kubeconfigPath, 'ha-prd');
    await watchConfigMaps(ns.staging);
    await watchConfigMaps(ns.prod);
    github = await startGitHubApiServer({ token: TOKEN, owner: 'acme', repo });
    await admin.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'forge', namespace: ns.fleet }, stringData: { token: TOKEN } }, { dryRun: false, force: true });
  }, 120_000);

  afterAll(async () => {
    for (const w of watch) w.stop();
    watch = [];
    for (const a of agents) {
      if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGKILL');
    }
    for (const n of Object.values(ns)) if (n) await deleteTestNamespace(kubeconfigPath, n);
    await github?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  let a: AgentProcess;
  let b: AgentProcess;
  let c: AgentProcess;
  let first = '';
  /** The commit statuses of the clean run (commit one, one leader from start to end). */
  let clean: Record<string, string[]> = {};

  it('two replicas: one takes the Lease and applies, the other stands by and writes nothing', async () => {
    first = await createRepo(gitRoot, repo, files('one'), { message: 'one' });
    a = start('drover-a');
    await waitUntil(async () => ((await holder()) === 'drover-a' ? true : undefined), { what: 'drover-a holds the leader Lease', timeoutMs: 120_000, intervalMs: 200 });
    b = start('drover-b');
    await waitUntil(async () => ((await b.getJson<LeaderView>('/api/leader')).holder === 'drover-a' ? true : undefined), { what: 'drover-b sees drover-a lead', timeoutMs: 120_000, intervalMs: 200 });
    await admin.apply({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name: 'fleet', namespace: ns.fleet }, spec: { source: { url: `${gitServerUrl}/${repo}.git` }, interval: '2s', forge: { kind: 'github', url: github.url, repository: `acme/${repo}`, tokenSecretRef: { name: 'forge' } } } }, { dryRun: false, force: true });
    await appliedEverywhere(first, a);
    const standby = await b.getJson<LeaderView>('/api/leader');
    expect(standby).toMatchObject({ identity: 'drover-b', leading: false, holder: 'drover-a' });
    expect(writesOf(standby)).toBe(0);
    expect(standby.requests['dry-run']).toBe(0);
    expect((await a.getJson<LeaderView>('/api/leader')).leading).toBe(true);
    // A standby is ready (it serves; it just does not reconcile).
    expect((await fetch(`${await b.url()}/readyz`)).status).toBe(200);
    expectWrittenOnce(['one']);
    clean = await statusesSettled(first);
    expect(Object.keys(clean).sort()).toEqual(['drover/prod', 'drover/staging']);
  });

  it('SIGKILL of the leader mid-apply: the standby takes over within 20 s and finishes, writing each object once', async () => {
    const second = await commitFiles(gitRoot, repo, files('two'), { message: 'two' });
    // staging is done and prod is being written: the leader dies between two writes of prod.
    await firstWriteOf(ns.prod, 'two');
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await a.exited;
    const tookOverAt = await waitUntil(async () => ((await holder()) === 'drover-b' ? Date.now() : undefined), { what: 'drover-b takes the Lease', timeoutMs: 60_000, intervalMs: 100 });
    const takeoverMs = tookOverAt - killedAt;
    console.log(`takeover after SIGKILL: ${takeoverMs} ms`);
    expect(takeoverMs).toBeLessThan(20_000);
    await appliedEverywhere(second, b);
    // Settle: nothing more is written (a second write would land here).
    await new Promise((r) => setTimeout(r, 5_000));
    expectWrittenOnce(['one', 'two']);
    await expectInventoryComplete();
    // The commit statuses are those of the clean run: none lost, none posted twice, none added to the older commit.
    expect(await statusesSettled(second)).toEqual(clean);
    expect(statuses(first)).toEqual(clean);
    const lease = await fetchLease(admin, ns.fleet, LEASE);
    expect(lease?.spec).toMatchObject({ holderIdentity: 'drover-b', leaseDurationSeconds: 15, leaseTransitions: 1 });
  });

  it('SIGTERM mid-apply: the environment in flight completes, the Lease is given back at once, exit 0', async () => {
    c = start('drover-c');
    await waitUntil(async () => ((await c.getJson<LeaderView>('/api/leader')).holder === 'drover-b' ? true : undefined), { what: 'drover-c stands by', timeoutMs: 120_000, intervalMs: 200 });
    const third = await commitFiles(gitRoot, repo, files('three'), { message: 'three' });
    await firstWriteOf(ns.staging, 'three');
    const stoppedAt = Date.now();
    b.child.kill('SIGTERM');
    const code = await b.exited;
    const exitedAt = Date.now();
    expect(code).toBe(0);
    // The environment in flight (staging) was finished before the exit; prod was left to the next leader.
    for (let i = 0; i < OBJECTS; i++) expect(writes.get(`${ns.staging}/cm-${i}`)?.at(-1), `${ns.staging}/cm-${i}`).toBe('three');
    expect(b.log()).toMatch(/shutting down: environment left for the next leader/);
    expect(b.log()).toMatch(/leader lease released/);
    const lease = await fetchLease(admin, ns.fleet, LEASE);
    expect(lease?.spec?.holderIdentity === undefined || lease.spec.holderIdentity === 'drover-c').toBe(true);
    const tookOverAt = await waitUntil(async () => ((await holder()) === 'drover-c' ? Date.now() : undefined), { what: 'drover-c takes the released Lease', timeoutMs: 30_000, intervalMs: 50 });
    console.log(`SIGTERM → exit: ${exitedAt - stoppedAt} ms; exit → drover-c leads: ${tookOverAt - exitedAt} ms`);
    expect(tookOverAt - exitedAt).toBeLessThan(5_000);
    await appliedEverywhere(third, c);
    await new Promise((r) => setTimeout(r, 5_000));
    expectWrittenOnce(['one', 'two', 'three']);
    await expectInventoryComplete();
    expect(await statusesSettled(third)).toEqual(clean);
    expect(await c.stop()).toBe(0);
  });
});
