/**
 * CAPI objects with the status shapes the v1.14 CRD schemas define (cluster.x-k8s.io
 * v1beta2/v1beta1, controlplane.cluster.x-k8s.io, CAPP's PacketMachine v1beta1), and condition
 * types, reasons and message forms as CAPI's controllers write them (bulleted aggregate
 * messages, "Scaling up from 3 to 5 replicas", "Remote connection not established yet").
 * Shared by the health unit tests (agent/health/*.test.ts) and by
 * test/integration/report-health-shapes.int.test.ts, which writes them through the real
 * apiserver's status subresource to prove the CRD schemas keep every field.
 */
import type { KubeObject } from '../../agent/core/kube-object.js';

export const T0 = Date.parse('2026-11-25T08:00:00Z');
export const minutes = (n: number): number => n * 60_000;

type Cond = { type: string; status: 'True' | 'False' | 'Unknown'; reason: string; message: string; severity?: string };
/** A v1beta2 (metav1) condition: the CRD schema requires `message`, so CAPI writes "" when it has none. */
const c = (type: string, status: Cond['status'], reason: string, message = ''): Cond => ({ type, status, reason, message });
const withTime = (conds: Cond[]): object[] => conds.map((x) => ({ ...x, lastTransitionTime: '2026-11-25T07:59:00Z' }));

/** The conditions CAPI 1.14 sets on a provisioned, idle Cluster. */
export function availableConditions(): Cond[] {
  return [
    c('Available', 'True', 'Available'),
    c('InfrastructureReady', 'True', 'Ready'),
    c('ControlPlaneInitialized', 'True', 'Initialized'),
    c('ControlPlaneAvailable', 'True', 'Available'),
    c('WorkersAvailable', 'True', 'Available'),
    c('ControlPlaneMachinesReady', 'True', 'Ready'),
    c('WorkerMachinesReady', 'True', 'Ready'),
    c('ControlPlaneMachinesUpToDate', 'True', 'UpToDate'),
    c('WorkerMachinesUpToDate', 'True', 'UpToDate'),
    c('RemoteConnectionProbe', 'True', 'ProbeSucceeded'),
    c('RollingOut', 'False', 'NotRollingOut'),
    c('ScalingUp', 'False', 'NotScalingUp'),
    c('ScalingDown', 'False', 'NotScalingDown'),
    c('Remediating', 'False', 'NotRemediating'),
    c('Deleting', 'False', 'NotDeleting'),
    c('Paused', 'False', 'NotPaused'),
  ];
}

/** The conditions of a Cluster whose infrastructure is still being provisioned. */
export function provisioningConditions(): Cond[] {
  return [
    c('Available', 'False', 'NotAvailable', '* InfrastructureReady: PacketCluster status.initialization.provisioned is false\n* ControlPlaneAvailable: Control plane not yet initialized\n* RemoteConnectionProbe: Remote connection not established yet'),
    c('InfrastructureReady', 'False', 'NotReady', 'PacketCluster status.initialization.provisioned is false'),
    c('ControlPlaneInitialized', 'False', 'NotInitialized', 'Control plane not yet initialized'),
    c('ControlPlaneAvailable', 'False', 'NotAvailable', 'Control plane not yet initialized'),
    c('WorkersAvailable', 'False', 'NotAvailable', '* MachineDeployment eu-1-md-0: 0 available replicas, at least 4 required (spec.strategy.rollout.maxUnavailable is 1, spec.replicas is 5)'),
    c('RemoteConnectionProbe', 'False', 'ProbeFailed', 'Remote connection not established yet'),
    c('RollingOut', 'False', 'NotRollingOut'),
    c('ScalingUp', 'True', 'ScalingUp', '* KubeadmControlPlane eu-1-cp: Scaling up from 0 to 3 replicas\n* MachineDeployment eu-1-md-0: Scaling up from 0 to 5 replicas'),
    c('ScalingDown', 'False', 'NotScalingDown'),
    c('Remediating', 'False', 'NotRemediating'),
    c('Deleting', 'False', 'NotDeleting'),
    c('Paused', 'False', 'NotPaused'),
  ];
}

/** Replaces (or adds) conditions by type. */
export function setConditions(base: Cond[], ...changes: Cond[]): Cond[] {
  const out = base.filter((x) => !changes.some((y) => y.type === x.type));
  return [...out, ...changes];
}
export { c as condition };

type Counters = { desiredReplicas: number; replicas: number; upToDateReplicas: number; readyReplicas: number; availableReplicas: number };
export const counters = (desired: number, available = desired, upToDate = desired, replicas = desired): Counters => ({
  desiredReplicas: desired,
  replicas,
  upToDateReplicas: upToDate,
  readyReplicas: available,
  availableReplicas: available,
});

