// Two fleets (two repositories, or two Fleets served by one agent) that both have an environment
// called `staging` share one inventory name, `drover-inventory-staging` in the one inventory
// namespace. Before the inventory recorded its fleet repository, the second fleet's apply saw the
// first one's objects as removed from git and pruned them (a Cluster among them was held back only
// by the cluster-removed-without-tombstone guard: what blocked bench:capi's 10-cluster commit after
// its 1-cluster one). Now the inventory names its repository (ApplyOptions.inventorySource, from
// the CLI's --repo or the Fleet's spec.source.url) and another repository is refused, by name,
// before anything is written.
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
async function applyFleet(name: string, namespace: string, mode: ReconcileMode = ReconcileMode.Apply) {
  const dir = join(work, name);
  await mkdir(join(dir, 'environments', 'staging'), { recursive: true });
  await writeFile(join(dir, 'drover.yaml'), stringify({ environments: [{ name: 'staging', path: 'environments/staging', namespace }] }));
  await writeFile(join(dir, 'environments', 'staging', 'kustomization.yaml'), stringify({ resources: ['cm.yaml'] }));
  await writeFile(join(dir, 'environments', 'staging', 'cm.yaml'), stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-settings` }, data: { owner: name } }));
  const loaded = await loadRevision(() => createLocalSource(dir).fetchRevision(), silentLogger);
  if (!loaded.ok) throw loaded.failure.error;
  const renderer = createRenderer();
  return reconcileEnvironment(
    { snapshot: loaded.snapshot, config: loaded.config, environment: findEnvironment(loaded.config, 'staging'), mode },
    {
      client: createKubeClient(kc),
      render: (s, d) => renderer.build(s.tree, d),
      log: silentLogger,
      applyOptions: { inventoryNamespace: ns.inventory, inventorySource: `git.example/acme/${name}:drover.yaml` },
      lease: false,
    },
  );
}

describe('two fleets with an environment of the same name', () => {
  it("leave each other's objects alone: the second is refused, naming both repositories, and writes nothing", async () => {
    const a = await applyFleet('fleet-a', ns.a);
    expect(a.failure).toBeUndefined();
    const client = createKubeClient(kc);
    const inventory = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.inventory, name: 'drover-inventory-staging' });
    expect(inventory?.metadata.annotations?.['drover.dev/source']).toBe('git.example/acme/fleet-a:drover.yaml');

    for (const mode of [ReconcileMode.Plan, ReconcileMode.Apply]) {
      const b = await applyFleet('fleet-b', ns.b, mode);
      expect(b.failure?.reason).toBe('PlanFailed');
      expect(b.failure?.error.message).toBe(
        `ConfigMap/${ns.inventory}/drover-inventory-staging: environment staging is already applied from git.example/acme/fleet-a:drover.yaml, not from git.example/acme/fleet-b:drover.yaml: ` +
          "two fleets define an environment of this name and would prune each other's objects; rename one of the environments, or give one fleet its own inventory namespace (agent --inventory-namespace)",
      );
      expect(b.apply).toBeUndefined();
    }
    expect(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.a, name: 'fleet-a-settings' })).toBeDefined();
    expect(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.b, name: 'fleet-b-settings' })).toBeUndefined();
    // The first fleet goes on as before, and keeps its inventory's name on it.
    const again = await applyFleet('fleet-a', ns.a);
    expect(again.failure).toBeUndefined();
    const after = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.inventory, name: 'drover-inventory-staging' });
    expect(after?.metadata.annotations?.['drover.dev/source']).toBe('git.example/acme/fleet-a:drover.yaml');
  });
});
