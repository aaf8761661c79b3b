import { describe, expect, it } from 'vitest';
import { clusterV1beta2, kcpV1beta2, mdV1beta2, mhcV1beta2, packetMachine } from '../../test/support/capi-shapes.js';
import type { KubeObject } from '../core/kube-object.js';
import { groupClusterObjects } from './cluster-objects.js';

describe('groupClusterObjects', () => {
  it('sorts each object into its cluster by controlPlaneRef, spec.clusterName and the cluster-name label', () => {
    const unlabelledCp: KubeObject = { ...kcpV1beta2({ cluster: 'eu-2' }), metadata: { name: 'eu-2-cp', namespace: 'prod' } };
    const groups = groupClusterObjects([
      clusterV1beta2({ name: 'eu-2' }),
      clusterV1beta2({ name: 'eu-1' }),
      kcpV1beta2(),
      unlabelledCp,
      mdV1beta2(),
      mdV1beta2({ cluster: 'eu-2' }),
      mhcV1beta2({ expected: 5, healthy: 5 }),
      packetMachine({ name: 'eu-2-md-0-a', cluster: 'eu-2', instanceStatus: 'active' }),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated', namespace: 'prod' } },
    ]);
    expect(groups.map((g) => g.name)).toEqual(['eu-1', 'eu-2']);
    const [eu1, eu2] = groups;
    expect(eu1!.controlPlane?.metadata.name).toBe('eu-1-cp');
    expect(eu1!.machineDeployments.map((m) => m.metadata.name)).toEqual(['eu-1-md-0']);
    expect(eu1!.machineHealthChecks).toHaveLength(1);
    expect(eu2!.controlPlane?.metadata.name).toBe('eu-2-cp');
    expect(eu2!.infraMachines.map((m) => m.metadata.name)).toEqual(['eu-2-md-0-a']);
  });

  it('keeps parts of a cluster that does not exist, without a Cluster object', () => {
    const [only] = groupClusterObjects([mdV1beta2({ cluster: 'gone' })]);
    expect(only!.name).toBe('gone');
    expect(only!.cluster).toBeUndefined();
    expect(only!.machineDeployments).toHaveLength(1);
  });

  it('keeps clusters of the same name in different namespaces apart', () => {
    const other = { ...clusterV1beta2(), metadata: { ...clusterV1beta2().metadata, namespace: 'staging' } };
    expect(groupClusterObjects([clusterV1beta2(), other]).map((g) => `${g.namespace}/${g.name}`)).toEqual(['prod/eu-1', 'staging/eu-1']);
  });
});
