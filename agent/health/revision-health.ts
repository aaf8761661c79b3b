import type { KubeObject } from '../core/kube-object.js';
import { formatRef, refKey, type ObjectRef } from '../core/object-ref.js';
import { toRef } from '../core/kube-object.js';
import type { ClusterObjects } from './cluster-objects.js';
import type { ProviderMachineState } from './details.js';
import { computeClusterHealth, formatDuration, ms, DEFAULT_PROVISIONING_TIMEOUT_SECONDS } from './compute.js';
import { num, obj } from './cluster-view.js';
import { HealthState, truncateText, worstState, type ClusterHealth } from './health-state.js';

export interface RevisionHealthInput {
  /** When Drover applied the revision; the commit went pending then. */
  readonly appliedAt: number | Date;
  readonly now: number | Date;
  /**
   * Every object the apply wrote, with the `metadata.generation` the apiserver returned for
   * it (a `Map<ObjectRef, number>` or a list of pairs).
   */
  readonly generationsApplied: Iterable<readonly [ObjectRef, number]>;
  /** The live objects of the environment's clusters, grouped (see groupClusterObjects). */
  readonly clusters: readonly ClusterObjects[];
  readonly env?: string | undefined;
  readonly provisioningTimeoutSeconds?: number | undefined;
  /** Provider-side machine states by `Kind/ns/name` (see HealthOptions.machineStates). */
  readonly machineStates?: ReadonlyMap<string, ProviderMachineState> | undefined;
}

export interface RevisionHealth {
  readonly state: HealthState;
  readonly reason: string;
  /** `prod: 2/3 clusters healthy at this revision; pending: eu-3`, ≤ 140 characters. */
  readonly description: string;
  /** Health of each cluster the revision touched, tied to the applied generations. */
  readonly clusters: readonly ClusterHealth[];
  /** Applied objects that the management cluster no longer has, as `Kind/ns/name`. */
  readonly missing: readonly string[];
}

/** Kinds whose controllers report `status.observedGeneration`; only these gate the revision. */
const OBSERVED_KINDS = new Set(['Cluster', 'KubeadmControlPlane', 'MachineDeployment', 'MachinePool', 'MachineHealthCheck']);

/**
 * The health of one applied revision: success only when every cluster it touched is healthy
 * and every object it wrote has been observed at (at least) the generation the apply produced;
 * pending before that, until the provisioning timeout; failure or error as soon as a touched
 * cluster reports one.
 */
export function computeRevisionHealth(input: RevisionHealthInput): RevisionHealth {
  const owner = new Map<string, { bundle: ClusterObjects; object: KubeObject }>();
  for (const bundle of input.clusters) {
    for (const o of objectsOf(bundle)) owner.set(refKey(toRef(o)), { bundle, object: o });
  }
  const touched = new Map<ClusterObjects, string[]>(); // bundle → objects not yet observed
  const missing: string[] = [];
  for (const [ref, generation] of input.generationsApplied) {
    const found = owner.get(refKey(ref));
    if (!found) {
      if (OBSERVED_KINDS.has(ref.kind)) missing.push(formatRef(ref));
      continue;
    }
    const lagging = touched.get(found.bundle) ?? [];
    touched.set(found.bundle, lagging);
    if (OBSERVED_KINDS.has(ref.kind)) {
      const observed = observedGenerationOf(found.object);
      if (observed === undefined || observed < generation) lagging.push(`${ref.kind} ${ref.name} generation ${generation} not yet observed`);
    }
  }
  const timeoutSeconds = input.provisioningTimeoutSeconds ?? DEFAULT_PROVISIONING_TIMEOUT_SECONDS;
  const options = { env: input.env, now: input.now, appliedAt: input.appliedAt, provisioningTimeoutSeconds: timeoutSeconds, machineStates: input.machineStates };
  const clusters = [...touched].map(([bundle, lagging]) => tieToGeneration(computeClusterHealth(bundle, options), lagging, input, timeoutSeconds));
  const states = clusters.map((c) => c.state);
  if (missing.length) states.push(HealthState.Error);
  const state = worstState(states);
  const prefix = input.env ? `${input.env}: ` : '';
  const healthy = clusters.filter((c) => c.state === HealthState.Success).length;
  const parts: string[] = [];
  if (missing.length) parts.push(`missing ${missing.join(', ')}`);
  parts.push(clusters.length ? `${healthy}/${clusters.length} clusters healthy at this revision` : 'no clusters changed');
  for (const s of [HealthState.Error, HealthState.Failure, HealthState.Pending]) {
    const names = clusters.filter((c) => c.state === s).map((c) => c.cluster.name);
    if (names.length) parts.push(`${s}: ${names.join(', ')}`);
  }
  const reason = missing.length ? 'Missing' : (clusters.find((c) => c.state === state)?.reason ?? 'Available');
  return { state, reason, description: truncateText(prefix + parts.join('; ')), clusters, missing };
}

/** A healthy-looking cluster whose controllers have not seen the applied spec yet is pending. */
function tieToGeneration(health: ClusterHealth, lagging: readonly string[], input: RevisionHealthInput, timeoutSeconds: number): ClusterHealth {
  if (lagging.length === 0 || health.state === HealthState.Failure || health.state === HealthState.Error) return health;
  const where = input.env ? `${input.env}/${health.cluster.name}` : health.cluster.name;
  const overdue = ms(input.now) - ms(input.appliedAt) > timeoutSeconds * 1000;
  const summary = `Reconciling (${lagging.join('; ')})`;
  const message = overdue ? `${where}: Timed out after ${formatDuration(timeoutSeconds * 1000)}: ${summary}` : `${where}: ${summary}`;
  return {
    ...health,
    state: overdue ? HealthState.Failure : HealthState.Pending,
    reason: overdue ? 'TimedOut' : 'Reconciling',
    description: truncateText(message),
    message,
    rule: 'generation',
  };
}

/**
 * The generation a controller has seen: `status.observedGeneration`, else the lowest
 * `observedGeneration` of its v1beta2 conditions. KubeadmControlPlane v1.14 writes the top-level
 * field only once the control plane is initialized (about a minute after creation), while every
 * condition it sets from its first reconcile carries the generation it reconciled
 * (test/fixtures/capi-status/fleet-example-dev).
 */
export function observedGenerationOf(o: KubeObject): number | undefined {
  const status = obj(o.status);
  const top = num(status.observedGeneration);
  if (top !== undefined) return top;
  const seen = (Array.isArray(status.conditions) ? status.conditions : []).map((c) => num(obj(c).observedGeneration)).filter((g): g is number => g !== undefined);
  return seen.length ? Math.min(...seen) : undefined;
}

function objectsOf(b: ClusterObjects): KubeObject[] {
  const out: KubeObject[] = [];
  if (b.cluster) out.push(b.cluster);
  if (b.controlPlane) out.push(b.controlPlane);
  out.push(...b.machineDeployments, ...b.machinePools, ...b.machineHealthChecks, ...b.machines, ...b.infraMachines);
  return out;
}
