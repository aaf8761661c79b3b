import { isAutoscaled, isCluster, isPool } from '../core/capi-rules.js';
import type { KubeObject } from '../core/kube-object.js';

/**
 * The object apply sends: without `replicas` for pools the cluster autoscaler owns (the
 * `cluster-api-autoscaler-node-group-{min,max}-size` annotations on the desired or live pool, or
 * on a topology MachineDeployment/MachinePool), so Git and the autoscaler never fight. Returns
 * the input itself when nothing is stripped.
 */
export function withoutAutoscaledReplicas(desired: KubeObject, live?: KubeObject): KubeObject {
  if (isPool(desired)) {
    const spec = desired.spec as Record<string, unknown> | undefined;
    if (!spec || !('replicas' in spec)) return desired;
    if (!isAutoscaled(desired.metadata.annotations) && !isAutoscaled(live?.metadata.annotations)) return desired;
    const { replicas: _r, ...rest } = spec;
    return { ...desired, spec: rest };
  }
  if (isCluster(desired)) {
    const topology = (desired.spec as { topology?: Record<string, unknown> } | undefined)?.topology;
    const workers = topology?.workers as Record<string, unknown> | undefined;
    if (!workers) return desired;
    let changed = false;
    const strip = (list: unknown): unknown => {
      if (!Array.isArray(list)) return list;
      return list.map((item: Record<string, unknown>) => {
        const ann = (item.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
        if (!('replicas' in item) || !isAutoscaled(ann)) return item;
        changed = true;
        const { replicas: _r, ...rest } = item;
        return rest;
      });
    };
    const newWorkers = { ...workers, machineDeployments: strip(workers.machineDeployments), machinePools: strip(workers.machinePools) };
    if (!changed) return desired;
    if (workers.machineDeployments === undefined) delete newWorkers.machineDeployments;
    if (workers.machinePools === undefined) delete newWorkers.machinePools;
    return { ...desired, spec: { ...(desired.spec as object), topology: { ...topology, workers: newWorkers } } };
  }
  return desired;
}
