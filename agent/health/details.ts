import type { KubeObject } from '../core/kube-object.js';
import { formatRef } from '../core/object-ref.js';
import type { ClusterObjects } from './cluster-objects.js';
import { firstLine, toConditions, type Condition } from './conditions.js';
import { isV1beta1, num, obj, replicaCounters, str } from './cluster-view.js';

/**
 * What the parts of a cluster add to its message: the control plane, each MachineDeployment and
 * MachinePool, MachineHealthCheck remediation and infrastructure machines, in that order.
 */
export interface ClusterDetails {
  /** Short phrases for the description, most telling first: `md-0: Scaling up from 3 to 5 replicas`. */
  readonly notes: readonly string[];
  /** Parts that failed for good (an errored device, a failed Machine), as `Kind/ns/name: why`. */
  readonly failures: readonly string[];
}

const ACTIVITY = ['RollingOut', 'ScalingUp', 'ScalingDown', 'Remediating'] as const;

/**
 * The provider-side state of one infrastructure machine (agent/providers `MachineState`, e.g. an
 * Equinix Metal device), fetched by the orchestrator and passed in by `Kind/ns/name`.
 */
export interface ProviderMachineState {
  readonly id: string;
  /** The provider's word: queued, provisioning, active, failed, inactive, … */
  readonly state: string;
  readonly phase: 'pending' | 'ready' | 'failed' | 'stopped' | 'deleting';
  readonly createdAt?: string | undefined;
}

export interface DetailsContext {
  readonly machineStates?: ReadonlyMap<string, ProviderMachineState> | undefined;
  /** Now, in ms since epoch (for stuck provisioning). */
  readonly now?: number | undefined;
  /** A machine pending at the provider for longer than this (ms) has failed. */
  readonly stuckAfterMs?: number | undefined;
}

export function collectDetails(objects: ClusterObjects, context: DetailsContext = {}): ClusterDetails {
  const notes: string[] = [];
  const failures: string[] = [];
  const short = (name: string | undefined): string => shortName(name ?? '', objects.name);
  const cp = objects.controlPlane;
  if (cp) {
    const conds = partConditions(cp);
    const etcd = conds.find((c) => c.type === 'EtcdClusterHealthy');
    if (etcd?.status === 'False') notes.push(`cp: etcd unhealthy${suffix(firstLine(etcd.message))}`);
    notes.push(...activityNotes('cp', cp, conds));
  }
  for (const pool of [...objects.machineDeployments, ...objects.machinePools]) {
    notes.push(...activityNotes(short(pool.metadata.name), pool, partConditions(pool)));
  }
  for (const mhc of objects.machineHealthChecks) {
    const status = obj(mhc.status);
    const expected = num(status.expectedMachines);
    const healthy = num(status.currentHealthy);
    const allowed = partConditions(mhc).find((c) => c.type === 'RemediationAllowed');
    if (allowed?.status === 'False') notes.push(`mhc ${short(mhc.metadata.name)}: remediation blocked${suffix(allowed.reason)}`);
    else if (expected !== undefined && healthy !== undefined && healthy < expected) notes.push(`mhc ${short(mhc.metadata.name)}: ${healthy}/${expected} healthy`);
  }
  const byState = new Map<string, number>();
  const devices = new Map<string, number>();
  for (const m of objects.infraMachines) {
    const status = obj(m.status);
    const ref = formatRef(refOf(m));
    const provider = context.machineStates?.get(ref);
    if (provider) {
      // The provider's own view is fresher than the controller's copy in status.instanceStatus.
      if (provider.phase !== 'ready') devices.set(provider.state, (devices.get(provider.state) ?? 0) + 1);
      const age = provider.createdAt && context.now !== undefined ? context.now - Date.parse(provider.createdAt) : undefined;
      if (provider.phase === 'failed') failures.push(`${ref}: device ${provider.id} ${provider.state}`);
      else if (provider.phase === 'pending' && age !== undefined && context.stuckAfterMs !== undefined && age > context.stuckAfterMs) {
        failures.push(`${ref}: device ${provider.id} stuck ${provider.state} for ${formatAge(age)}`);
      }
      continue;
    }
    const instance = str(status.instanceStatus);
    if (instance && instance !== 'active') byState.set(instance, (byState.get(instance) ?? 0) + 1);
    const why = str(status.failureMessage) ?? str(status.failureReason);
    if (instance === 'errored' || why) failures.push(`${ref}: ${why ?? `instance ${instance}`}`);
  }
  if (byState.size) {
    const kind = objects.infraMachines[0]!.kind;
    notes.push(`${kind}s ${[...byState].map(([s, n]) => `${n} ${s}`).join(', ')}`);
  }
  if (devices.size) notes.push(`devices ${[...devices].map(([s, n]) => `${n} ${s}`).join(', ')}`);
  for (const m of objects.machines) {
    const status = obj(m.status);
    const deprecated = obj(obj(status.deprecated).v1beta1);
    const why = str(status.failureMessage) ?? str(deprecated.failureMessage) ?? str(status.failureReason) ?? str(deprecated.failureReason);
    if (why || status.phase === 'Failed') failures.push(`${formatRef(refOf(m))}: ${why ?? 'phase Failed'}`);
  }
  return { notes, failures };
}

/** RollingOut/ScalingUp/ScalingDown/Remediating when True, else a counter gap. */
function activityNotes(label: string, part: KubeObject, conds: readonly Condition[]): string[] {
  const out: string[] = [];
  for (const type of ACTIVITY) {
    const c = conds.find((x) => x.type === type);
    if (c?.status === 'True') out.push(`${label}: ${firstLine(c.message) ?? type}`);
  }
  // The control plane's counters are in the description already; a pool's gap names the pool.
  if (out.length || label === 'cp') return out;
  const n = replicaCounters(part);
  if (n.desired !== undefined && n.available !== undefined && n.available < n.desired) out.push(`${label} ${n.available}/${n.desired} available`);
  else if (n.desired !== undefined && n.upToDate !== undefined && n.upToDate < n.desired) out.push(`${label} ${n.upToDate}/${n.desired} up to date`);
  return out;
}

/** v1beta2 conditions of a part, from either API version. */
function partConditions(o: KubeObject): Condition[] {
  const status = obj(o.status);
  return toConditions(isV1beta1(o) ? obj(status.v1beta2).conditions : status.conditions);
}

function shortName(name: string, cluster: string): string {
  return name.startsWith(`${cluster}-`) && name.length > cluster.length + 1 ? name.slice(cluster.length + 1) : name;
}

function suffix(text: string | undefined): string {
  return text ? ` (${text})` : '';
}

function refOf(o: KubeObject): { kind: string; namespace?: string; name: string } {
  return { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name ?? '' };
}

/** `1h10m`, `45m`. */
function formatAge(millis: number): string {
  const m = Math.floor(millis / 60_000);
  const h = Math.floor(m / 60);
  return h ? (m % 60 ? `${h}h${m % 60}m` : `${h}h`) : `${m}m`;
}
