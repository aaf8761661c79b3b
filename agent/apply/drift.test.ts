import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/kube-object.js';
import { isUnchangedBySsa, sameAsLive } from './drift.js';

// managedFields as kube-apiserver 1.36 records them for a server-side apply by "drover".
const kcpDesired: KubeObject = {
  apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
  kind: 'KubeadmControlPlane',
  metadata: { name: 'eu-1-cp', namespace: 'ns', labels: { tier: 'gold' } },
  spec: {
    replicas: 3,
    version: 'v1.33.2',
    machineTemplate: { spec: { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'PacketMachineTemplate', name: 'eu-1-cp-v1' } } },
    kubeadmConfigSpec: { clusterConfiguration: { apiServer: { extraArgs: [{ name: 'cloud-provider', value: 'external' }] } } },
  },
};
const fieldsV1 = {
  'f:metadata': { 'f:labels': { 'f:tier': {} } },
  'f:spec': {
    'f:kubeadmConfigSpec': { 'f:clusterConfiguration': { 'f:apiServer': { 'f:extraArgs': { 'k:{"name":"cloud-provider","value":"external"}': { '.': {}, 'f:name': {}, 'f:value': {} } } } } },
    'f:machineTemplate': { 'f:spec': { 'f:infrastructureRef': { 'f:apiGroup': {}, 'f:kind': {}, 'f:name': {} } } },
    'f:replicas': {},
    'f:version': {},
  },
};
function liveOf(desired: KubeObject, fields: unknown = fieldsV1, manager = 'drover', extraSpec: Record<string, unknown> = {}): KubeObject {
  return {
    ...desired,
    metadata: {
      ...desired.metadata,
      uid: 'u1',
      resourceVersion: '42',
      generation: 1,
      creationTimestamp: '2026-11-25T07:53:28Z',
      managedFields: [{ manager, operation: 'Apply', apiVersion: desired.apiVersion, fieldsType: 'FieldsV1', fieldsV1: fields, time: '2026-11-25T07:53:28Z' }],
    },
    spec: { ...(desired.spec as object), ...extraSpec },
    status: { replicas: 3 },
  };
}
const edit = (spec: Record<string, unknown>): KubeObject => ({ ...kcpDesired, spec: { ...(kcpDesired.spec as object), ...spec } });

describe('isUnchangedBySsa', () => {
  it.each<[string, KubeObject, KubeObject, boolean]>([
    ['the object as Drover applied it', kcpDesired, liveOf(kcpDesired), true],
    ['fields defaulted or set by others do not count', kcpDesired, liveOf(kcpDesired, fieldsV1, 'drover', { rollout: { strategy: { type: 'RollingUpdate' } } }), true],
    ['a changed value', edit({ replicas: 5 }), liveOf(kcpDesired), false],
    ['a field Drover never owned', edit({ machineNaming: { template: 'x' } }), liveOf(kcpDesired), false],
    ['a field Drover owned and Git dropped', { ...kcpDesired, metadata: { name: 'eu-1-cp', namespace: 'ns' } }, liveOf(kcpDesired), false],
    ['a new item in an associative list', edit({ kubeadmConfigSpec: { clusterConfiguration: { apiServer: { extraArgs: [{ name: 'cloud-provider', value: 'external' }, { name: 'v', value: '2' }] } } } }), liveOf(kcpDesired), false],
    ['another manager applied it', kcpDesired, liveOf(kcpDesired, fieldsV1, 'kubectl'), false],
    ['the object is being deleted', kcpDesired, { ...liveOf(kcpDesired), metadata: { ...liveOf(kcpDesired).metadata, deletionTimestamp: '2026-11-25T08:00:00Z' } }, false],
    ['a bare Namespace has nothing to own', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', uid: 'u' }, spec: { finalizers: ['kubernetes'] } }, true],
  ])('%s → %s', (_name, desired, live, expected) => {
    expect(isUnchangedBySsa(desired, live, 'drover')).toBe(expected);
  });

  it('compares atomic lists item by item, allowing defaulted fields', () => {
    const desired: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' }, data: { a: '1' } };
    const cidr: KubeObject = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'c', namespace: 'ns' }, spec: { clusterNetwork: { pods: { cidrBlocks: ['10.0.0.0/8'] } } } };
    const cidrFields = { 'f:spec': { 'f:clusterNetwork': { 'f:pods': { 'f:cidrBlocks': {} } } } };
    expect(isUnchangedBySsa(desired, liveOf(desired, { 'f:data': { 'f:a': {} } }), 'drover')).toBe(true);
    expect(isUnchangedBySsa(cidr, liveOf(cidr, cidrFields), 'drover')).toBe(true);
    const other = { ...cidr, spec: { clusterNetwork: { pods: { cidrBlocks: ['10.0.0.0/16'] } } } };
    expect(isUnchangedBySsa(other, liveOf(cidr, cidrFields), 'drover')).toBe(false);
  });
});

describe('sameAsLive', () => {
  it('ignores resourceVersion, generation, managedFields and status', () => {
    const live = liveOf(kcpDesired);
    const result = { ...live, metadata: { ...live.metadata, resourceVersion: '43', generation: 2, managedFields: [] }, status: {} };
    expect(sameAsLive(result, live)).toBe(true);
  });
  it('sees a changed spec or label', () => {
    const live = liveOf(kcpDesired);
    expect(sameAsLive({ ...live, spec: { ...(live.spec as object), replicas: 5 } }, live)).toBe(false);
    expect(sameAsLive({ ...live, metadata: { ...live.metadata, labels: {} } }, live)).toBe(false);
  });
});
