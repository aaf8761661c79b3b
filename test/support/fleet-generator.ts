/**
 * Generates a Cluster API fleet repository as a map of path → file content: one base of CAPI
 * objects (Packet/Equinix Metal provider), N cluster overlays over it and one environment
 * kustomization that lists every overlay. Deterministic: the same options give the same files.
 * Used by the render benchmark (test/bench/render-bench.ts) and meant for the reconcile benchmark.
 *
 * Layout:
 *   base/kustomization.yaml           resources + configurations (CAPI name references)
 *   base/cluster.yaml                 Cluster + PacketCluster
 *   base/control-plane.yaml           KubeadmControlPlane + PacketMachineTemplate (control plane)
 *   base/workers.yaml                 MachineDeployment + KubeadmConfigTemplate + PacketMachineTemplate (workers)
 *   base/capi-references.yaml         nameReference field specs so prefixes follow CAPI refs
 *   clusters/<name>/kustomization.yaml  namePrefix, namespace, labels, patches, configMapGenerator
 *   clusters/<name>/replicas.json6902.yaml  JSON 6902 patch (replicas, version)
 *   clusters/<name>/machine-type.patch.yaml strategic-merge patch (worker machine type, metro)
 *   environments/<env>/kustomization.yaml   lists ../../clusters/<name> for every cluster
 */

export interface FleetOptions {
  /** Number of cluster overlays. */
  readonly clusters: number;
  /** Environment name: the env kustomization is environments/<env>/. Default `prod`. */
  readonly environment?: string;
  /** Teach kustomize the CAPI references (configurations in the base). Default true. */
  readonly capiReferences?: boolean;
  /** Kubernetes version of every cluster unless `versionOf` says otherwise. Default v1.33.2. */
  readonly version?: string;
  /** Per-cluster overrides, by cluster index (0-based): lets a benchmark change one overlay. */
  readonly overrides?: Readonly<Record<number, ClusterOverride>>;
}

export interface ClusterOverride {
  readonly workerReplicas?: number;
  readonly machineType?: string;
  readonly version?: string;
}

const METROS = ['am', 'da', 'dc', 'fr', 'ld', 'ny', 'sg', 'sv', 'sy', 'ty'] as const;
const WORKER_TYPES = ['m3.small.x86', 'm3.large.x86', 'c3.medium.x86', 'n3.xlarge.x86'] as const;

/** The name of the cluster with this index: `<metro>-<nnnn>`, e.g. `fr-0003`. */
export function clusterName(index: number): string {
  return `${METROS[index % METROS.length]}-${String(index).padStart(4, '0')}`;
}

