// Prune against the real kube-apiserver: only inventory objects go, with UID preconditions; the
// threshold and a Cluster without tombstone refuse; a tombstoned Cluster goes first and its
// objects only once it is gone; a restarted applier finds the inventory in the cluster.
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { defaultApplyOptions, type ApplyOptions } from '../../agent/apply/apply-options.js';
import { applyEnvironment } from '../../agent/apply/apply-environment.js';
import { inventoryName } from '../../agent/apply/inventory.js';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import { toRef, type KubeObject } from '../../agent/core/kube-object.js';
import { formatRef } from '../../agent/core/object-ref.js';
import { attributeObjects } from '../../agent/fleet/attribute-objects.js';
import { clusterObjects } from '../support/capi-cluster-objects.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');

function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc;
}
/** A fresh client, as a restarted agent would build it. */
const newClient = (): KubeClient => createKubeClient(kubeConfig());
const attribute = (objects: readonly KubeObject[]) => attributeObjects(objects);
const configMap = (ns: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { name } });

async function exists(obj: KubeObject): Promise<boolean> {
  return (await newClient().get(toRef(obj))) !== undefined;
}

describe('prune', () => {
  let ns: string;
  let options: ApplyOptions;
  beforeEach(async () => {
    ns = await createTestNamespace(kubeconfigPath, 'prune');
    options = { ...defaultApplyOptions(), inventoryNamespace: ns, pollIntervalMs: 50 };
  });
  afterEach(async () => {
    await deleteTestNamespace(kubeconfigPath, ns);
  });

  it('deletes only inventory objects: an unrelated object in the namespace survives', async () => {
    const [a, b, unrelated] = [configMap(ns, 'a'), configMap(ns, 'b'), configMap(ns, 'not-drovers')];
    expect((await applyEnvironment(newClient(), { environment: ns, desired: [a, b], attribute }, options)).error).toBeUndefined();
    await createKubeClient(kubeConfig(), { fieldManager: 'kubectl' }).apply(unrelated, { dryRun: false, force: false });

    const client = newClient();
    const result = await applyEnvironment(client, { environment: ns, desired: [a], attribute }, options);
    expect(result.error).toBeUndefined();
    expect(result.changeSet.toMap()).toEqual({ [`ConfigMap/${ns}/a`]: 'unchanged', [`ConfigMap/${ns}/b`]: 'deleted' });
    expect(client.requests.get('delete')).toBe(1);
    expect(await exists(b)).toBe(false);
    expect(await exists(unrelated)).toBe(true);
  });

  it('refuses to prune more than max(5, 10%) of the inventory unless overridden', async () => {
    const all = Array.from({ length: 8 }, (_, i) => configMap(ns, `cm-${i}`));
    expect((await applyEnvironment(newClient(), { environment: ns, desired: all, attribute }, options)).error).toBeUndefined();
    const client = newClient();
    const refused = await applyEnvironment(client, { environment: ns, desired: all.slice(0, 2), attribute }, options);
    expect(refused.error?.message).toContain('refusing to prune 6 of 8 inventory objects: more than the limit of 5');
    expect(client.requests.get('delete')).toBe(0);
    expect(refused.changeSet.count('skipped')).toBe(6);
    for (const cm of all) expect(await exists(cm)).toBe(true);

    const overridden = await applyEnvironment(newClient(), { environment: ns, desired: all.slice(0, 2), attribute }, { ...options, prune: { ...options.prune, overrideThreshold: true } });
    expect(overridden.error).toBeUndefined();
    expect(overridden.changeSet.count('deleted')).toBe(6);
  });

  it('refuses to prune anything when the environment renders empty', async () => {
    const all = [configMap(ns, 'a')];
    expect((await applyEnvironment(newClient(), { environment: ns, desired: all, attribute }, options)).error).toBeUndefined();
    const result = await applyEnvironment(newClient(), { environment: ns, desired: [], attribute }, options);
    expect(result.error?.message).toContain('the environment renders no objects');
    expect(await exists(all[0]!)).toBe(true);
  });

  it('a restarted applier reads the inventory from the cluster and prunes what Git dropped', async () => {
    const env = `restart-${ns}`;
    const opts = { ...options, inventoryNamespace: 'drover-system' };
    const desired = [...clusterObjects(ns, 'eu-1'), configMap(ns, 'a'), configMap(ns, 'b')];
    try {
      expect((await applyEnvironment(newClient(), { environment: env, desired, attribute }, opts)).error).toBeUndefined();
      // A new process: new KubeConfig, new client, nothing in memory.
      const restarted = newClient();
      const result = await applyEnvironment(restarted, { environment: env, desired: desired.filter((o) => o.metadata.name !== 'b'), attribute }, opts);
      expect(result.error).toBeUndefined();
      expect(result.changeSet.filter('deleted').map((e) => formatRef(e.ref))).toEqual([`ConfigMap/${ns}/b`]);
      expect(restarted.requests.writes()).toBe(2); // the delete and the inventory update
      const stored = await newClient().get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'drover-system', name: inventoryName(env) });
      expect((stored!.data as Record<string, string>)['inventory.json']).not.toContain('"b"');
    } finally {
      const kc = kubeConfig();
      await kc.makeApiClient((await import('@kubernetes/client-node')).CoreV1Api).deleteNamespacedConfigMap({ name: inventoryName(env), namespace: 'drover-system' });
    }
  });

  it('a Cluster removed from Git without the tombstone is refused and nothing is deleted', async () => {
    const desired = [...clusterObjects(ns, 'eu-1'), ...clusterObjects(ns, 'eu-2')];
    expect((await applyEnvironment(newClient(), { environment: ns, desired, attribute }, options)).error).toBeUndefined();
    const client = newClient();
    const result = await applyEnvironment(client, { environment: ns, desired: clusterObjects(ns, 'eu-1'), attribute }, { ...options, prune: { ...options.prune, overrideThreshold: true } });
    expect(result.error?.message).toContain(`Cluster/${ns}/eu-2 was removed from git without the drover.dev/delete: "true" tombstone`);
    expect(client.requests.get('delete')).toBe(0);
    for (const o of desired) expect(await exists(o)).toBe(true);
  });

  it('with the tombstone, deletes the Cluster first and its objects once it is gone', async () => {
    const eu1 = clusterObjects(ns, 'eu-1');
    expect((await applyEnvironment(newClient(), { environment: ns, desired: [...eu1, configMap(ns, 'keep')], attribute }, options)).error).toBeUndefined();
    const tomb = clusterObjects(ns, 'eu-1', { clusterAnnotations: { 'drover.dev/delete': 'true' } })[0]!;
    const client = newClient();
    const result = await applyEnvironment(client, { environment: ns, desired: [tomb, configMap(ns, 'keep')], attribute }, options);
    expect(result.error).toBeUndefined();
    const deleted = result.changeSet.filter('deleted').map((e) => e.ref.kind);
    expect(deleted[0]).toBe('Cluster');
    expect(deleted.slice(1).sort()).toEqual(['KubeadmConfigTemplate', 'KubeadmControlPlane', 'MachineDeployment', 'PacketCluster', 'PacketMachineTemplate', 'PacketMachineTemplate']);
    for (const o of eu1) expect(await exists(o)).toBe(false);
    expect(await exists(configMap(ns, 'keep'))).toBe(true);
    // The tombstone stays in Git: the next reconcile has nothing left to do.
    const again = newClient();
    expect((await applyEnvironment(again, { environment: ns, desired: [tomb, configMap(ns, 'keep')], attribute }, options)).error).toBeUndefined();
    expect(again.requests.writes()).toBe(0);
  });

  it('waits for a deleting Cluster before pruning its objects, and finishes on a later reconcile', async () => {
    const eu1 = clusterObjects(ns, 'eu-1');
    expect((await applyEnvironment(newClient(), { environment: ns, desired: eu1, attribute }, options)).error).toBeUndefined();
    // CAPI's cluster controller holds a Cluster with its finalizer until the machines are gone.
    const custom = kubeConfig().makeApiClient(CustomObjectsApi);
    const clusterId = { group: 'cluster.x-k8s.io', version: 'v1beta2', namespace: ns, plural: 'clusters', name: 'eu-1' };
    await custom.patchNamespacedCustomObject({ ...clusterId, body: [{ op: 'add', path: '/metadata/finalizers', value: ['cluster.cluster.x-k8s.io'] }] });
    const tomb = clusterObjects(ns, 'eu-1', { clusterAnnotations: { 'drover.dev/delete': 'true' } });

    const first = await applyEnvironment(newClient(), { environment: ns, desired: tomb, attribute }, { ...options, clusterDeletionTimeoutMs: 300 });
    expect(first.error).toBeUndefined();
    expect(first.changeSet.toMap()[`Cluster/${ns}/eu-1`]).toBe('deleted: deletion under way: waiting for Cluster API to remove it');
    expect(first.changeSet.toMap()[`KubeadmControlPlane/${ns}/eu-1-cp`]).toBe(`skipped: not deleted yet: waiting for Cluster/${ns}/eu-1 to be gone`);
    for (const o of eu1.slice(1)) expect(await exists(o)).toBe(true);

    // The cascade finishes: the finalizer comes off and the Cluster disappears.
    await custom.patchNamespacedCustomObject({ ...clusterId, body: [{ op: 'remove', path: '/metadata/finalizers' }] });
    const client = newClient();
    const second = await applyEnvironment(client, { environment: ns, desired: tomb, attribute }, options);
    expect(second.error).toBeUndefined();
    expect(client.requests.get('delete')).toBe(6);
    for (const o of eu1) expect(await exists(o)).toBe(false);
  });
});
