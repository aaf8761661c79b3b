// Plans against the run's real kube-apiserver: live state from one LIST per kind and namespace,
// server-side apply dry-runs (field manager drover, fieldValidation=Strict), then computePlan.
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { defaultApplyOptions, type ApplyOptions } from '../../agent/apply/apply-options.js';
import { applyEnvironment } from '../../agent/apply/apply-environment.js';
import { fetchEnvironmentState, type EnvironmentState } from '../../agent/apply/environment-state.js';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import { toRef, type KubeObject } from '../../agent/core/kube-object.js';
import { attributeObjects } from '../../agent/fleet/attribute-objects.js';
import { computePlan } from '../../agent/plan/compute-plan.js';
import { formatPlanJson } from '../../agent/plan/format-json.js';
import { formatPlanMarkdown } from '../../agent/plan/format-markdown.js';
import { formatPlanText } from '../../agent/plan/format-text.js';
import type { Plan } from '../../agent/plan/plan.js';
import { planJsonSchema } from '../../agent/plan/plan-schema.js';
import { clusterObjects } from '../support/capi-cluster-objects.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');
const REVISION = `main@sha1:${'c'.repeat(40)}`;

function newClient(fieldManager?: string): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return createKubeClient(kc, fieldManager ? { fieldManager } : {});
}
const attribute = (objects: readonly KubeObject[]) => attributeObjects(objects);

/** What `drover plan` does: read the environment (no writes), then compute the plan. */
async function planEnvironment(client: KubeClient, env: string, desired: KubeObject[], options: ApplyOptions): Promise<{ plan: Plan; state: EnvironmentState }> {
  const state = await fetchEnvironmentState(client, { environment: env, desired, attribute }, options);
  const plan = computePlan({
    environment: env,
    revision: REVISION,
    desired,
    live: [...state.live.values()],
    dryRun: state.dryRun,
    dryRunErrors: state.dryRunErrors,
    owned: new Set(state.inventory.keys()),
    clusters: state.attribution,
    protections: { clusterDeletion: options.clusterDeletion, prune: options.prune },
  });
  return { plan, state };
}

