// The small fleet the fault-injection suite applies and breaks: one environment whose revision k
// declares its own Namespace (label `drover.test/rev: k`, a write in the first stage), clusters
// c1 … c(k+2) (7 CAPI objects each: templates in the second stage, Cluster/control plane/pool in
// the third), and ConfigMaps cm-1 (value k) … cm-(k+2) in the last stage. Each revision after the
// first writes something in every stage, so a fault can be aimed at any of them.
import { stringify } from 'yaml';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { clusterObjects } from './capi-cluster-objects.js';

export interface FaultFleetRevision {
  /** Clusters c1 … c<clusters>. */
  readonly clusters: number;
  /** ConfigMaps cm-1 … cm-<configMaps>. */
  readonly configMaps: number;
  /** The Namespace label and cm-1's value. */
  readonly rev: number;
  /** More files in the repository outside the environment (a big blob makes a big pack, for git faults). */
  readonly extraFiles?: Record<string, string>;
  /** Declare the environment's Namespace (default true); false on the shared plane, where the test creates it. */
  readonly namespaceObject?: boolean;
}

export function revision(k: number): FaultFleetRevision {
  return { clusters: k + 2, configMaps: k + 2, rev: k };
}

export function fleetObjects(namespace: string, r: FaultFleetRevision): KubeObject[] {
  const out: KubeObject[] = r.namespaceObject === false ? [] : [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'drover.test/rev': String(r.rev) } } }];
  for (let c = 1; c <= r.clusters; c++) out.push(...clusterObjects(namespace, `c${c}`, { workerReplicas: 2, controlPlaneReplicas: 1 }));
  for (let m = 1; m <= r.configMaps; m++) {
    out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${m}`, namespace }, data: { value: m === 1 ? `rev-${r.rev}` : `cm-${m}` } });
  }
  return out;
}

export function fleetFiles(environment: string, namespace: string, r: FaultFleetRevision): Record<string, string> {
  const objects = fleetObjects(namespace, r);
  return {
    'drover.yaml': stringify({ environments: [{ name: environment, path: 'env', namespace }] }),
    'env/kustomization.yaml': stringify({ resources: ['objects.yaml'] }),
    'env/objects.yaml': objects.map((o) => stringify(o)).join('---\n'),
    ...r.extraFiles,
  };
}

/** The kinds this fleet declares in its namespace (orphan checks list these). */
export const FLEET_KINDS = [
  { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster' },
  { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineDeployment' },
  { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'KubeadmControlPlane' },
  { apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2', kind: 'KubeadmConfigTemplate' },
  { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'PacketCluster' },
  { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'PacketMachineTemplate' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
] as const;

/** Apply stage (agent/apply/stages.ts) of a request's resource plural, for aiming a fault. */
export function stageOfResource(plural: string | undefined): number | undefined {
  switch (plural) {
    case 'namespaces':
      return 0;
    case 'packetmachinetemplates':
    case 'kubeadmconfigtemplates':
      return 1;
    case 'clusters':
    case 'packetclusters':
    case 'kubeadmcontrolplanes':
    case 'machinedeployments':
      return 2;
    case 'configmaps':
      return 3;
    default:
      return undefined;
  }
}
