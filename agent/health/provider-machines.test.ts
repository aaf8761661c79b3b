import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/kube-object.js';
import type { ClusterObjects } from './cluster-objects.js';
import { computeClusterHealth } from './compute.js';
import type { ProviderMachineState } from './details.js';

const NOW = Date.parse('2026-11-25T09:00:00Z');
const cluster: KubeObject = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  metadata: { name: 'ams-1', namespace: 'fleet', generation: 1, creationTimestamp: '2026-11-25T08:50:00Z' },
  status: {
    observedGeneration: 1,
    conditions: [{ type: 'Available', status: 'False', reason: 'NotAvailable', lastTransitionTime: '2026-11-25T08:50:00Z' }],
  },
};
const machine = (name: string): KubeObject => ({
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
  kind: 'PacketMachine',
  metadata: { name, namespace: 'fleet', labels: { 'cluster.x-k8s.io/cluster-name': 'ams-1' } },
  status: { instanceStatus: 'provisioning' },
});
const objects: ClusterObjects = { namespace: 'fleet', name: 'ams-1', cluster, machineDeployments: [], machinePools: [], machineHealthChecks: [], machines: [], infraMachines: [machine('ams-1-a'), machine('ams-1-b')] };

function health(states: Record<string, ProviderMachineState>) {
  return computeClusterHealth(objects, { env: 'staging', now: NOW, appliedAt: NOW - 10 * 60_000, provisioningTimeoutSeconds: 3600, machineStates: new Map(Object.entries(states)) });
}

describe('provider machine states in cluster health', () => {
  it('names device states in the description while provisioning', () => {
    const h = health({
      'PacketMachine/fleet/ams-1-a': { id: 'd-1', state: 'queued', phase: 'pending', createdAt: '2026-11-25T08:55:00Z' },
      'PacketMachine/fleet/ams-1-b': { id: 'd-2', state: 'active', phase: 'ready', createdAt: '2026-11-25T08:51:00Z' },
    });
    expect(h.state).toBe('pending');
    expect(h.message).toContain('devices 1 queued');
    expect(h.message).not.toContain('PacketMachines 2 provisioning');
  });

  it('fails the cluster on a failed device, naming the machine and the device id', () => {
    const h = health({ 'PacketMachine/fleet/ams-1-a': { id: '7d0c5e3a-0000-4000-8000-000000000006', state: 'failed', phase: 'failed' } });
    expect(h.state).toBe('failure');
    expect(h.description).toBe('staging/ams-1: Failed: PacketMachine/fleet/ams-1-a: device 7d0c5e3a-0000-4000-8000-000000000006 failed; PacketMachines 1 provisioning; devi…');
    expect(h.message).toContain('; devices 1 failed');
  });

  it('fails a device stuck provisioning past the provisioning timeout', () => {
    const h = health({ 'PacketMachine/fleet/ams-1-b': { id: 'd-9', state: 'provisioning', phase: 'pending', createdAt: '2026-11-25T07:30:00Z' } });
    expect(h.state).toBe('failure');
    expect(h.message).toContain('PacketMachine/fleet/ams-1-b: device d-9 stuck provisioning for 1h30m');
  });

  it('reads the machines status as before without provider states', () => {
    const h = computeClusterHealth(objects, { env: 'staging', now: NOW, appliedAt: NOW - 60_000 });
    expect(h.message).toContain('PacketMachines 2 provisioning');
  });
});
