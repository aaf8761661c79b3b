import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/kube-object.js';
import { formatRef } from '../core/object-ref.js';
import { toRef } from '../core/kube-object.js';
import { attributeObjects } from './attribute-objects.js';

const CAPI = 'cluster.x-k8s.io/v1beta2';
const KCP = 'controlplane.cluster.x-k8s.io/v1beta2';
const BOOT = 'bootstrap.cluster.x-k8s.io/v1beta2';
const PACKET = 'infrastructure.cluster.x-k8s.io/v1beta1';

const obj = (apiVersion: string, kind: string, name: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace: 'fleet', ...metadata },
  spec,
});
const ref = (apiGroup: string, kind: string, name: string) => ({ apiGroup, kind, name });

/** A v1beta2 cluster in the explicit style with the Packet provider. */
function explicitCluster(name: string, opts: { bootstrapTemplate?: string } = {}): KubeObject[] {
  return [
    obj(CAPI, 'Cluster', name, {
      controlPlaneRef: ref('controlplane.cluster.x-k8s.io', 'KubeadmControlPlane', `${name}-cp`),
      infrastructureRef: ref('infrastructure.cluster.x-k8s.io', 'PacketCluster', name),
    }),
    obj(PACKET, 'PacketCluster', name, { projectID: 'p', vipManager: 'CPEM' }),
    obj(KCP, 'KubeadmControlPlane', `${name}-cp`, {
      replicas: 3,
      version: 'v1.33.2',
      machineTemplate: { spec: { infrastructureRef: ref('infrastructure.cluster.x-k8s.io', 'PacketMachineTemplate', `${name}-cp-v1`) } },
    }),
    obj(PACKET, 'PacketMachineTemplate', `${name}-cp-v1`),
    obj(CAPI, 'MachineDeployment', `${name}-md-0`, {
      clusterName: name,
      template: {
        spec: {
          clusterName: name,
          bootstrap: { configRef: ref('bootstrap.cluster.x-k8s.io', 'KubeadmConfigTemplate', opts.bootstrapTemplate ?? `${name}-md-0-v1`) },
          infrastructureRef: ref('infrastructure.cluster.x-k8s.io', 'PacketMachineTemplate', `${name}-md-0-v1`),
        },
      },
    }),
    ...(opts.bootstrapTemplate ? [] : [obj(BOOT, 'KubeadmConfigTemplate', `${name}-md-0-v1`)]),
    obj(PACKET, 'PacketMachineTemplate', `${name}-md-0-v1`),
  ];
}

const names = (objects: readonly KubeObject[]): string[] => objects.map((o) => formatRef(toRef(o)));

