import type { KubeObject } from '../core/kube-object.js';
import type { ClusterObjects } from '../health/cluster-objects.js';
import { toClusterView, type Counters } from '../health/cluster-view.js';
import { toConditions } from '../health/conditions.js';
import type { FleetState } from '../runtime/agent-state.js';
import type { ClusterCell, ClusterDetail, EnvironmentDetail, EnvironmentView, FleetView, ObjectView, Replicas } from './page-model.js';
import type { ClusterRecord, FleetRecord } from './page-store.js';

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The fleet page's data for one Fleet: the agent's state joined with what the page plug-in kept. Pure. */
export function toFleetView(state: FleetState, record: FleetRecord | undefined): FleetView {
  return {
    namespace: state.namespace,
    name: state.name,
    repository: state.repository,
    revision: state.source.revision,
    suspended: state.suspended,
    reconciling: state.reconciling,
    sourceStaleSince: iso(state.source.staleSince),
    sourceMessage: state.source.staleSince !== undefined ? state.source.message : undefined,
    failure: state.failure ? { reason: state.failure.reason, message: state.failure.message } : undefined,
    lastReconcileAt: iso(state.lastReconcileAt),
    nextPollAt: iso(state.nextPollAt),
    commitUrlPrefix: record?.commitUrlPrefix,
    environments: state.environments.map((env): EnvironmentView => {
      const r = record?.environments.get(env.name);
      return {
        name: env.name,
        phase: env.phase,
        reason: env.reason,
        message: env.message,
        after: r?.after ?? [],
        lastAppliedRevision: env.appliedRevision,
        lastAttemptedRevision: env.attemptedRevision,
        lastAppliedAt: iso(env.appliedAt),
        nextApplyWindow: iso(env.nextApplyWindow),
        counts: env.clusters,
        clusters: [...(r?.clusters.values() ?? [])].map((c) => toClusterCell(env.name, c, env.appliedRevision)),
        blocked: r?.blocked ?? [],
      };
    }),
  };
}

/** One cell: health from the watches, version and replica counts from the live objects. Pure. */
export function toClusterCell(environment: string, c: ClusterRecord, revision: string | undefined): ClusterCell {
  const view = c.objects ? toClusterView(c.objects) : undefined;
  return {
    environment,
    namespace: c.namespace,
    name: c.name,
    state: c.state,
    reason: c.reason,
    description: c.description,
    version: view?.version,
    controlPlane: replicas(view?.controlPlane),
    workers: replicas(view?.workers),
    revision,
    since: iso(c.since),
  };
}

function replicas(c: Counters | undefined): Replicas | undefined {
  if (!c) return undefined;
  return { ready: c.ready ?? c.available, desired: c.desired ?? c.replicas };
}

export function toEnvironmentDetail(state: FleetState, record: FleetRecord | undefined, env: string): EnvironmentDetail | undefined {
  const fleet = toFleetView(state, record);
  const environment = fleet.environments.find((e) => e.name === env);
  if (!environment) return undefined;
  const r = record?.environments.get(env);
  return { fleet, environment, plans: r?.plans ?? [], changeSet: r?.changeSet };
}

export function toClusterDetail(state: FleetState, record: FleetRecord | undefined, env: string, namespace: string, name: string): ClusterDetail | undefined {
  const fleet = toFleetView(state, record);
  const cell = fleet.environments.find((e) => e.name === env)?.clusters.find((c) => c.namespace === namespace && c.name === name);
  const c = record?.environments.get(env)?.clusters.get(`${namespace}/${name}`);
  if (!cell || !c) return undefined;
  return { fleet, cell, message: c.message || c.description, objects: c.objects ? toObjectViews(c.objects) : [], events: [...c.events].reverse() };
}

/** The CAPI objects that make up a cluster, Cluster first. Pure. */
export function toObjectViews(b: ClusterObjects): ObjectView[] {
  const out: ObjectView[] = [];
  const add = (role: string, o: KubeObject | undefined) => {
    if (!o) return;
    const status = (o.status ?? {}) as Record<string, unknown>;
    const v1beta2 = (status.v1beta2 ?? {}) as Record<string, unknown>;
    const conditions = toConditions(o.apiVersion.endsWith('/v1beta1') && Array.isArray(v1beta2.conditions) ? v1beta2.conditions : status.conditions);
    out.push({
      role,
      apiVersion: o.apiVersion,
      kind: o.kind,
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name ?? '',
      generation: o.metadata.generation,
      observedGeneration: typeof status.observedGeneration === 'number' ? status.observedGeneration : undefined,
      phase: typeof status.phase === 'string' ? status.phase : undefined,
      conditions: conditions.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, lastTransitionTime: c.lastTransitionTime })),
    });
  };
  add('cluster', b.cluster);
  add('control plane', b.controlPlane);
  for (const o of b.machineDeployments) add('pool', o);
  for (const o of b.machinePools) add('pool', o);
  for (const o of b.machineHealthChecks) add('health check', o);
  for (const o of b.machines) add('machine', o);
  for (const o of b.infraMachines) add('infrastructure machine', o);
  return out;
}
