import { isAutoscaled, isCluster, isPool } from '../core/capi-rules.js';
import { formatPath } from '../core/errors.js';
import { toRef, type KubeObject } from '../core/kube-object.js';
import { formatRef, groupOf } from '../core/object-ref.js';
import { isMachineTemplate } from './capi-changes.js';
import { isRecord, valueAt, type FieldDiff } from './object-diff.js';
import { FindingCode, Severity, type Finding } from './plan.js';

/**
 * Findings about one desired object: in-place template edits and even or zero control plane
 * replicas block; replicas sent for an autoscaled pool, or removed from a live pool, warn.
 * `diffs` are the changes apply would make to `live` (undefined for a new object).
 */
export function findObjectFindings(desired: KubeObject, live: KubeObject | undefined, diffs: readonly FieldDiff[] | undefined, fieldManager: string): Finding[] {
  const ref = formatRef(toRef(desired));
  const out: Finding[] = [];
  if (live && diffs && isMachineTemplate(desired)) {
    const specPaths = diffs.filter((d) => d.path[0] === 'spec').map((d) => formatPath(d.path));
    if (specPaths.length) {
      out.push({
        severity: Severity.Block,
        code: FindingCode.TemplateEditedInPlace,
        message: `${ref} ${specPaths.slice(0, 3).join(', ')}${specPaths.length > 3 ? ', …' : ''}: machine templates are immutable; create a new template with a new name and swap the reference to it`,
      });
    }
  }
  if (groupOf(desired.apiVersion).startsWith('controlplane.') && desired.kind === 'KubeadmControlPlane') {
    const replicas = valueAt(desired, ['spec', 'replicas']);
    const external = valueAt(desired, ['spec', 'kubeadmConfigSpec', 'clusterConfiguration', 'etcd', 'external']);
    if (typeof replicas === 'number' && (replicas <= 0 || replicas % 2 === 0) && external === undefined) {
      out.push({
        severity: Severity.Block,
        code: FindingCode.ControlPlaneReplicas,
        message: `${ref} spec.replicas: ${replicas} control plane machines with stacked etcd; use an odd number of at least 1 (etcd needs a majority)`,
      });
    }
  }
  if (isPool(desired)) {
    const sent = valueAt(desired, ['spec', 'replicas']);
    const liveReplicas = live ? valueAt(live, ['spec', 'replicas']) : undefined;
    if (sent !== undefined && (isAutoscaled(desired.metadata.annotations) || isAutoscaled(live?.metadata.annotations))) {
      out.push(autoscaled(`${ref} spec.replicas`));
    } else if (sent === undefined && liveReplicas !== undefined && ownsField(live!, fieldManager, ['f:spec', 'f:replicas'])) {
      out.push(removed(`${ref} spec.replicas`, liveReplicas));
    }
  }
  if (isCluster(desired)) out.push(...topologyFindings(ref, desired, live));
  return out;
}

function topologyFindings(ref: string, desired: KubeObject, live: KubeObject | undefined): Finding[] {
  const out: Finding[] = [];
  const cp = valueAt(desired, ['spec', 'topology', 'controlPlane', 'replicas']);
  if (typeof cp === 'number' && (cp <= 0 || cp % 2 === 0)) {
    out.push({
      severity: Severity.Warn,
      code: FindingCode.ControlPlaneReplicas,
      message: `${ref} spec.topology.controlPlane.replicas: ${cp} control plane machines; with stacked etcd KubeadmControlPlane rejects an even or zero count`,
    });
  }
  for (const list of ['machineDeployments', 'machinePools'] as const) {
    const items = valueAt(desired, ['spec', 'topology', 'workers', list]);
    const liveItems = live ? valueAt(live, ['spec', 'topology', 'workers', list]) : undefined;
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => {
      if (!isRecord(item)) return;
      const path = `${ref} spec.topology.workers.${list}[${i}].replicas`;
      const ann = valueAt(item, ['metadata', 'annotations']) as Record<string, string> | undefined;
      if (item.replicas !== undefined && isAutoscaled(ann)) out.push(autoscaled(path));
      const was = Array.isArray(liveItems) ? liveItems.find((l) => isRecord(l) && l.name === item.name) : undefined;
      if (item.replicas === undefined && isRecord(was) && was.replicas !== undefined && !isAutoscaled(ann)) out.push(removed(path, was.replicas));
    });
  }
  return out;
}

function autoscaled(where: string): Finding {
  return {
    severity: Severity.Warn,
    code: FindingCode.ReplicasOnAutoscaledPool,
    message: `${where}: the cluster autoscaler owns this pool's size (node-group min/max-size annotations); Drover does not send it, remove it from git`,
  };
}

function removed(where: string, was: unknown): Finding {
  return {
    severity: Severity.Warn,
    code: FindingCode.ReplicasRemoved,
    message: `${where}: removed from git while the live pool has ${String(was)}; Drover stops managing the count and the server may drop or default it`,
  };
}

/** True when `manager`'s Apply entry in managedFields owns the field at this fieldsV1 path. */
function ownsField(live: KubeObject, manager: string, fieldsPath: readonly string[]): boolean {
  for (const m of live.metadata.managedFields ?? []) {
    const e = m as { manager?: string; operation?: string; fieldsV1?: unknown };
    if (e.manager !== manager || e.operation !== 'Apply') continue;
    let node: unknown = e.fieldsV1;
    for (const seg of fieldsPath) node = isRecord(node) ? node[seg] : undefined;
    if (node !== undefined) return true;
  }
  return false;
}
