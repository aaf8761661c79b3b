import type { KubeObject } from '../core/kube-object.js';
import { groupOf } from '../core/object-ref.js';
import { shortRevision } from '../health/promotion-gate.js';
import type { RevisionHealth } from '../health/revision-health.js';
import { CommitState, StatusContext, toApplyStatus, toHealthStatus, truncateDescription, type ApplyOutcome, type CommitStatus } from '../report/commit-status.js';
import type { WatchScope } from './health-watch-client.js';

const CAPI = 'cluster.x-k8s.io';
const CONTROL_PLANE = 'controlplane.cluster.x-k8s.io';
const INFRA = 'infrastructure.cluster.x-k8s.io';
const CAPI_KINDS = new Set(['Cluster', 'MachineDeployment', 'MachinePool', 'MachineHealthCheck']);

/**
 * What to watch for the health of an environment's objects: each CAPI kind it declares
 * (Cluster, MachineDeployment, MachinePool, MachineHealthCheck, the control plane kind) in each
 * namespace it declares them in, plus the Machines beside its Clusters and the infrastructure
 * machines its machine templates stamp out (`PacketMachineTemplate` → `PacketMachine`). Pure.
 */
export function toWatchScopes(desired: readonly KubeObject[]): WatchScope[] {
  const scopes = new Map<string, WatchScope>();
  const add = (apiVersion: string, kind: string, namespace: string | undefined): void => {
    if (namespace) scopes.set(`${apiVersion}|${kind}|${namespace}`, { apiVersion, kind, namespace });
  };
  for (const o of desired) {
    const group = groupOf(o.apiVersion);
    const ns = o.metadata.namespace;
    if (group === CAPI && CAPI_KINDS.has(o.kind)) {
      add(o.apiVersion, o.kind, ns);
      if (o.kind === 'Cluster') add(o.apiVersion, 'Machine', ns);
    } else if (group === CONTROL_PLANE && o.kind.endsWith('ControlPlane')) {
      add(o.apiVersion, o.kind, ns);
    } else if (group === INFRA && o.kind.endsWith('MachineTemplate')) {
      add(o.apiVersion, o.kind.slice(0, -'Template'.length), ns);
    }
  }
  return [...scopes.values()].sort((a, b) => `${a.namespace}/${a.kind}`.localeCompare(`${b.namespace}/${b.kind}`));
}

/** `drover/<env>` (apply result and revision health) then `drover/<env>/<cluster>` per touched cluster. Pure. */
export function toFollowStatuses(env: string, changes: ApplyOutcome['changes'], health: RevisionHealth, targetUrl?: string): CommitStatus[] {
  return [toApplyStatus(env, { result: 'applied', changes, health }, targetUrl), ...health.clusters.map((h) => toHealthStatus(env, h.cluster.name, h, targetUrl))];
}

/** The statuses of `next` that differ (state or description) from what was last sent per context. Pure. */
export function changedStatuses(next: readonly CommitStatus[], lastSent: ReadonlyMap<string, CommitStatus>): CommitStatus[] {
  return next.filter((s) => {
    const before = lastSent.get(s.context.toLowerCase());
    return !before || before.state !== s.state || before.description !== s.description;
  });
}

/**
 * The final statuses of an older commit when a newer revision of its environment is applied:
 * every status still pending becomes `error` (its revision is no longer what runs, so its
 * health can no longer be told) with a description naming the newer revision; statuses already
 * final stay as they are. With nothing sent yet, `drover/<env>` alone is finished. Pure.
 */
export function toSupersededStatuses(env: string, lastSent: ReadonlyMap<string, CommitStatus>, newer: string): CommitStatus[] {
  const by = shortRevision(newer);
  const sent = [...lastSent.values()];
  if (sent.length === 0) return [{ state: CommitState.Error, context: StatusContext.apply(env), description: truncateDescription(`${env}: superseded by ${by} before it was reported`) }];
  return sent
    .filter((s) => s.state === CommitState.Pending)
    .map((s) => ({
      ...s,
      state: CommitState.Error,
      description: truncateDescription(`superseded by ${by} before it settled (was: ${s.description})`),
    }));
}