/** CAPI 1.14 lists the versions of existing machines only (the schema wants replicas ≥ 1). */
const withVersions = (k: Counters): object => (k.replicas > 0 ? { ...k, versions: [{ version: 'v1.33.2', replicas: k.replicas }] } : k);

export interface ClusterShape {
  name?: string;
  generation?: number;
  observedGeneration?: number;
  conditions?: Cond[];
  cp?: Counters;
  workers?: Counters;
  paused?: boolean;
  annotations?: Record<string, string>;
  deleting?: boolean;
  deprecated?: { failureReason?: string; failureMessage?: string };
  topologyVersion?: string;
  phase?: string;
}

/** A cluster.x-k8s.io/v1beta2 Cluster as CAPI 1.14 stores it. */
export function clusterV1beta2(s: ClusterShape = {}): KubeObject {
  const name = s.name ?? 'eu-1';
  const status: Record<string, unknown> = {
    observedGeneration: s.observedGeneration ?? s.generation ?? 2,
    phase: s.phase ?? 'Provisioned',
    initialization: { infrastructureProvisioned: true, controlPlaneInitialized: !s.conditions?.some((x) => x.type === 'ControlPlaneInitialized' && x.status !== 'True') },
    conditions: withTime(s.conditions ?? availableConditions()),
    controlPlane: withVersions(s.cp ?? counters(3)),
    workers: withVersions(s.workers ?? counters(5)),
  };
  if (s.deprecated) status.deprecated = { v1beta1: { conditions: [], ...s.deprecated } };
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    metadata: {
      name,
      namespace: 'prod',
      generation: s.generation ?? 2,
      creationTimestamp: '2026-11-25T07:00:00Z',
      uid: `uid-${name}`,
      ...(s.annotations ? { annotations: s.annotations } : {}),
      ...(s.deleting ? { deletionTimestamp: '2026-11-25T07:58:00Z', finalizers: ['cluster.cluster.x-k8s.io'] } : {}),
    },
    spec: {
      clusterNetwork: { pods: { cidrBlocks: ['192.168.0.0/16'] } },
      controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlane', name: `${name}-cp` },
      infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'PacketCluster', name },
      ...(s.paused ? { paused: true } : {}),
      ...(s.topologyVersion ? { topology: { classRef: { name: 'quick-start' }, version: s.topologyVersion } } : {}),
    },
    status,
  };
}

/** A controlplane.cluster.x-k8s.io/v1beta2 KubeadmControlPlane. */
export function kcpV1beta2(s: { name?: string; cluster?: string; replicas?: number; counters?: Partial<Counters>; version?: string; conditions?: Cond[]; generation?: number; observedGeneration?: number; lastRemediation?: object } = {}): KubeObject {
  const cluster = s.cluster ?? 'eu-1';
  const n = s.replicas ?? 3;
  const k = { ...counters(n), ...s.counters };
  return {
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
    kind: 'KubeadmControlPlane',
    metadata: { name: s.name ?? `${cluster}-cp`, namespace: 'prod', generation: s.generation ?? 1, labels: { 'cluster.x-k8s.io/cluster-name': cluster } },
    spec: { replicas: n, version: s.version ?? 'v1.33.2', machineTemplate: { spec: { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'PacketMachineTemplate', name: `${cluster}-cp-v1` } } } },
    status: {
      observedGeneration: s.observedGeneration ?? s.generation ?? 1,
      replicas: k.replicas,
      readyReplicas: k.readyReplicas,
      availableReplicas: k.availableReplicas,
      upToDateReplicas: k.upToDateReplicas,
      version: s.version ?? 'v1.33.2',
      initialization: { controlPlaneInitialized: true },
      conditions: withTime(s.conditions ?? [c('Available', 'True', 'Available'), c('EtcdClusterHealthy', 'True', 'Healthy'), c('RollingOut', 'False', 'NotRollingOut')]),
      ...(s.lastRemediation ? { lastRemediation: s.lastRemediation } : {}),
    },
  };
}