export function generateFleet(options: FleetOptions): Record<string, string> {
  const env = options.environment ?? 'prod';
  const capiRefs = options.capiReferences ?? true;
  const version = options.version ?? 'v1.33.2';
  const files: Record<string, string> = {
    'base/kustomization.yaml': baseKustomization(capiRefs),
    'base/cluster.yaml': BASE_CLUSTER,
    'base/control-plane.yaml': baseControlPlane(version),
    'base/workers.yaml': baseWorkers(version),
  };
  if (capiRefs) files['base/capi-references.yaml'] = CAPI_REFERENCES;
  const names: string[] = [];
  for (let i = 0; i < options.clusters; i++) {
    const name = clusterName(i);
    names.push(name);
    const o = options.overrides?.[i] ?? {};
    const dir = `clusters/${name}`;
    files[`${dir}/kustomization.yaml`] = clusterKustomization(name, i);
    files[`${dir}/replicas.json6902.yaml`] = replicasPatch(o.workerReplicas ?? 2 + (i % 4), o.version ?? version, i);
    files[`${dir}/machine-type.patch.yaml`] = machineTypePatch(o.machineType ?? WORKER_TYPES[i % WORKER_TYPES.length]!, METROS[i % METROS.length]!);
  }
  files[`environments/${env}/kustomization.yaml`] =
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${names.map((n) => `- ../../clusters/${n}\n`).join('')}`;
  return files;
}

function baseKustomization(capiRefs: boolean): string {
  return [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    '- cluster.yaml',
    '- control-plane.yaml',
    '- workers.yaml',
    ...(capiRefs ? ['configurations:', '- capi-references.yaml'] : []),
    'labels:',
    '- pairs:',
    '    app.kubernetes.io/part-of: fleet',
    '',
  ].join('\n');
}

const BASE_CLUSTER = `apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata:
  name: cluster
spec:
  clusterNetwork:
    pods:
      cidrBlocks:
      - 192.168.0.0/16
    services:
      cidrBlocks:
      - 172.26.0.0/16
  controlPlaneRef:
    apiGroup: controlplane.cluster.x-k8s.io
    kind: KubeadmControlPlane
    name: control-plane
  infrastructureRef:
    apiGroup: infrastructure.cluster.x-k8s.io
    kind: PacketCluster
    name: cluster
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: PacketCluster
metadata:
  name: cluster
spec:
  projectID: 5ea2c0e6-7a2c-4b1e-9c53-0d3f2d8b1c11
  metro: am
  vipManager: CPEM
`;

function baseControlPlane(version: string): string {
  return `apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata:
  name: control-plane
spec:
  replicas: 3
  version: ${version}
  machineTemplate:
    spec:
      infrastructureRef:
        apiGroup: infrastructure.cluster.x-k8s.io
        kind: PacketMachineTemplate
        name: control-plane
  kubeadmConfigSpec:
    clusterConfiguration:
      apiServer:
        extraArgs:
        - name: cloud-provider
          value: external
    initConfiguration:
      nodeRegistration:
        kubeletExtraArgs:
        - name: cloud-provider
          value: external
    joinConfiguration:
      nodeRegistration:
        kubeletExtraArgs:
        - name: cloud-provider
          value: external
    preKubeadmCommands:
    - swapoff -a
    - systemctl enable --now containerd
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: PacketMachineTemplate
metadata:
  name: control-plane
spec:
  template:
    spec:
      billingCycle: hourly
      machineType: c3.small.x86
      os: ubuntu_22_04
      sshKeys:
      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOr7cQ8Zl7dB1t0k2bq3 ops@example.com
      tags: []
`;
}

function baseWorkers(version: string): string {
  return `apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineDeployment
metadata:
  name: md-0
spec:
  clusterName: cluster
  replicas: 2
  selector:
    matchLabels: {}
  template:
    spec:
      clusterName: cluster
      version: ${version}
      bootstrap:
        configRef:
          apiGroup: bootstrap.cluster.x-k8s.io
          kind: KubeadmConfigTemplate
          name: md-0
      infrastructureRef:
        apiGroup: infrastructure.cluster.x-k8s.io
        kind: PacketMachineTemplate
        name: md-0
---
apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
kind: KubeadmConfigTemplate
metadata:
  name: md-0
spec:
  template:
    spec:
      joinConfiguration:
        nodeRegistration:
          kubeletExtraArgs:
          - name: cloud-provider
            value: external
      preKubeadmCommands:
      - swapoff -a
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: PacketMachineTemplate
metadata:
  name: md-0
spec:
  template:
    spec:
      billingCycle: hourly
      machineType: m3.small.x86
      os: ubuntu_22_04
      tags:
      - worker
`;
}

/** kustomize `configurations` teaching it CAPI's name references (infrastructureRef, configRef, …). */
export const CAPI_REFERENCES = `nameReference:
- kind: PacketCluster
  fieldSpecs:
  - kind: Cluster
    path: spec/infrastructureRef/name
- kind: KubeadmControlPlane
  fieldSpecs:
  - kind: Cluster
    path: spec/controlPlaneRef/name
- kind: PacketMachineTemplate
  fieldSpecs:
  - kind: KubeadmControlPlane
    path: spec/machineTemplate/spec/infrastructureRef/name
  - kind: MachineDeployment
    path: spec/template/spec/infrastructureRef/name
- kind: KubeadmConfigTemplate
  fieldSpecs:
  - kind: MachineDeployment
    path: spec/template/spec/bootstrap/configRef/name
- kind: Cluster
  fieldSpecs:
  - kind: MachineDeployment
    path: spec/clusterName
  - kind: MachineDeployment
    path: spec/template/spec/clusterName
`;

function clusterKustomization(name: string, index: number): string {
  const metro = METROS[index % METROS.length]!;
  return `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namePrefix: ${name}-
namespace: fleet-${metro}
resources:
- ../../base
labels:
- pairs:
    cluster.x-k8s.io/cluster-name: ${name}
    fleet.example.com/metro: ${metro}
    fleet.example.com/tier: ${index % 3 === 0 ? 'gold' : 'silver'}
patches:
- path: replicas.json6902.yaml
  target:
    group: cluster.x-k8s.io
    kind: MachineDeployment
    name: md-0
- path: machine-type.patch.yaml
configMapGenerator:
- name: cluster-settings
  literals:
  - CLUSTER_NAME=${name}
  - METRO=${metro}
  - INDEX=${index}
`;
}

function replicasPatch(replicas: number, version: string, index: number): string {
  return `- op: replace
  path: /spec/replicas
  value: ${replicas}
- op: replace
  path: /spec/template/spec/version
  value: ${version}
- op: add
  path: /metadata/annotations
  value:
    fleet.example.com/cluster-index: "${index}"
`;
}

function machineTypePatch(machineType: string, metro: string): string {
  return `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: PacketMachineTemplate
metadata:
  name: md-0
spec:
  template:
    spec:
      machineType: ${machineType}
      metro: ${metro}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: PacketCluster
metadata:
  name: cluster
spec:
  metro: ${metro}
`;
}