describe('plan against the management cluster', () => {
  let ns: string;
  let options: ApplyOptions;
  beforeEach(async () => {
    ns = await createTestNamespace(kubeconfigPath, 'plan');
    options = { ...defaultApplyOptions(), inventoryNamespace: ns };
    const applied = await applyEnvironment(newClient(), { environment: ns, desired: [...clusterObjects(ns, 'eu-1'), ...clusterObjects(ns, 'eu-2')], attribute }, options);
    expect(applied.error).toBeUndefined();
  });
  afterEach(async () => {
    await deleteTestNamespace(kubeconfigPath, ns);
  });

  it('shows a pool resize with from and to, and writes nothing', async () => {
    const client = newClient();
    const desired = [...clusterObjects(ns, 'eu-1', { workerReplicas: 5 }), ...clusterObjects(ns, 'eu-2')];
    const { plan } = await planEnvironment(client, ns, desired, options);
    expect(client.requests.writes()).toBe(0);
    expect(plan.blocked).toBe(false);
    expect(plan.clusters.map((c) => c.name)).toEqual([`${ns}/eu-1`]);
    expect(plan.clusters[0]!.changes).toEqual([
      expect.objectContaining({ type: 'resize', object: `MachineDeployment/${ns}/eu-1-md-0`, path: 'spec.replicas', from: 3, to: 5 }),
    ]);
    expect(plan.counts).toMatchObject({ desired: 14, update: 1, unchanged: 13 });
    expect(formatPlanText(plan)).toContain(`~ resize eu-1-md-0: 3 → 5 (MachineDeployment/${ns}/eu-1-md-0 spec.replicas)`);
    expect(formatPlanMarkdown(plan)).toContain(`| ✏️ | resize eu-1-md-0 | 3 → 5 (MachineDeployment/${ns}/eu-1-md-0 spec.replicas) |`);
  });

  it('shows an upgrade and a template swap with the machines that roll', async () => {
    const desired = [
      ...clusterObjects(ns, 'eu-1', { version: 'v1.34.1' }),
      ...clusterObjects(ns, 'eu-2', { workerTemplate: 'v2', workerMachineType: 'm3.large.x86' }),
    ];
    const { plan } = await planEnvironment(newClient(), ns, desired, options);
    expect(plan.blocked).toBe(false);
    const [eu1, eu2] = plan.clusters;
    expect(eu1!.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'upgrade', object: `KubeadmControlPlane/${ns}/eu-1-cp`, target: 'control plane', from: 'v1.33.2', to: 'v1.34.1', machines: 3 }),
        expect.objectContaining({ type: 'upgrade', object: `MachineDeployment/${ns}/eu-1-md-0`, from: 'v1.33.2', to: 'v1.34.1', machines: 3 }),
      ]),
    );
    expect(eu2!.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'create', object: `PacketMachineTemplate/${ns}/eu-2-md-0-v2` }),
        expect.objectContaining({ type: 'template-swap', target: 'eu-2-md-0', from: 'eu-2-md-0-v1', to: 'eu-2-md-0-v2', machines: 3 }),
      ]),
    );
  });

  it('blocks an in-place edit of a machine template', async () => {
    const desired = [...clusterObjects(ns, 'eu-1', { workerMachineType: 'm3.large.x86' }), ...clusterObjects(ns, 'eu-2')];
    const { plan } = await planEnvironment(newClient(), ns, desired, options);
    expect(plan.blocked).toBe(true);
    expect(plan.clusters[0]!.findings).toEqual([
      {
        severity: 'block',
        code: 'template-edited-in-place',
        message: `PacketMachineTemplate/${ns}/eu-1-md-0-v1 spec.template.spec.machineType: machine templates are immutable; create a new template with a new name and swap the reference to it`,
      },
    ]);
  });

  it('blocks removing a Cluster from Git without the tombstone, and apply deletes nothing', async () => {
    const desired = clusterObjects(ns, 'eu-1');
    const client = newClient();
    const { plan, state } = await planEnvironment(client, ns, desired, options);
    expect(plan.blocked).toBe(true);
    const eu2 = plan.clusters.find((c) => c.name === `${ns}/eu-2`)!;
    expect(eu2.changes[0]).toMatchObject({ type: 'delete-cluster', object: `Cluster/${ns}/eu-2`, from: { version: 'v1.33.2', controlPlane: 3, pools: { 'eu-2-md-0': 3 }, objects: 7 } });
    expect(eu2.findings.map((f) => f.code)).toEqual(['cluster-removed-without-tombstone']);
    // Even when called anyway, apply refuses the prune.
    const result = await applyEnvironment(client, { environment: ns, desired, attribute, state }, options);
    expect(result.error?.message).toContain('without the drover.dev/delete: "true" tombstone');
    expect(client.requests.get('delete')).toBe(0);
    for (const o of clusterObjects(ns, 'eu-2')) expect(await newClient().get(toRef(o))).toBeDefined();
  });

  it('plans a tombstoned cluster as a deletion without blocking when cluster deletions are allowed', async () => {
    const tomb = clusterObjects(ns, 'eu-2', { clusterAnnotations: { 'drover.dev/delete': 'true' } })[0]!;
    // Its 7 objects pass the prune limit (max(5, 10%)): a deletion that large needs explicit consent.
    const blocked = (await planEnvironment(newClient(), ns, [...clusterObjects(ns, 'eu-1'), tomb], options)).plan;
    expect(blocked.findings.map((f) => f.code)).toEqual(['prune-threshold']);
    const allowing = { ...options, prune: { ...options.prune, allowClusterDeletions: 1 } };
    const { plan } = await planEnvironment(newClient(), ns, [...clusterObjects(ns, 'eu-1'), tomb], allowing);
    expect(plan.blocked).toBe(false);
    expect(plan.clusters).toEqual([expect.objectContaining({ name: `${ns}/eu-2`, findings: [] })]);
    expect(plan.clusters[0]!.changes.map((c) => c.type).sort()).toEqual(['delete', 'delete', 'delete', 'delete', 'delete', 'delete', 'delete-cluster']);
    expect(formatPlanText(plan)).toContain(`- delete cluster Cluster/${ns}/eu-2: v1.33.2, control plane 3, eu-2-md-0 ×3; 7 objects`);
  });

  it('blocks on a dry-run rejection, naming the object and the field', async () => {
    const desired = [...clusterObjects(ns, 'eu-1'), ...clusterObjects(ns, 'eu-2')];
    (desired.find((o) => o.kind === 'KubeadmControlPlane')!.spec as Record<string, unknown>).replicas = 'five';
    const { plan } = await planEnvironment(newClient(), ns, desired, options);
    expect(plan.blocked).toBe(true);
    expect(plan.clusters[0]!.findings).toEqual([expect.objectContaining({ code: 'dry-run-failed', message: expect.stringMatching(new RegExp(`^KubeadmControlPlane/${ns}/eu-1-cp Invalid: spec.replicas: `)) })]);
  });

  it('blocks an even control plane size', async () => {
    const desired = [...clusterObjects(ns, 'eu-1', { controlPlaneReplicas: 4 }), ...clusterObjects(ns, 'eu-2')];
    const { plan } = await planEnvironment(newClient(), ns, desired, options);
    expect(plan.blocked).toBe(true);
    expect(plan.clusters[0]!.changes).toEqual([expect.objectContaining({ type: 'resize', from: 3, to: 4 })]);
    expect(plan.clusters[0]!.findings.map((f) => f.code)).toEqual(['control-plane-replicas']);
  });

  it('skips a paused cluster with a finding', async () => {
    await newClient('clusterctl').apply({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'eu-2', namespace: ns, annotations: { 'cluster.x-k8s.io/paused': '' } } }, { dryRun: false, force: false });
    const desired = [...clusterObjects(ns, 'eu-1'), ...clusterObjects(ns, 'eu-2', { workerReplicas: 8 })];
    const { plan } = await planEnvironment(newClient(), ns, desired, options);
    expect(plan.blocked).toBe(false);
    expect(plan.clusters).toEqual([expect.objectContaining({ name: `${ns}/eu-2`, skipped: true, changes: [] })]);
    expect(plan.clusters[0]!.findings.map((f) => [f.severity, f.code])).toEqual([['warn', 'cluster-paused']]);
    expect(plan.counts.skipped).toBe(7);
  });

  it('emits JSON that satisfies the documented schema', async () => {
    const desired = [...clusterObjects(ns, 'eu-1', { workerReplicas: 4 }), ...clusterObjects(ns, 'eu-3')];
    const { plan } = await planEnvironment(newClient(), ns, desired, options);
    const json = JSON.parse(formatPlanJson(plan));
    expect(planJsonSchema.parse(json)).toBeDefined();
    expect(json.clusters.map((c: { name: string }) => c.name)).toEqual([`${ns}/eu-1`, `${ns}/eu-2`, `${ns}/eu-3`]);
    expect(json.clusters[2].changes[0]).toMatchObject({ type: 'create-cluster', object: `Cluster/${ns}/eu-3` });
  });

  it('lets apply reuse the plan\'s reads: no second LIST or dry-run', async () => {
    const client = newClient();
    const desired = [...clusterObjects(ns, 'eu-1', { workerReplicas: 5 }), ...clusterObjects(ns, 'eu-2')];
    const { state } = await planEnvironment(client, ns, desired, options);
    const read = client.requests.snapshot();
    const result = await applyEnvironment(client, { environment: ns, desired, attribute, state }, options);
    expect(result.error).toBeUndefined();
    expect(client.requests.snapshot()).toEqual({ ...read, apply: 1 });
  });
});
