/**
 * One workload cluster for CAPD's in-memory backend, as the explicit objects a fleet repo declares
 * (Cluster, DevCluster, KubeadmControlPlane + its DevMachineTemplate, MachineDeployment + its
 * KubeadmConfigTemplate and DevMachineTemplate). The real controllers of the e2e-capi tests
 * provision it: fake VMs, nodes, etcd and a fake workload apiserver inside the CAPD process.
 * `apiVersion: 'v1beta1'` writes the same cluster the v1beta1 way (refs with apiVersion and no
 * namespace), which the conversion webhooks turn into the v1beta2 objects.
 */
import type { KubeObject } from '../../agent/core/kube-object.js';

export interface DevClusterOptions {
  readonly controlPlaneReplicas?: number;
  readonly workerReplicas?: number;
  readonly version?: string;
  /** Suffix of the worker machine template name (`<cluster>-md-0-<suffix>`). */
  readonly workerTemplate?: string;
  /** How long each fake VM takes to start (CAPD's `startupDuration`); "2s" unless set. */
  readonly vmStartup?: string;
  readonly apiVersion?: 'v1beta2' | 'v1beta1';
}

/**
 * CAPD v1.14.2 writes a listener annotation into DevCluster.metadata.annotations without creating
 * the map (inmemorycluster_backend.go:67): a DevCluster without annotations panics the manager.
 */
export const DEV_CLUSTER_ANNOTATIONS = { 'fleet.drover.dev/provider': 'capd-in-memory' } as const;

const GROUP = { infra: 'infrastructure.cluster.x-k8s.io', cp: 'controlplane.cluster.x-k8s.io', bootstrap: 'bootstrap.cluster.x-k8s.io', core: 'cluster.x-k8s.io' } as const;

/** The in-memory "machine": a fake VM, node, etcd member and apiserver, each taking a moment to come up. */
export function inMemoryMachine(vmStartup = '2s'): Record<string, unknown> {
  const quick = { provisioning: { startupDuration: '1s', startupJitter: '0.2' } };
  return { inMemory: { vm: { provisioning: { startupDuration: vmStartup, startupJitter: '0.2' } }, node: quick, apiServer: quick, etcd: quick } };
}

export function devClusterObjects(namespace: string, name: string, o: DevClusterOptions = {}): KubeObject[] {
  const v = o.apiVersion ?? 'v1beta2';
  const version = o.version ?? 'v1.33.4';
  const worker = `${name}-md-0-${o.workerTemplate ?? 'v1'}`;
  // v1beta2 refs name a group; v1beta1 refs name an apiVersion (the server answers v1beta2 refs).
  const ref = (group: string, kind: string, refName: string) =>
    v === 'v1beta2' ? { apiGroup: group, kind, name: refName } : { apiVersion: `${group}/v1beta1`, kind, name: refName };
  const meta = (n: string, extra: Record<string, unknown> = {}) => ({ name: n, namespace, ...extra });
  const machineTemplate = (n: string): KubeObject => ({
    apiVersion: `${GROUP.infra}/${v}`,
    kind: 'DevMachineTemplate',
    metadata: meta(n),
    spec: { template: { spec: { backend: inMemoryMachine(o.vmStartup) } } },
  });
  const joinConfiguration = { nodeRegistration: { criSocket: 'unix:///var/run/containerd/containerd.sock' } };
  const clusterConfiguration = { apiServer: { certSANs: ['localhost', '127.0.0.1'] } };
  return [
    {
      apiVersion: `${GROUP.core}/${v}`,
      kind: 'Cluster',
      metadata: meta(name),
      spec: {
        clusterNetwork: { pods: { cidrBlocks: ['192.168.0.0/16'] }, services: { cidrBlocks: ['10.128.0.0/12'] } },
        controlPlaneRef: ref(GROUP.cp, 'KubeadmControlPlane', `${name}-cp`),
        infrastructureRef: ref(GROUP.infra, 'DevCluster', name),
      },
    },
    { apiVersion: `${GROUP.infra}/${v}`, kind: 'DevCluster', metadata: meta(name, { annotations: { ...DEV_CLUSTER_ANNOTATIONS } }), spec: { backend: { inMemory: {} } } },
    machineTemplate(`${name}-cp-v1`),
    {
      apiVersion: `${GROUP.cp}/${v}`,
      kind: 'KubeadmControlPlane',
      metadata: meta(`${name}-cp`),
      spec: {
        replicas: o.controlPlaneReplicas ?? 1,
        version,
        machineTemplate: v === 'v1beta2'
          ? { spec: { infrastructureRef: ref(GROUP.infra, 'DevMachineTemplate', `${name}-cp-v1`) } }
          : { infrastructureRef: ref(GROUP.infra, 'DevMachineTemplate', `${name}-cp-v1`) },
        kubeadmConfigSpec: { clusterConfiguration, initConfiguration: joinConfiguration, joinConfiguration },
      },
    },
    machineTemplate(worker),
    { apiVersion: `${GROUP.bootstrap}/${v}`, kind: 'KubeadmConfigTemplate', metadata: meta(`${name}-md-0-v1`), spec: { template: { spec: { joinConfiguration } } } },
    {
      apiVersion: `${GROUP.core}/${v}`,
      kind: 'MachineDeployment',
      metadata: meta(`${name}-md-0`),
      spec: {
        clusterName: name,
        replicas: o.workerReplicas ?? 1,
        selector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': name } },
        template: {
          metadata: { labels: { 'cluster.x-k8s.io/cluster-name': name } },
          spec: {
            clusterName: name,
            version,
            bootstrap: { configRef: ref(GROUP.bootstrap, 'KubeadmConfigTemplate', `${name}-md-0-v1`) },
            infrastructureRef: ref(GROUP.infra, 'DevMachineTemplate', worker),
          },
        },
      },
    },
  ];
}
