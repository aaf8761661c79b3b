// The agent in-process against the real kube-apiserver and git http-backend: a Fleet is created,
// its environments are applied in promotion order without any CLI call, a push is applied within
// one interval, suspend/resume, the manual trigger, an apply window that is closed, and the
// Fleet's deletion (the agent stops, what it applied stays).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import type { RunningAgent } from '../../agent/runtime/agent.js';
import { commitFiles, createRepo } from '../support/git-repo.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';
import { waitUntil } from '../support/wait-until.js';
import { startTestAgent } from '../support/test-agent.js';

const kubeconfigPath = inject('kubeconfigPath');
const gitRoot = inject('gitRoot');
const gitServerUrl = inject('gitServerUrl');

const kc = new KubeConfig();
kc.loadFromFile(kubeconfigPath);
const custom = kc.makeApiClient(CustomObjectsApi);
const fleets = { group: 'drover.dev', version: 'v1alpha1', plural: 'fleets' };

interface FleetStatus {
  observedGeneration?: number;
  lastHandledReconcileAt?: string;
  readyEnvironments?: string;
  environments?: Array<{ name: string; lastAppliedRevision?: string; lastAttemptedRevision?: string; nextApplyWindow?: string; conditions?: Array<{ type: string; status: string; reason: string; message: string }> }>;
}

