import type { KubeObject } from '../core/kube-object.js';
import { clusterHold } from '../core/capi-rules.js';
import type { ClusterObjects } from './cluster-objects.js';
import { findCondition, toConditions, type Condition } from './conditions.js';

/** Replica counters as v1beta2 names them; any may be unknown. */
export interface Counters {
  readonly desired?: number | undefined;
  readonly replicas?: number | undefined;
  readonly ready?: number | undefined;
  readonly available?: number | undefined;
  readonly upToDate?: number | undefined;
}

/**
 * One cluster's state, read once from whichever API version the objects came in, so the rules
 * see one shape. v1beta2 first; on v1beta1 objects the backported `status.v1beta2` block when
 * present, else the old conditions with severities.
 */
export interface ClusterView {
  readonly namespace: string;
  readonly name: string;
  readonly exists: boolean;
  readonly generation?: number | undefined;
  readonly observedGeneration?: number | undefined;
  readonly createdAt?: string | undefined;
  readonly deleting: boolean;
  /** `paused` (spec.paused, the paused annotation or Paused=True) or `moving` (clusterctl move). */
  readonly hold?: 'paused' | 'moving' | undefined;
  /** v1beta2 conditions: from `status.conditions` (v1beta2) or `status.v1beta2.conditions` (v1beta1). */
  readonly conditions: readonly Condition[];
  /** v1beta1 conditions with severities: `status.conditions` (v1beta1) or `status.deprecated.v1beta1.conditions`. */
  readonly legacyConditions: readonly Condition[];
  readonly failureReason?: string | undefined;
  readonly failureMessage?: string | undefined;
  readonly phase?: string | undefined;
  readonly controlPlaneInitialized: boolean;
  readonly controlPlane?: Counters | undefined;
  readonly workers?: Counters | undefined;
  readonly version?: string | undefined;
  /**
   * What the control plane and pools themselves say is still rolling: a version the control
   * plane has not reached yet, or fewer up-to-date replicas than desired. The Cluster's own
   * rollup (conditions, counters) follows them only on its next reconcile, so right after an
   * upgrade it can still read Available with every counter at desired.
   */
  readonly partGaps: readonly string[];
}

type Data = Record<string, unknown>;

export function toClusterView(objects: ClusterObjects): ClusterView {
  const c = objects.cluster;
  if (!c) return { namespace: objects.namespace, name: objects.name, exists: false, deleting: false, conditions: [], legacyConditions: [], controlPlaneInitialized: false, partGaps: [] };
  const status = obj(c.status);
  const spec = obj(c.spec);
  const v1beta1 = isV1beta1(c);
  const backport = obj(status.v1beta2);
  const deprecated = obj(obj(status.deprecated).v1beta1);
  const conditions = toConditions(v1beta1 ? backport.conditions : status.conditions);
  const legacyConditions = toConditions(v1beta1 ? status.conditions : deprecated.conditions);
  const failureReason = str(v1beta1 ? status.failureReason : deprecated.failureReason);
  const failureMessage = str(v1beta1 ? status.failureMessage : deprecated.failureMessage);
  const pausedCondition = findCondition(conditions, 'Paused')?.status === 'True';
  const init = obj(status.initialization);
  const controlPlaneInitialized =
    init.controlPlaneInitialized === true ||
    findCondition(conditions, 'ControlPlaneInitialized')?.status === 'True' ||
    findCondition(legacyConditions, 'ControlPlaneInitialized')?.status === 'True';
  const counterSource = v1beta1 ? backport : status;
  return {
    namespace: objects.namespace,
    name: objects.name,
    exists: true,
    generation: c.metadata.generation,
    observedGeneration: num(status.observedGeneration),
    createdAt: c.metadata.creationTimestamp,
    deleting: !!c.metadata.deletionTimestamp || findCondition(conditions, 'Deleting')?.status === 'True',
    hold: clusterHold(c) ?? (pausedCondition ? 'paused' : undefined),
    conditions,
    legacyConditions,
    failureReason,
    failureMessage,
    phase: str(status.phase),
    controlPlaneInitialized,
    controlPlane: clusterCounters(counterSource.controlPlane) ?? controlPlaneCounters(objects.controlPlane),
    workers: clusterCounters(counterSource.workers) ?? workerCounters(objects),
    version: versionOf(objects, spec, obj(counterSource.controlPlane)),
    partGaps: partGapsOf(objects),
  };
}

