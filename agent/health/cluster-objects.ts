import type { KubeObject } from '../core/kube-object.js';
import { groupOf } from '../core/object-ref.js';

const CAPI = 'cluster.x-k8s.io';
const INFRA = 'infrastructure.cluster.x-k8s.io';
const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';

/**
 * The live CAPI objects of one cluster, as health reads them. `cluster` is absent when other
 * objects name a cluster that does not exist (any more).
 */
export interface ClusterObjects {
  readonly namespace: string;
  readonly name: string;
  readonly cluster?: KubeObject | undefined;
  /** The object `Cluster.spec.controlPlaneRef` names (a KubeadmControlPlane, usually). */
  readonly controlPlane?: KubeObject | undefined;
  readonly machineDeployments: readonly KubeObject[];
  readonly machinePools: readonly KubeObject[];
  readonly machineHealthChecks: readonly KubeObject[];
  readonly machines: readonly KubeObject[];
  /** Infrastructure machines: PacketMachine, DockerMachine, … */
  readonly infraMachines: readonly KubeObject[];
}

interface Bundle {
  namespace: string;
  name: string;
  cluster?: KubeObject;
  controlPlane?: KubeObject;
  machineDeployments: KubeObject[];
  machinePools: KubeObject[];
  machineHealthChecks: KubeObject[];
  machines: KubeObject[];
  infraMachines: KubeObject[];
}

/**
 * Sorts live objects into one bundle per cluster, by `spec.clusterName`, the
 * `cluster.x-k8s.io/cluster-name` label, or (for the control plane) the Cluster's
 * `spec.controlPlaneRef`. Objects that belong to no cluster are left out. Sorted by namespace/name.
 */
export function groupClusterObjects(objects: readonly KubeObject[]): ClusterObjects[] {
  const bundles = new Map<string, Bundle>();
  const bundle = (namespace: string, name: string): Bundle => {
    const key = `${namespace}/${name}`;
    let b = bundles.get(key);
    if (!b) {
      b = { namespace, name, machineDeployments: [], machinePools: [], machineHealthChecks: [], machines: [], infraMachines: [] };
      bundles.set(key, b);
    }
    return b;
  };
  const controlPlaneOf = new Map<string, string>(); // "ns/Kind/name" of a control plane → cluster name
  for (const obj of objects) {
    if (obj.kind !== 'Cluster' || groupOf(obj.apiVersion) !== CAPI) continue;
    const ns = obj.metadata.namespace ?? '';
    bundle(ns, obj.metadata.name ?? '').cluster = obj;
    const ref = (obj.spec as { controlPlaneRef?: { kind?: string; name?: string } } | undefined)?.controlPlaneRef;
    if (ref?.kind && ref.name) controlPlaneOf.set(`${ns}/${ref.kind}/${ref.name}`, obj.metadata.name ?? '');
  }
  for (const obj of objects) {
    const group = groupOf(obj.apiVersion);
    const ns = obj.metadata.namespace ?? '';
    const byRef = controlPlaneOf.get(`${ns}/${obj.kind}/${obj.metadata.name}`);
    if (byRef !== undefined) {
      bundle(ns, byRef).controlPlane = obj;
      continue;
    }
    const clusterName = clusterNameOf(obj);
    if (clusterName === undefined) continue;
    if (group === CAPI) {
      const list = capiList(bundle(ns, clusterName), obj.kind);
      list?.push(obj);
    } else if (group === INFRA && obj.kind.endsWith('Machine')) {
      bundle(ns, clusterName).infraMachines.push(obj);
    } else if (obj.kind === 'KubeadmControlPlane' && !bundles.get(`${ns}/${clusterName}`)?.controlPlane) {
      bundle(ns, clusterName).controlPlane = obj;
    }
  }
  return [...bundles.values()].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

function capiList(b: Bundle, kind: string): KubeObject[] | undefined {
  switch (kind) {
    case 'MachineDeployment':
      return b.machineDeployments;
    case 'MachinePool':
      return b.machinePools;
    case 'MachineHealthCheck':
      return b.machineHealthChecks;
    case 'Machine':
      return b.machines;
    default:
      return undefined;
  }
}

function clusterNameOf(obj: KubeObject): string | undefined {
  const spec = obj.spec as { clusterName?: unknown } | undefined;
  if (typeof spec?.clusterName === 'string' && spec.clusterName) return spec.clusterName;
  return obj.metadata.labels?.[CLUSTER_NAME_LABEL] || undefined;
}

/** An empty bundle for a cluster Drover expected but did not find. */
export function missingCluster(namespace: string, name: string): ClusterObjects {
  return { namespace, name, machineDeployments: [], machinePools: [], machineHealthChecks: [], machines: [], infraMachines: [] };
}
