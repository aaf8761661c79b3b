import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/kube-object.js';
import { withoutAutoscaledReplicas } from './autoscaler-replicas.js';

const ann = { 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': '1', 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': '5' };
const md = (annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachineDeployment',
  metadata: { name: 'md', namespace: 'ns', ...(annotations ? { annotations } : {}) },
  spec: { clusterName: 'c', replicas: 3 },
});

describe('withoutAutoscaledReplicas', () => {
  it('strips replicas from a pool the autoscaler owns', () => {
    expect(withoutAutoscaledReplicas(md(ann)).spec).toEqual({ clusterName: 'c' });
  });
  it('strips them when only the live pool carries the annotations', () => {
    expect(withoutAutoscaledReplicas(md(), md(ann)).spec).toEqual({ clusterName: 'c' });
  });
  it('leaves other pools untouched (the same object)', () => {
    const o = md();
    expect(withoutAutoscaledReplicas(o)).toBe(o);
  });
  it('strips replicas of autoscaled topology pools only', () => {
    const c: KubeObject = {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: { name: 'c', namespace: 'ns' },
      spec: { topology: { version: 'v1.33.2', workers: { machineDeployments: [{ class: 'w', name: 'a', replicas: 2, metadata: { annotations: ann } }, { class: 'w', name: 'b', replicas: 4 }] } } },
    };
    const out = withoutAutoscaledReplicas(c);
    expect((out.spec as { topology: { workers: { machineDeployments: unknown[] } } }).topology.workers.machineDeployments).toEqual([
      { class: 'w', name: 'a', metadata: { annotations: ann } },
      { class: 'w', name: 'b', replicas: 4 },
    ]);
    expect((c.spec as { topology: { workers: { machineDeployments: Array<{ replicas?: number }> } } }).topology.workers.machineDeployments[0]!.replicas).toBe(2);
  });
});