/** See ClusterView.partGaps: read from the control plane and each pool, not the Cluster's rollup. */
function partGapsOf(objects: ClusterObjects): string[] {
  const out: string[] = [];
  const cp = objects.controlPlane;
  if (cp && (cp.metadata.generation === undefined || num(obj(cp.status).observedGeneration) === cp.metadata.generation)) {
    const want = str(obj(cp.spec).version);
    const have = str(obj(cp.status).version);
    if (want && have && want !== have) out.push(`cp ${have} → ${want}`);
    else out.push(...upToDateGap('cp', replicaCounters(cp)));
  }
  for (const md of objects.machineDeployments) {
    if (md.metadata.generation !== undefined && num(obj(md.status).observedGeneration) !== md.metadata.generation) continue;
    out.push(...upToDateGap(md.metadata.name ?? 'pool', replicaCounters(md)));
  }
  return out;
}

function upToDateGap(label: string, c: Counters): string[] {
  return c.desired !== undefined && c.upToDate !== undefined && c.upToDate < c.desired ? [`${label} ${c.upToDate}/${c.desired} up to date`] : [];
}

/** True for objects read through a v1beta1 API version. */
export function isV1beta1(o: KubeObject): boolean {
  return o.apiVersion.endsWith('/v1beta1');
}

function clusterCounters(value: unknown): Counters | undefined {
  const c = obj(value);
  if (num(c.desiredReplicas) === undefined && num(c.replicas) === undefined) return undefined;
  return { desired: num(c.desiredReplicas), replicas: num(c.replicas), ready: num(c.readyReplicas), available: num(c.availableReplicas), upToDate: num(c.upToDateReplicas) };
}

/** Counters of a KCP, MachineDeployment or MachinePool in either API version. */
export function replicaCounters(o: KubeObject): Counters {
  const spec = obj(o.spec);
  const status = obj(o.status);
  if (!isV1beta1(o)) {
    return { desired: num(spec.replicas), replicas: num(status.replicas), ready: num(status.readyReplicas), available: num(status.availableReplicas), upToDate: num(status.upToDateReplicas) };
  }
  const b = obj(status.v1beta2);
  // Without the backport, v1beta1 readyReplicas (Node Ready) stands in for available.
  const ready = num(b.readyReplicas) ?? num(status.readyReplicas);
  return {
    desired: num(spec.replicas),
    replicas: num(status.replicas),
    ready,
    available: num(b.availableReplicas) ?? (o.kind === 'KubeadmControlPlane' ? num(status.readyReplicas) : num(status.availableReplicas)),
    upToDate: num(b.upToDateReplicas) ?? num(status.updatedReplicas),
  };
}

function controlPlaneCounters(cp: KubeObject | undefined): Counters | undefined {
  return cp ? replicaCounters(cp) : undefined;
}

function workerCounters(objects: ClusterObjects): Counters | undefined {
  const pools = [...objects.machineDeployments, ...objects.machinePools];
  if (pools.length === 0) return undefined;
  const sum = (pick: (c: Counters) => number | undefined): number | undefined => {
    let total: number | undefined;
    for (const p of pools) {
      const v = pick(replicaCounters(p));
      if (v !== undefined) total = (total ?? 0) + v;
    }
    return total;
  };
  return { desired: sum((c) => c.desired), replicas: sum((c) => c.replicas), ready: sum((c) => c.ready), available: sum((c) => c.available), upToDate: sum((c) => c.upToDate) };
}

function versionOf(objects: ClusterObjects, clusterSpec: Data, cpCounters: Data): string | undefined {
  const cp = objects.controlPlane;
  const fromCp = cp ? str(obj(cp.status).version) : undefined;
  const fromTopology = str(obj(clusterSpec.topology).version);
  const versions = Array.isArray(cpCounters.versions) ? cpCounters.versions : [];
  const fromCounters = versions.length ? str(obj(versions[0]).version) : undefined;
  const fromCpSpec = cp ? str(obj(cp.spec).version) : undefined;
  return fromCp ?? fromTopology ?? fromCounters ?? fromCpSpec;
}

export function obj(v: unknown): Data {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Data) : {};
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
