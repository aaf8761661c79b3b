// Sharding (issue 9), with the agent as child processes against the real kube-apiserver: a
// replica started with `--shard eu` reconciles only the Fleets labelled drover.dev/shard=eu, a
// replica without --shard only the Fleets with no shard label; each shard elects its own leader
// (its own Lease); a Fleet whose shard no replica serves is left alone; relabelling a Fleet moves it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKubeClient } from '../../agent/kube/kube-client.js';
import { fetchLease } from '../../agent/kube/lease.js';
import { startAgentProcess, type AgentProcess } from '../support/agent-process.js';
import { createRepo } from '../support/git-repo.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';
import { waitUntil } from '../support/wait-until.js';

const kubeconfigPath = inject('kubeconfigPath');
const gitRoot = inject('gitRoot');
const gitServerUrl = inject('gitServerUrl');
const kc = new KubeConfig();
kc.loadFromFile(kubeconfigPath);
const admin = createKubeClient(kc, { fieldManager: 'test' });

describe('drover agent shards', () => {
  const stamp = Date.now().toString(36);
  const ns = { fleet: '', eu: '', plain: '', us: '' };
  const agents: AgentProcess[] = [];
  let work = '';

  const fleetRepo = async (name: keyof typeof ns) => {
    const files = {
      'drover.yaml': stringify({ environments: [{ name, path: 'env', namespace: ns[name] }] }),
      'env/kustomization.yaml': 'resources:\n  - cm.yaml\n',
      'env/cm.yaml': stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { shard: name } }),
    };
    await createRepo(gitRoot, `shard-${name}-${stamp}`, files, { message: name });
    return `${gitServerUrl}/shard-${name}-${stamp}.git`;
  };
  const createFleet = async (name: keyof typeof ns, shard: string | undefined) =>
    admin.apply({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name, namespace: ns.fleet, ...(shard ? { labels: { 'drover.dev/shard': shard } } : {}) }, spec: { source: { url: await fleetRepo(name) }, interval: '2s' } }, { dryRun: false, force: true });
  const start = (name: string, args: string[]) => {
    const a = startAgentProcess(name, ['--kubeconfig', kubeconfigPath, '--namespace', ns.fleet, '--inventory-namespace', ns.fleet, '--listen', '127.0.0.1:0', '--cache-dir', join(work, `cache-${name}`), ...args], { HOME: work });
    agents.push(a);
    return a;
  };
  const applied = (name: keyof typeof ns) => waitUntil(async () => (await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns[name], name: 'settings' })) ?? undefined, { what: `Fleet ${name} applied`, timeoutMs: 120_000, intervalMs: 250 });
  const served = async (a: AgentProcess) => (await a.getJson<Array<{ key: string }>>('/api/fleets')).map((f) => f.key).sort();

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'drover-agent-shards-'));
    for (const k of Object.keys(ns) as Array<keyof typeof ns>) ns[k] = await createTestNamespace(kubeconfigPath, `shard-${k}`);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    for (const n of Object.values(ns)) if (n) await deleteTestNamespace(kubeconfigPath, n);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('each replica reconciles only its own shard, under its own leader Lease', async () => {
    await createFleet('eu', 'eu');
    await createFleet('plain', undefined);
    await createFleet('us', 'us');
    const eu = start('drover-eu-0', ['--shard', 'eu']);
    const plain = start('drover-0', []);
    await applied('eu');
    await applied('plain');
    expect(await served(eu)).toEqual([`${ns.fleet}/eu`]);
    expect(await served(plain)).toEqual([`${ns.fleet}/plain`]);
    expect((await fetchLease(admin, ns.fleet, 'drover-agent-leader-eu'))?.spec?.holderIdentity).toBe('drover-eu-0');
    expect((await fetchLease(admin, ns.fleet, 'drover-agent-leader'))?.spec?.holderIdentity).toBe('drover-0');
    // No replica serves shard "us": its Fleet is left alone, with no status.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.us, name: 'settings' })).toBeUndefined();
    expect((await admin.get({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: ns.fleet, name: 'us' }))?.status).toBeUndefined();
    for (const a of [eu, plain]) expect(a.log()).not.toMatch(new RegExp(`"fleet":"${ns.fleet}/us"`));

    // Labelling the unsharded Fleet moves it to shard eu: the unsharded replica lets go of it.
    await admin.mergePatch({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: ns.fleet, name: 'plain' }, { metadata: { labels: { 'drover.dev/shard': 'eu' } } });
    await waitUntil(async () => ((await served(eu)).length === 2 && (await served(plain)).length === 0 ? true : undefined), { what: 'Fleet plain moves to shard eu', timeoutMs: 60_000, intervalMs: 250 });
    expect(plain.log()).toMatch(/fleet removed; what it applied stays/);
    expect(await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.plain, name: 'settings' })).toBeDefined();
  });
});
