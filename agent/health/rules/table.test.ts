import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import {
  availableConditions,
  clusterV1beta1,
  clusterV1beta2,
  condition as c,
  counters,
  kcpV1beta1,
  kcpV1beta2,
  mdV1beta1,
  mdV1beta2,
  mhcV1beta2,
  minutes,
  mpV1beta2,
  packetMachine,
  provisioningConditions,
  setConditions,
  T0,
} from '../../../test/support/capi-shapes.js';
import { groupClusterObjects, missingCluster } from '../cluster-objects.js';
import { computeClusterHealth, type HealthOptions } from '../compute.js';
import { HealthState } from '../health-state.js';
import { clusterRules } from './table.js';

interface Case {
  name: string;
  objects: KubeObject[];
  options?: Partial<HealthOptions>;
  state: HealthState;
  rule: string;
  reason?: string;
  /** Exact description, or a substring when `contains` is set. */
  description?: string;
  contains?: string[];
}

const at = (offsetMinutes: number): Partial<HealthOptions> => ({ appliedAt: T0, now: T0 + minutes(offsetMinutes) });
const idle = (): KubeObject[] => [kcpV1beta2(), mdV1beta2()];

const cases: Case[] = [
  // v1beta2 (CAPI ≥ 1.11)
  {
    name: 'v1beta2 Available, nothing in flight, counters at desired → success',
    objects: [clusterV1beta2(), ...idle()],
    state: HealthState.Success,
    rule: 'available',
    description: 'prod/eu-1: Available, cp 3/3, workers 5/5, v1.33.2',
  },
  {
    name: 'v1beta2 scaling a pool up (ScalingUp=True, workers 3/5) → pending, names the pool',
    objects: [
      clusterV1beta2({
        conditions: setConditions(availableConditions(), c('ScalingUp', 'True', 'ScalingUp', '* MachineDeployment eu-1-md-0: Scaling up from 3 to 5 replicas')),
        workers: counters(5, 3, 3, 3),
      }),
      kcpV1beta2(),
      mdV1beta2({ counters: { replicas: 3, availableReplicas: 3, readyReplicas: 3, upToDateReplicas: 3 }, conditions: [c('Available', 'True', 'Available'), c('ScalingUp', 'True', 'ScalingUp', 'Scaling up from 3 to 5 replicas')] }),
    ],
    options: at(5),
    state: HealthState.Pending,
    rule: 'progressing',
    description: 'prod/eu-1: Progressing (ScalingUp, workers 3/5 available), cp 3/3, workers 3/5, v1.33.2; md-0: Scaling up from 3 to 5 replicas',
  },
  {
    name: 'v1beta2 control plane rolling out a new version (RollingOut=True) → pending',
    objects: [
      clusterV1beta2({ conditions: setConditions(availableConditions(), c('RollingOut', 'True', 'RollingOut', '* KubeadmControlPlane eu-1-cp: Rolling out 2 not up-to-date replicas')), cp: counters(3, 3, 1, 4) }),
      kcpV1beta2({ version: 'v1.33.2', counters: { replicas: 4, upToDateReplicas: 1 }, conditions: [c('Available', 'True', 'Available'), c('RollingOut', 'True', 'RollingOut', 'Rolling out 2 not up-to-date replicas')] }),
      mdV1beta2(),
    ],
    options: at(5),
    state: HealthState.Pending,
    rule: 'progressing',
    contains: ['Progressing (RollingOut, cp 1/3 up to date)', 'cp: Rolling out 2 not up-to-date replicas'],
  },
  {
    name: 'v1beta2 remediating a machine (Remediating=True) → pending with the health check note',
    objects: [
      clusterV1beta2({ conditions: setConditions(availableConditions(), c('Remediating', 'True', 'Remediating', '* Machine eu-1-md-0-7x2k9-abcde: Machine is being remediated')), workers: counters(5, 4) }),
      kcpV1beta2(),
      mdV1beta2({ counters: { availableReplicas: 4, readyReplicas: 4 } }),
      mhcV1beta2({ expected: 5, healthy: 4 }),
    ],
    options: at(5),
    state: HealthState.Pending,
    rule: 'progressing',
    contains: ['Progressing (Remediating, workers 4/5 available)', 'mhc md-0-mhc: 4/5 healthy'],
  },
  {
    name: 'v1beta2 new cluster, infrastructure not provisioned, probe failing before init → pending, not unreachable',
    objects: [clusterV1beta2({ conditions: provisioningConditions(), cp: counters(3, 0, 0, 0), workers: counters(5, 0, 0, 0), phase: 'Provisioning' })],
    options: at(10),
    state: HealthState.Pending,
    rule: 'provisioning',
    reason: 'Provisioning',
    description: 'prod/eu-1: Provisioning (InfrastructureReady), cp 0/3, workers 0/5', // no machines yet, so no version known
  },
  {
    name: 'v1beta2 still provisioning past the 30 min timeout → failure',
    objects: [clusterV1beta2({ conditions: provisioningConditions(), cp: counters(3, 0, 0, 0), workers: counters(5, 0, 0, 0), phase: 'Provisioning' })],
    options: at(31),
    state: HealthState.Failure,
    rule: 'provisioning',
    reason: 'TimedOut',
    description: 'prod/eu-1: Timed out after 30m: Provisioning (InfrastructureReady), cp 0/3, workers 0/5',
  },
  {
    name: 'a per-environment timeout (bare metal: 60 min) keeps it pending at 31 min',
    objects: [clusterV1beta2({ conditions: provisioningConditions(), phase: 'Provisioning' })],
    options: { ...at(31), provisioningTimeoutSeconds: 3600 },
    state: HealthState.Pending,
    rule: 'provisioning',
  },
  {
    name: 'v1beta2 control plane up, waiting for workers → pending on WorkersAvailable',
    objects: [
      clusterV1beta2({
        conditions: setConditions(availableConditions(), c('Available', 'False', 'NotAvailable', '* WorkersAvailable: 2 available replicas, at least 4 required (spec.strategy.rollout.maxUnavailable is 1, spec.replicas is 5) from MachineDeployment eu-1-md-0'), c('WorkersAvailable', 'False', 'NotAvailable', '2 available replicas, at least 4 required (spec.strategy.rollout.maxUnavailable is 1, spec.replicas is 5) from MachineDeployment eu-1-md-0')),
        workers: counters(5, 2, 5, 5),
      }),
      kcpV1beta2(),
      mdV1beta2({ counters: { availableReplicas: 2, readyReplicas: 2 } }),
    ],
    options: at(12),
    state: HealthState.Pending,
    rule: 'provisioning',
    contains: ['Provisioning (WorkersAvailable), cp 3/3, workers 2/5', 'md-0 2/5 available'],
  },
  {
    name: 'v1beta2 initialized cluster whose API stopped answering → failure',
    objects: [
      clusterV1beta2({ conditions: setConditions(availableConditions(), c('Available', 'False', 'NotAvailable', '* RemoteConnectionProbe: Remote connection probe failed, probe last succeeded at 2026-11-25T07:58:00Z'), c('RemoteConnectionProbe', 'False', 'ProbeFailed', 'Remote connection probe failed, probe last succeeded at 2026-11-25T07:58:00Z')) }),
      ...idle(),
    ],
    options: at(1),
    state: HealthState.Failure,
    rule: 'unreachable',
    description: 'prod/eu-1: API unreachable, cp 3/3, workers 5/5, v1.33.2',
  },
  {
    name: 'v1beta2 control plane initialized but not available yet, its API not answering yet → pending, not unreachable',
    objects: [
      clusterV1beta2({
        conditions: setConditions(
          availableConditions(),
          c('Available', 'False', 'NotAvailable', '* ControlPlaneAvailable: not available yet'),
          c('ControlPlaneAvailable', 'False', 'NotAvailable', 'not available yet'),
          c('RemoteConnectionProbe', 'False', 'ProbeFailed', 'Remote connection probe failed'),
        ),
        cp: counters(1, 0, 1, 1),
        workers: counters(1, 0, 1, 1),
      }),
    ],
    options: at(1),
    state: HealthState.Pending,
    rule: 'unreachable',
    reason: 'Provisioning',
    contains: ['Provisioning (RemoteConnectionProbe)'],
  },
  {
    name: 'v1beta2 topology reconcile failed → failure at once',
    objects: [clusterV1beta2({ topologyVersion: 'v1.34.0', conditions: setConditions(availableConditions(), c('Available', 'False', 'NotAvailable', '* TopologyReconciled: failed to create patch helper'), c('TopologyReconciled', 'False', 'ReconcileFailed', 'failed to create patch helper for MachineDeployment/eu-1-md-0')) })],
    options: at(1),
    state: HealthState.Failure,
    rule: 'degraded',
    contains: ['Degraded: TopologyReconciled: failed to create patch helper for MachineDeployment/eu-1-md-0'],
  },
  {
    name: 'v1beta2 internal error on the control plane → failure',
    objects: [clusterV1beta2({ conditions: setConditions(provisioningConditions(), c('InfrastructureReady', 'True', 'Ready'), c('ControlPlaneInitialized', 'False', 'InternalError', 'Please check controller logs for errors')) })],
    options: at(1),
    state: HealthState.Failure,
    rule: 'degraded',
    contains: ['Degraded: ControlPlaneInitialized: Please check controller logs for errors'],
  },
  {
    name: 'v1beta2 deprecated v1beta1 failureMessage → failure',
    objects: [clusterV1beta2({ conditions: provisioningConditions(), deprecated: { failureReason: 'CreateError', failureMessage: 'failed to create load balancer: quota exceeded' } })],
    options: at(1),
    state: HealthState.Failure,
    rule: 'failed',
    contains: ['Failed: failed to create load balancer: quota exceeded'],
  },
  {
    name: 'spec.paused → pending Paused, and never times out',
    objects: [clusterV1beta2({ paused: true, conditions: setConditions(provisioningConditions(), c('Paused', 'True', 'Paused')) })],
    options: at(600),
    state: HealthState.Pending,
    rule: 'paused',
    reason: 'Paused',
  },
  {
    name: 'cluster.x-k8s.io/paused annotation → pending Paused',
    objects: [clusterV1beta2({ annotations: { 'cluster.x-k8s.io/paused': '' } }), ...idle()],
    state: HealthState.Pending,
    rule: 'paused',
  },
  {
    name: 'clusterctl move in progress → pending Moving',
    objects: [clusterV1beta2({ annotations: { 'clusterctl.cluster.x-k8s.io/delete-for-move': '' } }), ...idle()],
    state: HealthState.Pending,
    rule: 'paused',
    reason: 'Moving',
  },
  {
    name: 'deleting while Git still declares it → failure',
    objects: [clusterV1beta2({ deleting: true, conditions: setConditions(availableConditions(), c('Deleting', 'True', 'WaitingForWorkersDeletion', '* MachineDeployments: eu-1-md-0')) })],
    state: HealthState.Failure,
    rule: 'deleting',
    contains: ['Deleting (WaitingForWorkersDeletion) but still declared in Git'],
  },
  {
    name: 'deleting a cluster Git no longer declares → pending',
    objects: [clusterV1beta2({ deleting: true, conditions: setConditions(availableConditions(), c('Deleting', 'True', 'WaitingForControlPlaneDeletion')) })],
    options: { declared: false },
    state: HealthState.Pending,
    rule: 'deleting',
    contains: ['Deleting (WaitingForControlPlaneDeletion)'],
  },
  {
    name: 'a spec change not yet observed (generation 3, observed 2) → pending Reconciling even though Available',
    objects: [clusterV1beta2({ generation: 3, observedGeneration: 2 }), ...idle()],
    options: at(1),
    state: HealthState.Pending,
    rule: 'reconciling',
  },
  {
    name: 'an errored Equinix Metal device while not available → failure naming the PacketMachine',
    objects: [
      clusterV1beta2({ conditions: provisioningConditions() }),
      packetMachine({ name: 'eu-1-cp-abcde', instanceStatus: 'errored', failureReason: 'CreateError', failureMessage: 'device failed to provision' }),
      packetMachine({ name: 'eu-1-cp-fghij', instanceStatus: 'active' }),
    ],
    options: at(8),
    state: HealthState.Failure,
    rule: 'part-failed',
    contains: ['Failed: PacketMachine/prod/eu-1-cp-abcde: device failed to provision', 'PacketMachines 1 errored'],
  },
  {
    name: 'Equinix Metal devices still provisioning → pending with the device counts',
    objects: [
      clusterV1beta2({ conditions: setConditions(provisioningConditions(), c('InfrastructureReady', 'True', 'Ready')) }),
      packetMachine({ name: 'eu-1-cp-abcde', instanceStatus: 'provisioning' }),
      packetMachine({ name: 'eu-1-md-0-x1', instanceStatus: 'queued' }),
      packetMachine({ name: 'eu-1-md-0-x2', instanceStatus: 'provisioning' }),
    ],
    options: at(8),
    state: HealthState.Pending,
    rule: 'provisioning',
    contains: ['Provisioning (ControlPlaneInitialized)', 'PacketMachines 2 provisioning, 1 queued'],
  },
  {
    name: 'MachineHealthCheck blocked by maxUnhealthy shows in the message',
    objects: [
      clusterV1beta2({ conditions: setConditions(availableConditions(), c('Available', 'False', 'NotAvailable'), c('WorkersAvailable', 'False', 'NotAvailable')), workers: counters(5, 2) }),
      kcpV1beta2(),
      mhcV1beta2({ expected: 5, healthy: 2, allowed: false }),
    ],
    options: at(3),
    state: HealthState.Pending,
    rule: 'provisioning',
    contains: ['mhc md-0-mhc: remediation blocked (TooManyUnhealthy)'],
  },
  {
    name: 'KCP reporting etcd unhealthy feeds the message',
    objects: [
      clusterV1beta2({ conditions: setConditions(availableConditions(), c('Available', 'False', 'NotAvailable'), c('ControlPlaneAvailable', 'False', 'NotAvailable')), cp: counters(3, 2) }),
      kcpV1beta2({ counters: { availableReplicas: 2 }, conditions: [c('Available', 'False', 'NotAvailable'), c('EtcdClusterHealthy', 'False', 'NotHealthy', '* Machine eu-1-cp-abcde: Etcd member is not healthy')] }),
    ],
    options: at(3),
    state: HealthState.Pending,
    rule: 'provisioning',
    contains: ['Provisioning (ControlPlaneAvailable), cp 2/3', 'cp: etcd unhealthy (Machine eu-1-cp-abcde: Etcd member is not healthy)'],
  },
  {
    name: 'a MachinePool scaling up counts into the workers and names itself',
    objects: [
      clusterV1beta2({ conditions: setConditions(availableConditions(), c('ScalingUp', 'True', 'ScalingUp', '* MachinePool eu-1-mp-0: Scaling up from 2 to 4 replicas')), workers: counters(9, 7, 9, 7) }),
      kcpV1beta2(),
      mdV1beta2(),
      mpV1beta2({ replicas: 4, counters: { replicas: 2, availableReplicas: 2, readyReplicas: 2, upToDateReplicas: 2 }, conditions: [c('Available', 'True', 'Available'), c('ScalingUp', 'True', 'ScalingUp', 'Scaling up from 2 to 4 replicas')] }),
    ],
    options: at(2),
    state: HealthState.Pending,
    rule: 'progressing',
    description: 'prod/eu-1: Progressing (ScalingUp, workers 7/9 available), cp 3/3, workers 7/9, v1.33.2; mp-0: Scaling up from 2 to 4 replicas',
  },
  {
    name: 'workers summed from MachineDeployments and MachinePools when the Cluster has no counters yet',
    objects: [
      (() => {
        const cl = clusterV1beta2();
        const { workers: _w, controlPlane: _cp, ...status } = cl.status as Record<string, unknown>;
        return { ...cl, status };
      })(),
      kcpV1beta2(),
      mdV1beta2(),
      mpV1beta2({ replicas: 4 }),
    ],
    state: HealthState.Success,
    rule: 'available',
    description: 'prod/eu-1: Available, cp 3/3, workers 9/9, v1.33.2',
  },
  {
    name: 'version from spec.topology when there is no KCP object',
    objects: [clusterV1beta2({ topologyVersion: 'v1.34.1' })],
    state: HealthState.Success,
    rule: 'available',
    description: 'prod/eu-1: Available, cp 3/3, workers 5/5, v1.34.1',
  },
  // v1beta1 with the v1beta2 backport (CAPI 1.9/1.10)
  {
    name: 'v1beta1 Cluster with status.v1beta2 conditions (CAPI 1.10) → v1beta2 rules, success',
    objects: [clusterV1beta1({ ready: 'True', backport: availableConditions(), cp: counters(3), workers: counters(4) }), kcpV1beta1({ replicas: 3, ready: 3, updated: 3, version: 'v1.31.2' })],
    state: HealthState.Success,
    rule: 'available',
    description: 'prod/eu-1: Available, cp 3/3, workers 4/4, v1.31.2',
  },
  {
    name: 'v1beta1 backport says ScalingDown → pending though v1beta1 Ready=True',
    objects: [clusterV1beta1({ ready: 'True', backport: setConditions(availableConditions(), c('ScalingDown', 'True', 'ScalingDown', '* MachineDeployment eu-1-worker-a: Scaling down from 6 to 4 replicas')), cp: counters(3), workers: counters(4, 4, 4, 6) })],
    options: at(2),
    state: HealthState.Pending,
    rule: 'progressing',
    contains: ['Progressing (ScalingDown, workers 6→4 replicas)'],
  },
  // v1beta1 only (CAPI ≤ 1.8, the CAPP era)
  {
    name: 'v1beta1 Ready=True, Provisioned, KCP and MD at desired → success',
    objects: [clusterV1beta1({ ready: 'True' }), kcpV1beta1({ replicas: 3, ready: 3, updated: 3 }), mdV1beta1({ replicas: 4, ready: 4 })],
    state: HealthState.Success,
    rule: 'v1beta1-ready',
    description: 'prod/eu-1: Ready, cp 3/3, workers 4/4, v1.29.4',
  },
  {
    name: 'v1beta1 Ready=True but KCP still updating (updatedReplicas 1/3) → pending',
    objects: [clusterV1beta1({ ready: 'True' }), kcpV1beta1({ replicas: 3, ready: 3, updated: 1 }), mdV1beta1({ replicas: 4, ready: 4 })],
    options: at(4),
    state: HealthState.Pending,
    rule: 'v1beta1-ready',
    contains: ['Progressing (cp 1/3 up to date)'],
  },
  {
    name: 'v1beta1 Ready=False severity Warning, phase Provisioning → pending',
    objects: [clusterV1beta1({ ready: 'False', severity: 'Warning', reason: 'WaitingForControlPlane' }), kcpV1beta1({ replicas: 3, ready: 1, updated: 3 })],
    options: at(4),
    state: HealthState.Pending,
    rule: 'v1beta1-provisioning',
    contains: ['Provisioning (ControlPlaneReady: WaitingForControlPlane), cp 1/3'],
  },
  {
    name: 'v1beta1 Ready=False severity Error → failure',
    objects: [clusterV1beta1({ ready: 'False', severity: 'Error', reason: 'InstanceProvisionFailed', message: 'PacketMachine eu-1-control-plane-x: device failed to provision' })],
    options: at(4),
    state: HealthState.Failure,
    rule: 'v1beta1-error',
    contains: ['Degraded: Ready: PacketMachine eu-1-control-plane-x: device failed to provision'],
  },
  {
    name: 'v1beta1 failureReason/failureMessage → failure',
    objects: [clusterV1beta1({ ready: 'False', failureReason: 'UpdateError', failureMessage: 'PacketCluster eu-1: projectID is immutable' })],
    state: HealthState.Failure,
    rule: 'failed',
    contains: ['Failed: PacketCluster eu-1: projectID is immutable'],
  },
  {
    name: 'v1beta1 still provisioning past the timeout → failure',
    objects: [clusterV1beta1({ ready: 'False', severity: 'Info', reason: 'WaitingForControlPlane' })],
    options: at(45),
    state: HealthState.Failure,
    rule: 'v1beta1-provisioning',
    reason: 'TimedOut',
  },
];

