/**
 * One workload cluster as the 7 explicit CAPI v1beta2 objects a fleet repo declares with the
 * Packet provider (Cluster, PacketCluster, KubeadmControlPlane + its PacketMachineTemplate,
 * MachineDeployment + its KubeadmConfigTemplate and PacketMachineTemplate), valid against the
 * v1.14 CRD schemas the test control plane installs. Used by the plan/apply integration tests
 * and the reconcile benchmark; options vary what a PR would change.
 */
import type { KubeObject } from '../../agent/core/kube-object.js';

export interface ClusterObjectsOptions {
  readonly controlPlaneReplicas?: number;
  /** Omit to leave replicas out of Git (autoscaled pools). */
  readonly workerReplicas?: number | null;
  readonly version?: string;
  /** Suffix of the worker machine template name (`<cluster>-md-0-<suffix>`); a swap changes it. */
  readonly workerTemplate?: string;
  readonly workerMachineType?: string;
  readonly clusterAnnotations?: Record<string, string>;
  readonly poolAnnotations?: Record<string, string>;
}

export function clusterObjects(namespace: string, name: string, o: ClusterObjectsOptions = {}): KubeObject[] {
  const version = o.version ?? 'v1.33.2';
  const worker = `${name}-md-0-${o.workerTemplate ?? 'v1'}`;
  const md: Record<string, unknown> = {
    clusterName: name,
    selector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': name } },
    template: {
      metadata: { labels: { 'cluster.x-k8s.io/cluster-name': name } },
      spec: {
        clusterName: name,
        version,
        bootstrap: { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfigTemplate', name: `${name}-md-0-v1` } },
        infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'PacketMachineTemplate', name: worker },
      },
    },
  };
  if (o.workerReplicas !== null) md.replicas = o.workerReplicas ?? 3;
  const machineTemplate = (templateName: string, machineType: string): KubeObject => ({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'PacketMachineTemplate',
    metadata: { name: templateName, namespace },
    spec: { template: { spec: { machineType, os: 'ubuntu_24_04', billingCycle: 'hourly', sshKeys: ['ssh-ed25519 AAAAC3Nza drover-test'], tags: [`cluster:${name}`] } } },
  });
  return [
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: { name, namespace, ...(o.clusterAnnotations ? { annotations: o.clusterAnnotations } : {}) },
      spec: {
        clusterNetwork: { pods: { cidrBlocks: ['192.168.0.0/16'] }, services: { cidrBlocks: ['10.128.0.0/12'] } },
        controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlane', name: `${name}-cp` },
        infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'PacketCluster', name },
      },
    },
    { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'PacketCluster', metadata: { name, namespace }, spec: { projectID: '00000000-0000-4000-8000-000000000001', metro: 'am', vipManager: 'CPEM' } },
    machineTemplate(`${name}-cp-v1`, 'c3.small.x86'),
    {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
      kind: 'KubeadmControlPlane',
      metadata: { name: `${name}-cp`, namespace },
      spec: {
        replicas: o.controlPlaneReplicas ?? 3,
        version,
        machineTemplate: { spec: { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'PacketMachineTemplate', name: `${name}-cp-v1` } } },
        kubeadmConfigSpec: { clusterConfiguration: { apiServer: { extraArgs: [{ name: 'cloud-provider', value: 'external' }] } } },
      },
    },
    machineTemplate(worker, o.workerMachineType ?? 'm3.small.x86'),
    {
      apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2',
      kind: 'KubeadmConfigTemplate',
      metadata: { name: `${name}-md-0-v1`, namespace },
      spec: { template: { spec: { joinConfiguration: { nodeRegistration: { kubeletExtraArgs: [{ name: 'cloud-provider', value: 'external' }] } } } } },
    },
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineDeployment',
      metadata: { name: `${name}-md-0`, namespace, ...(o.poolAnnotations ? { annotations: o.poolAnnotations } : {}) },
      spec: md,
    },
  ];
}
