// What the agent asks of the apiserver once it holds a Fleet (real kube-apiserver, real git
// http-backend, the agent in-process): a commit that changes one object is planned from the watch
// cache (no LIST) with one dry-run, writes that one object, and renders what was committed (no
// stale cached build); the manual trigger at an unchanged commit lists, dry-runs and writes
// nothing but the Fleet status. Counts, not times.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
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

const COUNT = 30;

function fleetFiles(namespace: string, values: Record<number, string> = {}): Record<string, string> {
  const cms = Array.from({ length: COUNT }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-${i}\ndata:\n  value: "${values[i] ?? 'one'}"\n`);
  return {
    'drover.yaml': `apiVersion: drover.dev/v1alpha1\nkind: Fleet\nenvironments:\n  - name: prod\n    path: environments/prod\n    namespace: ${namespace}\n`,
    'environments/prod/kustomization.yaml': 'resources:\n  - settings.yaml\n',
    'environments/prod/settings.yaml': cms.join('---\n'),
  };
}

describe('drover agent: requests once a Fleet is held', () => {
  const repo = `agent-requests-${process.pid}-${Date.now().toString(36)}`;
  let fleetNs: string;
  let target: string;
  let cacheDir: string;
  let agent: RunningAgent;
  let client: KubeClient;
  const key = () => `${fleetNs}/example`;
  const prod = () => agent.state.get(key())?.environments.find((e) => e.name === 'prod');
  const settled = async (revision: string) =>
    waitUntil(async () => (prod()?.appliedRevision === revision && agent.state.get(key())?.reconciling === false ? true : undefined), { what: `prod applied at ${revision}`, timeoutMs: 90_000, intervalMs: 100 });

  beforeAll(async () => {
    fleetNs = await createTestNamespace(kubeconfigPath, 'agent-req');
    target = await createTestNamespace(kubeconfigPath, 'agent-req-prd');
    cacheDir = await mkdtemp(join(tmpdir(), 'drover-agent-req-'));
    const first = await createRepo(gitRoot, repo, fleetFiles(target), { message: 'fleet' });
    client = createKubeClient(kc, { fieldManager: 'test' });
    agent = await startTestAgent(kc, { namespace: fleetNs, cacheDir, recheckMs: 60_000 });
    await client.create({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name: 'example', namespace: fleetNs }, spec: { source: { url: `${gitServerUrl}/${repo}.git`, ref: 'main' }, interval: '1s' } });
    await settled(`main@sha1:${first}`);
  }, 180_000);

  afterAll(async () => {
    await agent?.stop();
    for (const n of [fleetNs, target]) if (n) await deleteTestNamespace(kubeconfigPath, n);
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  }, 120_000);

  it('plans a one-object commit from its watches: no LIST, one dry-run, one object written, the committed value', async () => {
    const before = agent.requests.snapshot();
    const sha = await commitFiles(gitRoot, repo, fleetFiles(target, { 7: 'two' }), { message: 'one object' });
    await settled(`main@sha1:${sha}`);
    const after = agent.requests.snapshot();
    const delta = (verb: keyof typeof after) => after[verb] - before[verb];
    expect(delta('list')).toBe(0);
    expect(delta('dry-run')).toBe(1);
    // The object, and the apply record under its own field manager.
    expect(delta('apply')).toBeLessThanOrEqual(2);
    expect(delta('delete')).toBe(0);
    const cm = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: target, name: 'settings-7' });
    expect(cm?.data).toEqual({ value: 'two' });

    // And back: the renderer must not serve the first commit's build for the same path.
    const back = await commitFiles(gitRoot, repo, fleetFiles(target), { message: 'back' });
    await settled(`main@sha1:${back}`);
    expect((await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: target, name: 'settings-7' }))?.data).toEqual({ value: 'one' });
  }, 180_000);

  it('sees a change made behind its back through the watch and puts it right on the next reconcile, without a LIST', async () => {
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings-3', namespace: target }, data: { value: 'drifted' } }, { dryRun: false, force: true });
    await new Promise((r) => setTimeout(r, 1000)); // the watch event arrives
    const before = agent.requests.snapshot();
    await client.mergePatch({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: fleetNs, name: 'example' }, { metadata: { annotations: { 'drover.dev/reconcile-at': 'drift' } } });
    const value = async () => ((await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: target, name: 'settings-3' }))?.data as { value?: string } | undefined)?.value;
    await waitUntil(async () => ((await value()) === 'one' ? true : undefined), { what: 'the drift put right', timeoutMs: 60_000, intervalMs: 200 });
    await waitUntil(async () => (agent.state.get(key())?.reconciling === false ? true : undefined), { what: 'the pass to end', timeoutMs: 30_000, intervalMs: 100 });
    const after = agent.requests.snapshot();
    expect(after.list - before.list).toBe(0);
    expect(after['dry-run'] - before['dry-run']).toBe(1);
  }, 180_000);

  it('reconciles an unchanged commit on the trigger with no LIST, no dry-run and no write but its status', async () => {
    await new Promise((r) => setTimeout(r, 1500));
    const before = agent.requests.snapshot();
    await client.mergePatch({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: fleetNs, name: 'example' }, { metadata: { annotations: { 'drover.dev/reconcile-at': 'again' } } });
    await waitUntil(async () => (agent.state.get(key()) && ((await client.get({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: fleetNs, name: 'example' }))?.status as { lastHandledReconcileAt?: string } | undefined)?.lastHandledReconcileAt === 'again' ? true : undefined), { what: 'the trigger handled', timeoutMs: 60_000, intervalMs: 200 });
    const after = agent.requests.snapshot();
    expect(after.list - before.list).toBe(0);
    expect(after['dry-run'] - before['dry-run']).toBe(0);
    expect(after.apply - before.apply).toBe(0);
    expect(after.delete - before.delete).toBe(0);
  }, 180_000);
});
