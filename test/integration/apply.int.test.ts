// Staged server-side apply against the run's real kube-apiserver with the CAPI v1beta2 and Packet
// CRDs: dry-run before any write, zero writes on a no-op reconcile, exactly k writes for k
// changes, partial failures reported, autoscaled pools and paused clusters left alone.
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { defaultApplyOptions, type ApplyOptions } from '../../agent/apply/apply-options.js';
import { applyEnvironment } from '../../agent/apply/apply-environment.js';
import { fetchEnvironmentState } from '../../agent/apply/environment-state.js';
import { inventoryName } from '../../agent/apply/inventory.js';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import { toRef, type KubeObject } from '../../agent/core/kube-object.js';
import { formatRef } from '../../agent/core/object-ref.js';
import { attributeObjects } from '../../agent/fleet/attribute-objects.js';
import { clusterObjects } from '../support/capi-cluster-objects.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');

/** A fresh client, as a restarted agent would build it. */
function newClient(): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return createKubeClient(kc);
}

const attribute = (objects: readonly KubeObject[]) => attributeObjects(objects);

/** `Kind/ns/name` → resourceVersion of every object of these kinds in the namespace, read with a separate client. */
async function resourceVersions(ns: string, objects: readonly KubeObject[]): Promise<Map<string, string>> {
  const reader = newClient();
  const out = new Map<string, string>();
  const kinds = new Map(objects.map((o) => [`${o.apiVersion} ${o.kind}`, o] as const));
  for (const o of kinds.values()) {
    for (const item of (await reader.list(o.apiVersion, o.kind, ns)).items) out.set(formatRef(toRef(item)), item.metadata.resourceVersion!);
  }
  return out;
}

