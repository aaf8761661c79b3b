import { isAutoscaled, isCluster, isPool } from '../core/capi-rules.js';
import type { KubeObject } from '../core/kube-object.js';
import { groupOf } from '../core/object-ref.js';
import { isRecord, valueAt } from './object-diff.js';

/** What a created or deleted cluster amounts to: version, control plane size, pools. */
export interface ClusterSummary {
  version?: string;
  controlPlane?: number;
  /** Pool name → replicas, or "autoscaled". */
  pools: Record<string, number | 'autoscaled'>;
  objects: number;
}

export function summarizeCluster(objects: readonly KubeObject[]): ClusterSummary {
  const out: ClusterSummary = { pools: {}, objects: objects.length };
  for (const o of objects) {
    if (isCluster(o) && isRecord(valueAt(o, ['spec', 'topology']))) {
      out.version ??= str(valueAt(o, ['spec', 'topology', 'version']));
      out.controlPlane ??= num(valueAt(o, ['spec', 'topology', 'controlPlane', 'replicas']));
      const mds = valueAt(o, ['spec', 'topology', 'workers', 'machineDeployments']);
      if (Array.isArray(mds)) {
        for (const md of mds) {
          if (!isRecord(md) || typeof md.name !== 'string') continue;
          const ann = valueAt(md, ['metadata', 'annotations']) as Record<string, string> | undefined;
          out.pools[md.name] = isAutoscaled(ann) ? 'autoscaled' : (num(md.replicas) ?? 1);
        }
      }
    } else if (groupOf(o.apiVersion).startsWith('controlplane.') && !o.kind.endsWith('Template')) {
      out.version ??= str(valueAt(o, ['spec', 'version']));
      out.controlPlane ??= num(valueAt(o, ['spec', 'replicas'])) ?? 1;
    } else if (isPool(o)) {
      out.pools[o.metadata.name ?? ''] = isAutoscaled(o.metadata.annotations) ? 'autoscaled' : (num(valueAt(o, ['spec', 'replicas'])) ?? 1);
    }
  }
  return out;
}

/** `v1.33.2, control plane 3, md-0 ×5; 7 objects`. */
export function formatClusterSummary(s: ClusterSummary): string {
  const parts: string[] = [];
  if (s.version) parts.push(s.version);
  if (s.controlPlane !== undefined) parts.push(`control plane ${s.controlPlane}`);
  for (const [name, n] of Object.entries(s.pools)) parts.push(n === 'autoscaled' ? `${name} autoscaled` : `${name} ×${n}`);
  return `${parts.join(', ')}${parts.length ? '; ' : ''}${s.objects} object${s.objects === 1 ? '' : 's'}`;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
