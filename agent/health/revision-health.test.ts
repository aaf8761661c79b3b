import { describe, expect, it } from 'vitest';
import { availableConditions, clusterV1beta2, condition as c, counters, kcpV1beta2, mdV1beta2, minutes, provisioningConditions, setConditions, T0 } from '../../test/support/capi-shapes.js';
import type { KubeObject } from '../core/kube-object.js';
import type { ObjectRef } from '../core/object-ref.js';
import { groupClusterObjects } from './cluster-objects.js';
import { HealthState } from './health-state.js';
import { computeRevisionHealth } from './revision-health.js';

const ref = (o: KubeObject): ObjectRef => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name! });

/** A pool resize of eu-1: the apply bumped the MachineDeployment to generation 2. */
function resize(mdObserved: number, mdAvailable: number, extra: Partial<Parameters<typeof clusterV1beta2>[0]> = {}) {
  const md = mdV1beta2({ replicas: 7, generation: 2, observedGeneration: mdObserved, counters: { replicas: mdAvailable, availableReplicas: mdAvailable, readyReplicas: mdAvailable, upToDateReplicas: mdAvailable } });
  const scaling = mdAvailable < 7;
  const cluster = clusterV1beta2({
    workers: counters(7, mdAvailable, mdAvailable, mdAvailable),
    conditions: scaling ? setConditions(availableConditions(), c('ScalingUp', 'True', 'ScalingUp', '* MachineDeployment eu-1-md-0: Scaling up from 5 to 7 replicas')) : availableConditions(),
    ...extra,
  });
  return { objects: [cluster, kcpV1beta2(), md], md };
}

describe('computeRevisionHealth', () => {
  it('is pending right after apply, while the new generation is not yet observed', () => {
    const { objects, md } = resize(1, 5);
    // The Cluster still shows the old, settled counters: without the generation check this would be green.
    objects[0] = clusterV1beta2();
    const r = computeRevisionHealth({ env: 'prod', appliedAt: T0, now: T0 + 1000, generationsApplied: new Map([[ref(md), 2]]), clusters: groupClusterObjects(objects) });
    expect(r.state).toBe(HealthState.Pending);
    expect(r.clusters[0]!.rule).toBe('generation');
    expect(r.clusters[0]!.description).toBe('prod/eu-1: Reconciling (MachineDeployment eu-1-md-0 generation 2 not yet observed)');
    expect(r.description).toBe('prod: 0/1 clusters healthy at this revision; pending: eu-1');
  });

  it('stays pending while the pool scales up, then turns success when every counter is at desired', () => {
    const during = resize(2, 6);
    const r1 = computeRevisionHealth({ env: 'prod', appliedAt: T0, now: T0 + minutes(4), generationsApplied: [[ref(during.md), 2]], clusters: groupClusterObjects(during.objects) });
    expect(r1.state).toBe(HealthState.Pending);
    expect(r1.clusters[0]!.message).toContain('Progressing (ScalingUp, workers 6/7 available), cp 3/3, workers 6/7, v1.33.2; md-0 6/7 available');
    const done = resize(2, 7);
    const r2 = computeRevisionHealth({ env: 'prod', appliedAt: T0, now: T0 + minutes(9), generationsApplied: [[ref(done.md), 2]], clusters: groupClusterObjects(done.objects) });
    expect(r2.state).toBe(HealthState.Success);
    expect(r2.description).toBe('prod: 1/1 clusters healthy at this revision');
    expect(r2.clusters[0]!.description).toBe('prod/eu-1: Available, cp 3/3, workers 7/7, v1.33.2');
  });

  it('turns a rollout that never converges into failure after the timeout', () => {
    const stuck = resize(2, 6);
    const r = computeRevisionHealth({ env: 'prod', appliedAt: T0, now: T0 + minutes(31), generationsApplied: [[ref(stuck.md), 2]], clusters: groupClusterObjects(stuck.objects) });
    expect(r.state).toBe(HealthState.Failure);
    expect(r.clusters[0]!.reason).toBe('TimedOut');
  });

  it('turns a generation never observed into failure after the timeout', () => {
    const { objects, md } = resize(1, 5);
    objects[0] = clusterV1beta2();
    const r = computeRevisionHealth({ appliedAt: T0, now: T0 + minutes(31), generationsApplied: [[ref(md), 2]], clusters: groupClusterObjects(objects), provisioningTimeoutSeconds: 1800 });
    expect(r.state).toBe(HealthState.Failure);
    expect(r.clusters[0]!.description).toBe('eu-1: Timed out after 30m: Reconciling (MachineDeployment eu-1-md-0 generation 2 not yet observed)');
  });

  it('reports failure at once when a touched cluster fails, even before its generation is observed', () => {
    const { objects, md } = resize(1, 5, { conditions: setConditions(availableConditions(), c('Available', 'False', 'NotAvailable'), c('RemoteConnectionProbe', 'False', 'ProbeFailed', 'Remote connection probe failed')) });
    const r = computeRevisionHealth({ appliedAt: T0, now: T0 + 1000, generationsApplied: [[ref(md), 2]], clusters: groupClusterObjects(objects) });
    expect(r.state).toBe(HealthState.Failure);
    expect(r.clusters[0]!.reason).toBe('Unreachable');
  });

  it('only judges the clusters the revision touched', () => {
    const healthy = resize(2, 7);
    const other = clusterV1beta2({ name: 'eu-2', conditions: provisioningConditions() });
    const r = computeRevisionHealth({ appliedAt: T0, now: T0 + minutes(60), generationsApplied: [[ref(healthy.md), 2]], clusters: groupClusterObjects([...healthy.objects, other]) });
    expect(r.state).toBe(HealthState.Success);
    expect(r.clusters.map((h) => h.cluster.name)).toEqual(['eu-1']);
  });

  it('reports an applied object that has disappeared as an error, ignoring templates', () => {
    const healthy = resize(2, 7);
    const gone: ObjectRef = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineDeployment', namespace: 'prod', name: 'eu-1-md-1' };
    const template: ObjectRef = { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'PacketMachineTemplate', namespace: 'prod', name: 'eu-1-md-1-v2' };
    const r = computeRevisionHealth({ env: 'prod', appliedAt: T0, now: T0, generationsApplied: [[ref(healthy.md), 2], [gone, 1], [template, 1]], clusters: groupClusterObjects(healthy.objects) });
    expect(r.state).toBe(HealthState.Error);
    expect(r.missing).toEqual(['MachineDeployment/prod/eu-1-md-1']);
    expect(r.description).toBe('prod: missing MachineDeployment/prod/eu-1-md-1; 1/1 clusters healthy at this revision');
  });

  it('is success with nothing to wait for when the revision touched no cluster', () => {
    const r = computeRevisionHealth({ appliedAt: T0, now: T0, generationsApplied: [], clusters: [] });
    expect(r).toMatchObject({ state: HealthState.Success, description: 'no clusters changed' });
  });
});