describe('applyEnvironment', () => {
  let ns: string;
  let options: ApplyOptions;
  beforeEach(async () => {
    ns = await createTestNamespace(kubeconfigPath, 'apply');
    options = { ...defaultApplyOptions(), inventoryNamespace: ns };
  });
  afterEach(async () => {
    await deleteTestNamespace(kubeconfigPath, ns);
  });

  it('makes zero writes and moves no resourceVersion when the same revision is applied again', async () => {
    const desired = [...clusterObjects(ns, 'eu-1'), ...clusterObjects(ns, 'eu-2')];
    const first = await applyEnvironment(newClient(), { environment: ns, desired, attribute }, options);
    expect(first.error).toBeUndefined();
    expect(first.changeSet.summary()).toEqual({ created: 14 });
    const before = await resourceVersions(ns, desired);

    const client = newClient();
    const second = await applyEnvironment(client, { environment: ns, desired, attribute }, options);
    expect(second.error).toBeUndefined();
    expect(second.changeSet.summary()).toEqual({ unchanged: 14 });
    expect(client.requests.writes()).toBe(0);
    // Nothing looked like a change, so nothing needed a dry-run either.
    expect(client.requests.get('dry-run')).toBe(0);
    // One LIST per kind and namespace (6 kinds here), one of the other environments'
    // inventories (who owns what), one GET for the inventory.
    expect(client.requests.get('list')).toBe(7);
    expect(client.requests.get('get')).toBe(1);
    expect(await resourceVersions(ns, desired)).toEqual(before);
  });

  it('writes exactly the k objects that changed', async () => {
    const desired = [...clusterObjects(ns, 'eu-1'), ...clusterObjects(ns, 'eu-2'), ...clusterObjects(ns, 'eu-3')];
    expect((await applyEnvironment(newClient(), { environment: ns, desired, attribute }, options)).error).toBeUndefined();
    const changed = [
      ...clusterObjects(ns, 'eu-1', { workerReplicas: 5 }),
      ...clusterObjects(ns, 'eu-2', { controlPlaneReplicas: 5, version: 'v1.34.1' }),
      ...clusterObjects(ns, 'eu-3'),
    ];
    const client = newClient();
    const result = await applyEnvironment(client, { environment: ns, desired: changed, attribute }, options);
    expect(result.error).toBeUndefined();
    // eu-1's pool; eu-2's control plane and pool (the version is in both).
    expect(result.changeSet.filter('configured').map((e) => formatRef(e.ref)).sort()).toEqual(
      [`KubeadmControlPlane/${ns}/eu-2-cp`, `MachineDeployment/${ns}/eu-1-md-0`, `MachineDeployment/${ns}/eu-2-md-0`].sort(),
    );
    expect(client.requests.get('apply')).toBe(3);
    expect(client.requests.writes()).toBe(3);
    expect(client.requests.get('dry-run')).toBe(3);
  });

  it('writes nothing when one object fails its dry-run, and names the object and field', async () => {
    const desired = clusterObjects(ns, 'eu-1');
    const md = desired.find((o) => o.kind === 'MachineDeployment')!;
    (md.spec as Record<string, unknown>).bogus = true;
    const client = newClient();
    const result = await applyEnvironment(client, { environment: ns, desired, attribute }, options);
    expect(result.error?.message).toContain(`MachineDeployment/${ns}/eu-1-md-0 Invalid: spec.bogus: field not declared in schema`);
    expect(client.requests.writes()).toBe(0);
    expect(result.changeSet.entries).toEqual([expect.objectContaining({ action: 'skipped', reason: expect.stringContaining('spec.bogus') })]);
    expect(await resourceVersions(ns, desired)).toEqual(new Map());
    expect(await newClient().get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: inventoryName(ns) })).toBeUndefined();
  });

  it('collects every dry-run failure, not just the first', async () => {
    const desired = clusterObjects(ns, 'eu-1');
    (desired.find((o) => o.kind === 'MachineDeployment')!.spec as Record<string, unknown>).bogus = true;
    (desired.find((o) => o.kind === 'KubeadmControlPlane')!.spec as Record<string, unknown>).replicas = 'three';
    const result = await applyEnvironment(newClient(), { environment: ns, desired, attribute }, options);
    expect(result.error?.message).toMatch(/^dry-run failed for 2 objects:/);
    expect(result.error?.message).toContain(`KubeadmControlPlane/${ns}/eu-1-cp Invalid: spec.replicas`);
    expect(result.error?.message).toContain(`MachineDeployment/${ns}/eu-1-md-0 Invalid: spec.bogus`);
  });

  it('reports what was applied when a write fails mid-stage, and records it in the inventory', async () => {
    const settings: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fleet-settings', namespace: ns }, data: { a: '1' } };
    const desired = [...clusterObjects(ns, 'eu-1'), settings];
    const noForce = { ...options, force: false };
    const client = newClient();
    // Plan first: every dry-run passes. Then, before apply, someone else creates the pool and
    // owns its replicas, so Drover's write of it conflicts (force is off).
    const state = await fetchEnvironmentState(client, { environment: ns, desired, attribute }, noForce);
    expect(state.dryRunErrors.size).toBe(0);
    const pool = desired.find((o) => o.kind === 'MachineDeployment')!;
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    await createKubeClient(kc, { fieldManager: 'someone-else' }).apply({ ...pool, spec: { ...(pool.spec as object), replicas: 7 } }, { dryRun: false, force: false });

    const result = await applyEnvironment(client, { environment: ns, desired, attribute, state }, noForce);
    expect(result.error?.message).toContain(`apply (Clusters, control planes and pools) failed for 1 object:`);
    expect(result.error?.message).toContain(`MachineDeployment/${ns}/eu-1-md-0 Conflict`);
    const map = result.changeSet.toMap();
    // Templates (stage 2) and the rest of stage 3 were written; the pool failed; stage 4 never ran.
    expect(map[`PacketMachineTemplate/${ns}/eu-1-md-0-v1`]).toBe('created');
    expect(map[`KubeadmConfigTemplate/${ns}/eu-1-md-0-v1`]).toBe('created');
    expect(map[`Cluster/${ns}/eu-1`]).toBe('created');
    expect(map[`KubeadmControlPlane/${ns}/eu-1-cp`]).toBe('created');
    expect(map[`MachineDeployment/${ns}/eu-1-md-0`]).toMatch(/^skipped: failed: .*Conflict/);
    expect(map[`ConfigMap/${ns}/fleet-settings`]).toBe('skipped: not applied: stage "Clusters, control planes and pools" failed');
    expect(await newClient().get(toRef(settings))).toBeUndefined();
    // What was created is in the inventory, so a later prune can find it; what was about to be
    // written and was not stays recorded as intent (pending), never lost (issue 8 #1).
    const inventory = await newClient().get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: inventoryName(ns) });
    const text = (inventory?.data as Record<string, string>)['inventory.json']!;
    const objects = JSON.parse(text).objects as Record<string, Record<string, string>>;
    expect(Object.keys(objects).sort()).toEqual(
      [
        `cluster.x-k8s.io/v1beta2 Cluster ${ns}`,
        `controlplane.cluster.x-k8s.io/v1beta2 KubeadmControlPlane ${ns}`,
        `bootstrap.cluster.x-k8s.io/v1beta2 KubeadmConfigTemplate ${ns}`,
        `infrastructure.cluster.x-k8s.io/v1beta1 PacketCluster ${ns}`,
        `infrastructure.cluster.x-k8s.io/v1beta1 PacketMachineTemplate ${ns}`,
        `cluster.x-k8s.io/v1beta2 MachineDeployment ${ns}`,
        `v1 ConfigMap ${ns}`,
      ].sort(),
    );
    expect(objects[`cluster.x-k8s.io/v1beta2 MachineDeployment ${ns}`]!['eu-1-md-0']).toMatch(/^pending:/);
    expect(objects[`v1 ConfigMap ${ns}`]!['fleet-settings']).toBe('pending:');
    expect(objects[`cluster.x-k8s.io/v1beta2 Cluster ${ns}`]!['eu-1']).not.toMatch(/^pending:/);
  });

  it('never sends replicas for a pool the cluster autoscaler owns', async () => {
    const autoscaled = { 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': '2', 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': '10' };
    const desired = clusterObjects(ns, 'eu-1', { workerReplicas: 3, poolAnnotations: autoscaled });
    expect((await applyEnvironment(newClient(), { environment: ns, desired, attribute }, options)).error).toBeUndefined();
    const pool = toRef(desired.find((o) => o.kind === 'MachineDeployment')!);
    // The autoscaler scales the pool through its own field manager.
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const live = (await newClient().get(pool))!;
    await createKubeClient(kc, { fieldManager: 'cluster-autoscaler' }).apply(
      { apiVersion: live.apiVersion, kind: live.kind, metadata: { name: pool.name, namespace: ns }, spec: { replicas: 6 } },
      { dryRun: false, force: false },
    );
    const client = newClient();
    const again = await applyEnvironment(client, { environment: ns, desired, attribute }, options);
    expect(again.error).toBeUndefined();
    expect(client.requests.writes()).toBe(0);
    expect(((await newClient().get(pool))!.spec as { replicas?: number }).replicas).toBe(6);
  });

  it('skips every object of a paused cluster and leaves it as it is', async () => {
    const desired = clusterObjects(ns, 'eu-1');
    expect((await applyEnvironment(newClient(), { environment: ns, desired, attribute }, options)).error).toBeUndefined();
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const cluster = desired.find((o) => o.kind === 'Cluster')!;
    await createKubeClient(kc, { fieldManager: 'clusterctl' }).apply(
      { apiVersion: cluster.apiVersion, kind: cluster.kind, metadata: { name: 'eu-1', namespace: ns }, spec: { paused: true } },
      { dryRun: false, force: false },
    );
    const before = await resourceVersions(ns, desired);
    const client = newClient();
    const resized = await applyEnvironment(client, { environment: ns, desired: clusterObjects(ns, 'eu-1', { workerReplicas: 9 }), attribute }, options);
    expect(resized.error).toBeUndefined();
    expect(resized.changeSet.summary()).toEqual({ skipped: 7 });
    expect(resized.changeSet.entries[0]!.reason).toContain('paused');
    expect(client.requests.writes()).toBe(0);
    expect(await resourceVersions(ns, desired)).toEqual(before);
  });

  it('creates a new namespace first and dry-runs what goes in it before any other write', async () => {
    const fresh = `${ns}-new`;
    const desired: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: fresh } }, ...clusterObjects(fresh, 'eu-1')];
    try {
      const client = newClient();
      const result = await applyEnvironment(client, { environment: ns, desired, attribute }, options);
      expect(result.error).toBeUndefined();
      expect(result.changeSet.summary()).toEqual({ created: 8 });
      expect(result.changeSet.entries[0]!.ref.kind).toBe('Namespace');
      expect(client.requests.get('dry-run')).toBe(8);
    } finally {
      await deleteTestNamespace(kubeconfigPath, fresh);
    }
  });
});