/** A cluster.x-k8s.io/v1beta2 MachineDeployment. */
export function mdV1beta2(s: { name?: string; cluster?: string; replicas?: number; counters?: Partial<Counters>; conditions?: Cond[]; generation?: number; observedGeneration?: number } = {}): KubeObject {
  const cluster = s.cluster ?? 'eu-1';
  const n = s.replicas ?? 5;
  const k = { ...counters(n), ...s.counters };
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachineDeployment',
    metadata: { name: s.name ?? `${cluster}-md-0`, namespace: 'prod', generation: s.generation ?? 1, labels: { 'cluster.x-k8s.io/cluster-name': cluster } },
    spec: {
      clusterName: cluster,
      replicas: n,
      selector: { matchLabels: {} },
      template: {
        spec: {
          clusterName: cluster,
          version: 'v1.33.2',
          bootstrap: { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfigTemplate', name: `${cluster}-md-0-v1` } },
          infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'PacketMachineTemplate', name: `${cluster}-md-0-v1` },
        },
      },
    },
    status: {
      observedGeneration: s.observedGeneration ?? s.generation ?? 1,
      replicas: k.replicas,
      readyReplicas: k.readyReplicas,
      availableReplicas: k.availableReplicas,
      upToDateReplicas: k.upToDateReplicas,
      phase: 'Running',
      conditions: withTime(s.conditions ?? [c('Available', 'True', 'Available'), c('RollingOut', 'False', 'NotRollingOut'), c('ScalingUp', 'False', 'NotScalingUp')]),
    },
  };
}

/** A cluster.x-k8s.io/v1beta2 MachineHealthCheck. */
export function mhcV1beta2(s: { cluster?: string; expected: number; healthy: number; allowed?: boolean }): KubeObject {
  const cluster = s.cluster ?? 'eu-1';
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachineHealthCheck',
    metadata: { name: `${cluster}-md-0-mhc`, namespace: 'prod', generation: 1 },
    spec: { clusterName: cluster, selector: { matchLabels: {} } },
    status: {
      observedGeneration: 1,
      expectedMachines: s.expected,
      currentHealthy: s.healthy,
      remediationsAllowed: s.allowed === false ? 0 : 1,
      targets: [],
      conditions: withTime([s.allowed === false ? c('RemediationAllowed', 'False', 'TooManyUnhealthy', 'Remediation is not allowed, the number of not started or unhealthy machines exceeds maxUnhealthy (total: 5, unhealthy: 3, maxUnhealthy: 40%)') : c('RemediationAllowed', 'True', 'RemediationAllowed')]),
    },
  };
}

/** CAPP's infrastructure.cluster.x-k8s.io/v1beta1 PacketMachine. */
export function packetMachine(s: { name: string; cluster?: string; instanceStatus: string; failureReason?: string; failureMessage?: string }): KubeObject {
  const cluster = s.cluster ?? 'eu-1';
  return {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'PacketMachine',
    metadata: { name: s.name, namespace: 'prod', labels: { 'cluster.x-k8s.io/cluster-name': cluster } },
    spec: { machineType: 'c3.small.x86', os: 'ubuntu_22_04', billingCycle: 'hourly', providerID: `equinixmetal://${s.name}` },
    status: {
      ready: s.instanceStatus === 'active',
      instanceStatus: s.instanceStatus,
      ...(s.failureReason ? { failureReason: s.failureReason } : {}),
      ...(s.failureMessage ? { failureMessage: s.failureMessage } : {}),
      conditions: [{ type: 'InstanceReady', status: s.instanceStatus === 'active' ? 'True' : 'False', severity: s.instanceStatus === 'errored' ? 'Error' : 'Info', reason: s.instanceStatus === 'errored' ? 'InstanceProvisionFailed' : 'InstanceNotReady', lastTransitionTime: '2026-11-25T07:50:00Z' }],
    },
  };
}

/** A v1beta1 Cluster as CAPI ≤ 1.8 (and CAPP-era management clusters) stores it: no v1beta2 block. */
export function clusterV1beta1(s: { name?: string; ready: 'True' | 'False'; severity?: string; reason?: string; message?: string; phase?: string; failureReason?: string; failureMessage?: string; backport?: Cond[]; cp?: Counters; workers?: Counters; generation?: number } ): KubeObject {
  const name = s.name ?? 'eu-1';
  const ready = { type: 'Ready', status: s.ready, ...(s.ready === 'False' ? { severity: s.severity ?? 'Info', reason: s.reason ?? 'WaitingForControlPlane', ...(s.message ? { message: s.message } : {}) } : {}), lastTransitionTime: '2026-11-25T07:59:00Z' };
  const cpReady = s.ready === 'True' || s.reason !== 'WaitingForControlPlane';
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Cluster',
    metadata: { name, namespace: 'prod', generation: s.generation ?? 1, creationTimestamp: '2026-11-25T07:00:00Z' },
    spec: {
      controlPlaneRef: { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlane', name: `${name}-control-plane` },
      infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'PacketCluster', name },
    },
    status: {
      observedGeneration: s.generation ?? 1,
      phase: s.phase ?? (s.ready === 'True' ? 'Provisioned' : 'Provisioning'),
      infrastructureReady: true,
      controlPlaneReady: cpReady,
      ...(s.failureReason ? { failureReason: s.failureReason } : {}),
      ...(s.failureMessage ? { failureMessage: s.failureMessage } : {}),
      conditions: [
        ready,
        { type: 'ControlPlaneInitialized', status: 'True', lastTransitionTime: '2026-11-25T07:30:00Z' },
        cpReady ? { type: 'ControlPlaneReady', status: 'True', lastTransitionTime: '2026-11-25T07:40:00Z' } : { type: 'ControlPlaneReady', status: 'False', severity: 'Info', reason: 'WaitingForControlPlane', lastTransitionTime: '2026-11-25T07:40:00Z' },
        { type: 'InfrastructureReady', status: 'True', lastTransitionTime: '2026-11-25T07:10:00Z' },
      ],
      ...(s.backport ? { v1beta2: { conditions: withTime(s.backport), ...(s.cp ? { controlPlane: s.cp } : {}), ...(s.workers ? { workers: s.workers } : {}) } } : {}),
    },
  };
}