function fleetFiles(ns: { staging: string; prod: string }, value: string): Record<string, string> {
  const env = (name: string, namespace: string, after?: string) =>
    `  - name: ${name}\n    path: environments/${name}\n    namespace: ${namespace}\n${after ? `    after: ${after}\n` : ''}`;
  const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  value: "${value}"\n  env: ${name}\n`;
  return {
    'drover.yaml': `apiVersion: drover.dev/v1alpha1\nkind: Fleet\nenvironments:\n${env('staging', ns.staging)}${env('prod', ns.prod, 'staging')}`,
    'environments/staging/kustomization.yaml': 'resources:\n  - settings.yaml\n',
    'environments/staging/settings.yaml': cm('staging'),
    'environments/prod/kustomization.yaml': 'resources:\n  - settings.yaml\n',
    'environments/prod/settings.yaml': cm('prod'),
  };
}

describe('drover agent: a Fleet is kept applied without any CLI call', () => {
  const repo = `agent-fleet-${process.pid}-${Date.now().toString(36)}`;
  let fleetNs: string;
  const ns = { staging: '', prod: '' };
  let cacheDir: string;
  let agent: RunningAgent;
  let client: KubeClient;
  let first: string;

  const fleetStatus = async (): Promise<FleetStatus> => ((await custom.getNamespacedCustomObject({ ...fleets, namespace: fleetNs, name: 'example' })) as { status?: FleetStatus }).status ?? {};
  const envStatus = async (name: string) => (await fleetStatus()).environments?.find((e) => e.name === name);
  const setting = async (namespace: string) => (await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'settings' }))?.data as Record<string, string> | undefined;
  const mergeFleet = (patch: Record<string, unknown>) => client.mergePatch({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: fleetNs, name: 'example' }, patch);

  beforeAll(async () => {
    fleetNs = await createTestNamespace(kubeconfigPath, 'agent');
    ns.staging = await createTestNamespace(kubeconfigPath, 'agent-stg');
    ns.prod = await createTestNamespace(kubeconfigPath, 'agent-prd');
    cacheDir = await mkdtemp(join(tmpdir(), 'drover-agent-'));
    first = await createRepo(gitRoot, repo, fleetFiles(ns, 'one'), { message: 'fleet' });
    client = createKubeClient(kc, { fieldManager: 'test' });
    agent = await start();
  });

  async function start(): Promise<RunningAgent> {
    return startTestAgent(kc, { namespace: fleetNs, cacheDir });
  }

  afterAll(async () => {
    await agent?.stop();
    for (const n of [fleetNs, ns.staging, ns.prod]) if (n) await deleteTestNamespace(kubeconfigPath, n);
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  it('serves /healthz and /readyz', async () => {
    expect((await fetch(`${agent.url}/healthz`)).status).toBe(200);
    await waitUntil(async () => ((await fetch(`${agent.url}/readyz`)).status === 200 ? true : undefined), { what: 'readyz', timeoutMs: 10_000 });
  });

  it('applies staging, then prod once staging is healthy at that revision, and says so in the Fleet status', async () => {
    await custom.createNamespacedCustomObject({
      ...fleets,
      namespace: fleetNs,
      body: { apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name: 'example' }, spec: { source: { url: `${gitServerUrl}/${repo}.git`, ref: 'main' }, interval: '2s' } },
    });
    const revision = `main@sha1:${first}`;
    const status = await waitUntil(async () => {
      const s = await fleetStatus();
      return s.readyEnvironments === '2/2' ? s : undefined;
    }, { what: 'both environments Ready', timeoutMs: 60_000, intervalMs: 250 });
    expect(await setting(ns.staging)).toMatchObject({ value: 'one' });
    expect(await setting(ns.prod)).toMatchObject({ value: 'one' });
    expect(status.environments?.map((e) => [e.name, e.lastAppliedRevision, e.conditions?.find((c) => c.type === 'Ready')?.status])).toEqual([
      ['staging', revision, 'True'],
      ['prod', revision, 'True'],
    ]);
    expect(agent.state.get(`${fleetNs}/example`)?.environments.map((e) => e.phase)).toEqual(['ready', 'ready']);
  });

  it('applies a pushed commit within an interval, with no CLI call', async () => {
    const second = await commitFiles(gitRoot, repo, fleetFiles(ns, 'two'), { message: 'two' });
    await waitUntil(async () => ((await setting(ns.prod))?.value === 'two' ? true : undefined), { what: 'prod at two', timeoutMs: 30_000, intervalMs: 250 });
    await waitUntil(async () => ((await envStatus('prod'))?.lastAppliedRevision === `main@sha1:${second}` ? true : undefined), { what: 'prod status at the second commit', timeoutMs: 10_000, intervalMs: 100 });
    await waitUntil(async () => (agent.state.get(`${fleetNs}/example`)?.reconciling === false ? true : undefined), { what: 'the pass to end', timeoutMs: 10_000, intervalMs: 100 });
  });

  it('polls an unchanged source without writing anything', async () => {
    await new Promise((r) => setTimeout(r, 1_000));
    const before = agent.requests.snapshot();
    await new Promise((r) => setTimeout(r, 5_000));
    const after = agent.requests.snapshot();
    expect(after.apply - before.apply).toBe(0);
    expect(after.status - before.status).toBe(0);
    expect(after['dry-run'] - before['dry-run']).toBe(0);
  });

  it('holds writes while suspended and applies on resume', async () => {
    await mergeFleet({ spec: { suspend: true } });
    await waitUntil(async () => (agent.state.get(`${fleetNs}/example`)?.suspended ? true : undefined), { what: 'suspended', timeoutMs: 10_000 });
    await commitFiles(gitRoot, repo, fleetFiles(ns, 'three'), { message: 'three' });
    await new Promise((r) => setTimeout(r, 5_000));
    expect((await setting(ns.staging))?.value).toBe('two');
    await mergeFleet({ spec: { suspend: false } });
    await waitUntil(async () => ((await setting(ns.staging))?.value === 'three' ? true : undefined), { what: 'staging at three after resume', timeoutMs: 30_000, intervalMs: 250 });
  });

  it('reconciles on the drover.dev/reconcile-at annotation and records it as handled', async () => {
    await mergeFleet({ metadata: { annotations: { 'drover.dev/reconcile-at': 'now-1' } } });
    await waitUntil(async () => ((await fleetStatus()).lastHandledReconcileAt === 'now-1' ? true : undefined), { what: 'trigger handled', timeoutMs: 30_000, intervalMs: 250 });
  });

  it('plans but does not write outside an apply window, and says when the next one opens', async () => {
    // A one-hour window twelve hours from now: closed for the whole test.
    const hour = (new Date().getUTCHours() + 12) % 24;
    await mergeFleet({ spec: { applyWindows: [{ environment: 'staging', windows: [{ schedule: `0 ${hour} * * *`, duration: '1h' }] }] } });
    const fourth = await commitFiles(gitRoot, repo, fleetFiles(ns, 'four'), { message: 'four' });
    const held = await waitUntil(async () => {
      const e = await envStatus('staging');
      return e?.lastAttemptedRevision === `main@sha1:${fourth}` && e.conditions?.some((c) => c.type === 'Ready' && c.reason === 'OutsideApplyWindow') ? e : undefined;
    }, { what: 'staging held by its window', timeoutMs: 30_000, intervalMs: 250 });
    expect(held.nextApplyWindow).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T${String(hour).padStart(2, '0')}:00:00Z$`));
    expect(held.conditions?.find((c) => c.type === 'Ready')?.message).toContain('writes wait for the window opening at');
    expect((await setting(ns.staging))?.value).toBe('three');
    expect((await envStatus('prod'))?.conditions?.find((c) => c.type === 'Ready')?.reason).toBe('WaitingForPromotion');
    await mergeFleet({ spec: { applyWindows: null } });
    await waitUntil(async () => ((await setting(ns.prod))?.value === 'four' ? true : undefined), { what: 'prod at four once the window is gone', timeoutMs: 30_000, intervalMs: 250 });
  });

  it('after a restart, re-applies nothing and keeps the Fleet status as it was', async () => {
    // The status as the stopped agent left it (a pass may still be finishing when the test before ends).
    await agent.stop();
    const before = await fleetStatus();
    agent = await start();
    await waitUntil(async () => (agent.state.get(`${fleetNs}/example`)?.lastReconcileAt !== undefined ? true : undefined), { what: 'first pass after the restart', timeoutMs: 30_000, intervalMs: 100 });
    await new Promise((r) => setTimeout(r, 3_000));
    const counts = agent.requests.snapshot();
    expect({ apply: counts.apply, dryRun: counts['dry-run'], status: counts.status, delete: counts.delete }).toEqual({ apply: 0, dryRun: 0, status: 0, delete: 0 });
    expect((await fleetStatus()).environments).toEqual(before.environments);
  });

  it('stops serving a deleted Fleet and leaves what it applied alone', async () => {
    await custom.deleteNamespacedCustomObject({ ...fleets, namespace: fleetNs, name: 'example' });
    await waitUntil(async () => (agent.state.get(`${fleetNs}/example`) === undefined ? true : undefined), { what: 'fleet forgotten', timeoutMs: 10_000 });
    await commitFiles(gitRoot, repo, fleetFiles(ns, 'five'), { message: 'five' });
    await new Promise((r) => setTimeout(r, 4_000));
    expect((await setting(ns.staging))?.value).toBe('four');
    expect((await setting(ns.prod))?.value).toBe('four');
  });
});