describe('attributeObjects', () => {
  it('follows v1beta2 references from each Cluster to its control plane, pools and templates', () => {
    const env = [obj('v1', 'Namespace', 'fleet', {}, { namespace: undefined }), obj('v1', 'ConfigMap', 'fleet-settings')];
    const result = attributeObjects([...env, ...explicitCluster('eu-1'), ...explicitCluster('us-1')]);
    expect([...result.clusters.keys()]).toEqual(['fleet/eu-1', 'fleet/us-1']);
    expect(names(result.clusters.get('fleet/eu-1')!.objects)).toEqual([
      'Cluster/fleet/eu-1',
      'PacketCluster/fleet/eu-1',
      'KubeadmControlPlane/fleet/eu-1-cp',
      'PacketMachineTemplate/fleet/eu-1-cp-v1',
      'MachineDeployment/fleet/eu-1-md-0',
      'KubeadmConfigTemplate/fleet/eu-1-md-0-v1',
      'PacketMachineTemplate/fleet/eu-1-md-0-v1',
    ]);
    expect(result.clusters.get('fleet/eu-1')!.cluster?.metadata.name).toBe('eu-1');
    expect(names(result.environment)).toEqual(['Namespace/fleet', 'ConfigMap/fleet/fleet-settings']);
    expect(result.shared).toEqual([]);
  });

  it('understands v1beta1 references (apiVersion, explicit namespace, KCP machineTemplate.infrastructureRef)', () => {
    const v1 = 'cluster.x-k8s.io/v1beta1';
    const objects = [
      obj(v1, 'Cluster', 'old', {
        controlPlaneRef: { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlane', name: 'old-cp', namespace: 'fleet' },
        infrastructureRef: { apiVersion: PACKET, kind: 'PacketCluster', name: 'old' },
      }),
      obj('controlplane.cluster.x-k8s.io/v1beta1', 'KubeadmControlPlane', 'old-cp', {
        machineTemplate: { infrastructureRef: { apiVersion: PACKET, kind: 'PacketMachineTemplate', name: 'old-cp-a' } },
      }),
      obj(PACKET, 'PacketMachineTemplate', 'old-cp-a'),
      obj(PACKET, 'PacketCluster', 'old'),
      obj(v1, 'MachineHealthCheck', 'old-mhc', { clusterName: 'old', remediationTemplate: { apiVersion: PACKET, kind: 'PacketRemediationTemplate', name: 'old-rem' } }),
      obj(PACKET, 'PacketRemediationTemplate', 'old-rem'),
    ];
    const result = attributeObjects(objects);
    expect(names(result.clusters.get('fleet/old')!.objects)).toEqual(names(objects));
    expect(result.environment).toEqual([]);
  });

  it.each([
    ['spec.clusterName on a MachinePool', obj(CAPI, 'MachinePool', 'eu-1-mp', { clusterName: 'eu-1' })],
    ['spec.clusterName on a MachineHealthCheck', obj(CAPI, 'MachineHealthCheck', 'eu-1-mhc', { clusterName: 'eu-1' })],
    ['the cluster-name label', obj('v1', 'Secret', 'eu-1-extra', {}, { labels: { 'cluster.x-k8s.io/cluster-name': 'eu-1' } })],
    ['an owner reference to the Cluster', obj(PACKET, 'PacketMachine', 'eu-1-x', {}, { ownerReferences: [{ apiVersion: CAPI, kind: 'Cluster', name: 'eu-1', uid: 'u' }] })],
  ])('attributes an object to its cluster through %s', (_, extra) => {
    const result = attributeObjects([...explicitCluster('eu-1'), extra]);
    expect(result.clusters.get('fleet/eu-1')!.objects).toContain(extra);
    expect(result.environment).toEqual([]);
  });

  it('keeps a ClusterClass and its templates in the environment, and records which class a topology cluster uses', () => {
    const cc = obj(CAPI, 'ClusterClass', 'packet-v1', {
      controlPlane: {
        templateRef: { apiVersion: KCP, kind: 'KubeadmControlPlaneTemplate', name: 'packet-cp-v1' },
        machineInfrastructure: { templateRef: { apiVersion: PACKET, kind: 'PacketMachineTemplate', name: 'packet-cp-machine-v1' } },
      },
      infrastructure: { templateRef: { apiVersion: PACKET, kind: 'PacketClusterTemplate', name: 'packet-v1' } },
      workers: {
        machineDeployments: [
          {
            class: 'default',
            bootstrap: { templateRef: { apiVersion: BOOT, kind: 'KubeadmConfigTemplate', name: 'packet-worker-v1' } },
            infrastructure: { templateRef: { apiVersion: PACKET, kind: 'PacketMachineTemplate', name: 'packet-worker-v1' } },
          },
        ],
      },
    });
    const templates = [
      obj(KCP, 'KubeadmControlPlaneTemplate', 'packet-cp-v1'),
      obj(PACKET, 'PacketMachineTemplate', 'packet-cp-machine-v1'),
      obj(PACKET, 'PacketClusterTemplate', 'packet-v1'),
      obj(BOOT, 'KubeadmConfigTemplate', 'packet-worker-v1'),
      obj(PACKET, 'PacketMachineTemplate', 'packet-worker-v1'),
    ];
    const topo = obj(CAPI, 'Cluster', 'ap-1', { topology: { classRef: { name: 'packet-v1' }, version: 'v1.33.2', workers: { machineDeployments: [{ class: 'default', name: 'md-0' }] } } });
    const topoV1 = obj('cluster.x-k8s.io/v1beta1', 'Cluster', 'ap-2', { topology: { class: 'packet-v1', classNamespace: 'shared', version: 'v1.33.2' } });
    const result = attributeObjects([cc, ...templates, topo, topoV1]);
    expect(names(result.environment)).toEqual(names([cc, ...templates]));
    expect(result.clusters.get('fleet/ap-1')).toMatchObject({ objects: [topo], classKey: 'fleet/packet-v1' });
    expect(result.clusters.get('fleet/ap-2')).toMatchObject({ objects: [topoV1], classKey: 'shared/packet-v1' });
  });

  it('puts an object two clusters reference in the environment and lists it as shared', () => {
    const shared = obj(BOOT, 'KubeadmConfigTemplate', 'common-worker-v1');
    const result = attributeObjects([...explicitCluster('a', { bootstrapTemplate: 'common-worker-v1' }), ...explicitCluster('b', { bootstrapTemplate: 'common-worker-v1' }), shared]);
    expect(result.environment).toEqual([shared]);
    expect(result.shared).toEqual([{ object: shared, clusters: ['fleet/a', 'fleet/b'] }]);
    expect(result.clusters.get('fleet/a')!.objects).not.toContain(shared);
  });

  it('groups pools whose Cluster is absent under that cluster, with no Cluster object', () => {
    const md = explicitCluster('gone').filter((o) => o.kind !== 'Cluster' && o.kind !== 'PacketCluster' && o.kind !== 'KubeadmControlPlane');
    const result = attributeObjects(md);
    const gone = result.clusters.get('fleet/gone')!;
    expect(gone.cluster).toBeUndefined();
    expect(names(gone.objects)).toEqual(['MachineDeployment/fleet/gone-md-0', 'KubeadmConfigTemplate/fleet/gone-md-0-v1', 'PacketMachineTemplate/fleet/gone-md-0-v1']);
    // the control plane template nobody references any more belongs to the environment
    expect(names(result.environment)).toEqual(['PacketMachineTemplate/fleet/gone-cp-v1']);
  });

  it('matches references across namespaces only when they say so, and uses the default namespace for objects without one', () => {
    const strip = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, namespace: undefined } });
    const objects = explicitCluster('eu-1').map(strip);
    const other = obj(PACKET, 'PacketMachineTemplate', 'eu-1-md-0-v1', {}, { namespace: 'elsewhere' });
    const result = attributeObjects([...objects, other], { defaultNamespace: 'fleet-staging' });
    expect([...result.clusters.keys()]).toEqual(['fleet-staging/eu-1']);
    expect(result.clusters.get('fleet-staging/eu-1')!.objects).toHaveLength(7);
    expect(result.environment).toEqual([other]);
  });
});