/** A controlplane.cluster.x-k8s.io/v1beta1 KubeadmControlPlane (CAPI ≤ 1.8 shape). */
export function kcpV1beta1(s: { cluster?: string; replicas: number; ready: number; updated: number; version?: string }): KubeObject {
  const cluster = s.cluster ?? 'eu-1';
  return {
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
    kind: 'KubeadmControlPlane',
    metadata: { name: `${cluster}-control-plane`, namespace: 'prod', generation: 1, labels: { 'cluster.x-k8s.io/cluster-name': cluster } },
    spec: { replicas: s.replicas, version: s.version ?? 'v1.29.4', machineTemplate: { infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'PacketMachineTemplate', name: `${cluster}-control-plane` } } },
    status: { observedGeneration: 1, replicas: s.replicas, readyReplicas: s.ready, updatedReplicas: s.updated, unavailableReplicas: s.replicas - s.ready, initialized: true, ready: s.ready > 0, version: s.version ?? 'v1.29.4', conditions: [{ type: 'Ready', status: s.ready === s.replicas ? 'True' : 'False', lastTransitionTime: '2026-11-25T07:40:00Z', ...(s.ready === s.replicas ? {} : { severity: 'Warning', reason: 'ScalingUp' }) }] },
  };
}

/** A cluster.x-k8s.io/v1beta1 MachineDeployment (CAPI ≤ 1.8 shape). */
export function mdV1beta1(s: { cluster?: string; replicas: number; ready: number; available?: number; updated?: number }): KubeObject {
  const cluster = s.cluster ?? 'eu-1';
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'MachineDeployment',
    metadata: { name: `${cluster}-worker-a`, namespace: 'prod', generation: 1 },
    spec: { clusterName: cluster, replicas: s.replicas, selector: { matchLabels: {} }, template: { spec: { clusterName: cluster, version: 'v1.29.4' } } },
    status: { observedGeneration: 1, replicas: s.replicas, readyReplicas: s.ready, availableReplicas: s.available ?? s.ready, updatedReplicas: s.updated ?? s.replicas, unavailableReplicas: s.replicas - (s.available ?? s.ready), phase: 'Running' },
  };
}

/** A cluster.x-k8s.io/v1beta2 MachinePool (replicas managed by the infrastructure provider's pool). */
export function mpV1beta2(s: { name?: string; cluster?: string; replicas?: number; counters?: Partial<Counters>; conditions?: Cond[] } = {}): KubeObject {
  const cluster = s.cluster ?? 'eu-1';
  const n = s.replicas ?? 3;
  const k = { ...counters(n), ...s.counters };
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachinePool',
    metadata: { name: s.name ?? `${cluster}-mp-0`, namespace: 'prod', generation: 1, labels: { 'cluster.x-k8s.io/cluster-name': cluster } },
    spec: {
      clusterName: cluster,
      replicas: n,
      template: {
        spec: {
          clusterName: cluster,
          version: 'v1.33.2',
          bootstrap: { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfig', name: `${cluster}-mp-0` } },
          infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DockerMachinePool', name: `${cluster}-mp-0` },
        },
      },
    },
    status: {
      observedGeneration: 1,
      replicas: k.replicas,
      readyReplicas: k.readyReplicas,
      availableReplicas: k.availableReplicas,
      upToDateReplicas: k.upToDateReplicas,
      phase: k.availableReplicas < n ? 'ScalingUp' : 'Running',
      initialization: { bootstrapDataSecretCreated: true, infrastructureProvisioned: true },
      conditions: withTime(s.conditions ?? [c('Available', 'True', 'Available')]),
    },
  };
}
