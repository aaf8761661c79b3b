// KNOWN BUG, kept as an expected failure (it.fails) until the inventory is scoped by Fleet: two
// fleets (two repositories, or two Fleets served by one agent) that both have an environment
// called `staging` share one inventory, `drover-inventory-staging` in the one inventory namespace.
// The second fleet's apply then sees the first one's objects as removed from git and prunes them
// (a Cluster among them is held back only by the cluster-removed-without-tombstone guard, which is
// what blocked bench:capi's 10-cluster commit after its 1-cluster one). See notes-capi.md.
// When the inventory gets an owner, remove `.fails`: the test then says what must hold.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { silentLogger } from '../../agent/core/log.js';
import { createKubeClient } from '../../agent/kube/kube-client.js';
import { findEnvironment, loadRevision } from '../../agent/reconcile/load-revision.js';
import { reconcileEnvironment, ReconcileMode } from '../../agent/reconcile/reconcile-environment.js';
import { createRenderer } from '../../agent/render/index.js';
import { createLocalSource } from '../../agent/source/local-source.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');
const kc = new KubeConfig();
kc.loadFromFile(kubeconfigPath);

const ns = { inventory: '', a: '', b: '' };
let work: string;

beforeAll(async () => {
  ns.inventory = await createTestNamespace(kubeconfigPath, 'shared-inv');
  ns.a = await createTestNamespace(kubeconfigPath, 'fleet-a');
  ns.b = await createTestNamespace(kubeconfigPath, 'fleet-b');
  work = await mkdtemp(join(tmpdir(), 'drover-shared-inv-'));
}, 60_000);
afterAll(async () => {
  for (const n of Object.values(ns)) if (n) await deleteTestNamespace(kubeconfigPath, n);
  if (work) await rm(work, { recursive: true, force: true });
});

/** A fleet repository whose one environment `staging` holds one ConfigMap in `namespace`. */
async function applyFleet(name: string, namespace: string) {
  const dir = join(work, name);
  await mkdir(join(dir, 'environments', 'staging'), { recursive: true });
  await writeFile(join(dir, 'drover.yaml'), stringify({ environments: [{ name: 'staging', path: 'environments/staging', namespace }] }));
  await writeFile(join(dir, 'environments', 'staging', 'kustomization.yaml'), stringify({ resources: ['cm.yaml'] }));
  await writeFile(join(dir, 'environments', 'staging', 'cm.yaml'), stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-settings` }, data: { owner: name } }));
  const loaded = await loadRevision(() => createLocalSource(dir).fetchRevision(), silentLogger);
  if (!loaded.ok) throw loaded.failure.error;
  const renderer = createRenderer();
  return reconcileEnvironment(
    { snapshot: loaded.snapshot, config: loaded.config, environment: findEnvironment(loaded.config, 'staging'), mode: ReconcileMode.Apply },
    { client: createKubeClient(kc), render: (s, d) => renderer.build(s.tree, d), log: silentLogger, applyOptions: { inventoryNamespace: ns.inventory }, lease: false },
  );
}

describe('two fleets with an environment of the same name', () => {
  it.fails('leave each other\'s objects alone', async () => {
    const a = await applyFleet('fleet-a', ns.a);
    expect(a.failure).toBeUndefined();
    const b = await applyFleet('fleet-b', ns.b);
    expect(b.failure).toBeUndefined();
    const client = createKubeClient(kc);
    expect(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.b, name: 'fleet-b-settings' })).toBeDefined();
    // Today: fleet-b's apply pruned fleet-a's ConfigMap (it was in "its" inventory, not in its git).
    expect(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.a, name: 'fleet-a-settings' })).toBeDefined();
  });
});