describe('cluster health rule table', () => {
  it.each(cases)('$name', (tc) => {
    const [bundle] = groupClusterObjects(tc.objects);
    const health = computeClusterHealth(bundle!, { env: 'prod', now: T0, ...tc.options });
    expect(health.rule).toBe(tc.rule);
    expect(health.state).toBe(tc.state);
    if (tc.reason) expect(health.reason).toBe(tc.reason);
    if (tc.description) expect(health.description).toBe(tc.description);
    for (const text of tc.contains ?? []) expect(health.message).toContain(text);
    expect([...health.description].length).toBeLessThanOrEqual(140);
  });

  it('reports a declared cluster with no Cluster object as an error', () => {
    const health = computeClusterHealth(missingCluster('prod', 'eu-9'), { env: 'prod', now: T0 });
    expect(health).toMatchObject({ state: HealthState.Error, rule: 'missing', description: 'prod/eu-9: missing: no Cluster object' });
  });

  it('reports an apply or read failure as an error before looking at status', () => {
    const [bundle] = groupClusterObjects([clusterV1beta2()]);
    const health = computeClusterHealth(bundle!, { env: 'prod', now: T0, applyError: 'admission webhook "validation.kubeadmcontrolplane" denied the request: spec.replicas: cannot be an even number when etcd is stacked' });
    expect(health.state).toBe(HealthState.Error);
    expect(health.description.startsWith('prod/eu-1: apply rejected: admission webhook')).toBe(true);
    expect([...health.description]).toHaveLength(140);
    expect(health.description.endsWith('…')).toBe(true);
  });

  it('counts the timeout from the Cluster creation when no apply time is given', () => {
    const [bundle] = groupClusterObjects([clusterV1beta2({ conditions: provisioningConditions() })]); // created 07:00
    expect(computeClusterHealth(bundle!, { now: T0 - minutes(45) }).state).toBe(HealthState.Pending);
    expect(computeClusterHealth(bundle!, { now: T0 }).reason).toBe('TimedOut');
  });

  it('has every rule name once, in the documented order', () => {
    expect(clusterRules.map((r) => r.name)).toEqual([
      'apply-failed', 'missing', 'deleting', 'paused', 'reconciling', 'failed', 'available', 'progressing',
      'unreachable', 'part-failed', 'degraded', 'provisioning', 'v1beta1-ready', 'v1beta1-error', 'v1beta1-provisioning',
    ]);
  });
});
