// Issue 14: deleting a Fleet leaves its clusters alone unless the Fleet says otherwise. With
// `spec.prune.onDelete: Delete` the agent holds the Fleet with the finalizer
// drover.dev/prune-on-delete, prunes what its environments own through the normal prune path,
// then lets it go. A Cluster is deleted only with `allowClusterDeletion: true`; without it the
// Fleet stays, its status naming the Clusters that hold it. Real kube-apiserver and git server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import type { RunningAgent } from '../../agent/runtime/agent.js';
import { clusterObjects } from '../support/capi-cluster-objects.js';
import { createRepo } from '../support/git-repo.js';
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

describe('deleting a Fleet with spec.prune.onDelete: Delete', () => {
  let fleetNs: string;
  let target: string;
  let cacheDir: string;
  let agent: RunningAgent;
  let client: KubeClient;

  beforeAll(async () => {
    fleetNs = await createTestNamespace(kubeconfigPath, 'fdel');
    target = await createTestNamespace(kubeconfigPath, 'fdel-env');
    cacheDir = await mkdtemp(join(tmpdir(), 'drover-fleet-delete-'));
    client = createKubeClient(kc, { fieldManager: 'test' });
    agent = await startTestAgent(kc, { namespace: fleetNs, cacheDir, backoff: { baseMs: 200, maxMs: 1000, jitter: 0 } });
  });
  afterAll(async () => {
    await agent?.stop();
    for (const n of [fleetNs, target]) if (n) await deleteTestNamespace(kubeconfigPath, n);
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  const fleetObj = async (name: string) => (await client.get({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: fleetNs, name }));
  const cm = (name: string) => client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: target, name });
  const inventory = (env: string) => client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: fleetNs, name: `drover-inventory-${env}` });

  /** Creates the Fleet and waits until `written` is live (the inventory exists earlier: it records intent first). */
  async function createFleet(name: string, env: string, objects: object[], prune: Record<string, unknown>, written: () => Promise<unknown>): Promise<void> {
    const repo = `fleet-delete-${name}-${process.pid}-${Date.now().toString(36)}`;
    await createRepo(gitRoot, repo, {
      'drover.yaml': stringify({ environments: [{ name: env, path: 'env', namespace: target }] }),
      'env/kustomization.yaml': stringify({ resources: ['objects.yaml'] }),
      'env/objects.yaml': objects.map((o) => stringify(o)).join('---\n'),
    });
    await custom.createNamespacedCustomObject({
      ...fleets,
      namespace: fleetNs,
      body: { apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name }, spec: { source: { url: `${gitServerUrl}/${repo}.git`, ref: 'main' }, interval: '2s', prune } },
    });
    await waitUntil(async () => ((await written()) ? true : undefined), { what: `${env} applied`, timeoutMs: 60_000, intervalMs: 250 });
    await waitUntil(async () => ((await fleetObj(name))?.metadata.finalizers?.includes('drover.dev/prune-on-delete') ? true : undefined), { what: 'finalizer held', timeoutMs: 30_000, intervalMs: 250 });
  }

  it('prunes what the environments own, removes their inventories, then the Fleet goes', async () => {
    const settings = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } };
    const unrelated = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-ours', namespace: target }, data: { a: '1' } };
    await client.apply(unrelated, { dryRun: false, force: true });
    await createFleet('cascade', 'cascade', [settings], { onDelete: 'Delete' }, () => cm('settings'));
    expect(await cm('settings')).toBeDefined();
    await custom.deleteNamespacedCustomObject({ ...fleets, namespace: fleetNs, name: 'cascade' });
    await waitUntil(async () => ((await fleetObj('cascade')) === undefined ? true : undefined), { what: 'the Fleet gone', timeoutMs: 60_000, intervalMs: 250 });
    expect(await cm('settings')).toBeUndefined();
    expect(await inventory('cascade')).toBeUndefined();
    // Only what the inventory listed: an object Drover never applied stays.
    expect(await cm('not-ours')).toBeDefined();
  });

  it('holds a Fleet whose environment owns a Cluster until allowClusterDeletion says yes, then deletes the Cluster too', async () => {
    const objects = clusterObjects(target, 'eu-9').map((o) => ({ ...o, metadata: { ...o.metadata } }));
    const clusterRef = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', namespace: target, name: 'eu-9' };
    const last = objects[objects.length - 1]!;
    await createFleet('clusters', 'clusters', objects, { onDelete: 'Delete' }, async () => (await client.get(clusterRef)) && (await client.get({ apiVersion: last.apiVersion, kind: last.kind, namespace: target, name: last.metadata.name! })));
    expect(await client.get(clusterRef)).toBeDefined();
    await custom.deleteNamespacedCustomObject({ ...fleets, namespace: fleetNs, name: 'clusters' });
    const held = await waitUntil(async () => {
      const f = await fleetObj('clusters');
      const ready = (f?.status as { conditions?: Array<{ type: string; reason: string; message: string }> } | undefined)?.conditions?.find((c) => c.type === 'Ready');
      return ready?.reason === 'PruneFailed' ? ready : undefined;
    }, { what: 'deletion held by the Cluster', timeoutMs: 60_000, intervalMs: 250 });
    expect(held.message).toContain(`clusters: environment clusters owns 1 Cluster (Cluster/${target}/eu-9): nothing deleted; allow deleting them too (spec.prune.allowClusterDeletion: true)`);
    expect(await client.get(clusterRef)).toBeDefined();
    expect(await fleetObj('clusters')).toBeDefined();
    // The explicit yes: the Cluster goes first, then everything else, then the Fleet.
    await client.mergePatch({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: fleetNs, name: 'clusters' }, { spec: { prune: { onDelete: 'Delete', allowClusterDeletion: true } } });
    await waitUntil(async () => ((await fleetObj('clusters')) === undefined ? true : undefined), { what: 'the Fleet gone', timeoutMs: 90_000, intervalMs: 250 });
    expect(await client.get(clusterRef)).toBeUndefined();
    for (const o of objects) expect(await client.get({ apiVersion: o.apiVersion, kind: o.kind, namespace: target, name: o.metadata.name! })).toBeUndefined();
    expect(await inventory('clusters')).toBeUndefined();
  });

  it('refuses allowClusterDeletion without onDelete: Delete (CEL rule of the CRD)', async () => {
    await expect(
      custom.createNamespacedCustomObject({
        ...fleets,
        namespace: fleetNs,
        body: { apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name: 'bad' }, spec: { source: { url: 'https://git.example/x.git' }, prune: { allowClusterDeletion: true } } },
      }),
    ).rejects.toThrow(/allowClusterDeletion needs onDelete Delete/);
  });
});
