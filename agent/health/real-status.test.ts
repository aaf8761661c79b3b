// The health rule table against status the real Cluster API v1.14.2 controllers wrote (core,
// kubeadm bootstrap, kubeadm control plane, CAPD's in-memory backend), recorded by the e2e-capi
// tests (test/support/capi-status-recorder.ts) at known moments of a cluster's life. Each fixture
// names what was true at that moment (`expected`), observed from the outside by the test: the
// cluster was still coming up or fully up and idle (Available=True, every Machine Running, counters
// at desired), read from the recorded objects themselves, not from the rules.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/kube-object.js';
import { groupClusterObjects } from './cluster-objects.js';
import { computeClusterHealth } from './compute.js';
import { computeRevisionHealth } from './revision-health.js';

const DIR = join(import.meta.dirname, '../../test/fixtures/capi-status');

interface Fixture {
  scenario: string;
  moment: string;
  recordedAt: string;
  appliedAt?: string;
  provisioningTimeoutSeconds?: number;
  /** What was true at this moment, and what health must say. */
  expected: { state: string; rule?: string; description?: string; revision: { state: string; rule?: string } };
  objects: KubeObject[];
}

const fixtures = readdirSync(DIR, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ file: f, fixture: JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Fixture }));

describe('health rules over status recorded from the real CAPI controllers', () => {
  it('has fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });
  it.each(fixtures)('$file', ({ fixture }) => {
    const [bundle, ...others] = groupClusterObjects(fixture.objects);
    expect(others).toEqual([]);
    const health = computeClusterHealth(bundle!, {
      env: 'e2e',
      now: Date.parse(fixture.recordedAt),
      appliedAt: fixture.appliedAt ? Date.parse(fixture.appliedAt) : undefined,
      provisioningTimeoutSeconds: fixture.provisioningTimeoutSeconds,
    });
    const { revision, ...cluster } = fixture.expected;
    expect({ state: health.state, rule: health.rule, description: health.description }).toMatchObject(cluster);
    // The revision view: every Cluster, control plane and pool applied at its current generation.
    const applied = fixture.objects.filter((o) => ['Cluster', 'KubeadmControlPlane', 'MachineDeployment'].includes(o.kind))
      .map((o) => [{ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name! }, o.metadata.generation!] as const);
    const r = computeRevisionHealth({
      env: 'e2e',
      now: Date.parse(fixture.recordedAt),
      appliedAt: Date.parse(fixture.appliedAt ?? fixture.recordedAt),
      provisioningTimeoutSeconds: fixture.provisioningTimeoutSeconds,
      generationsApplied: applied,
      clusters: groupClusterObjects(fixture.objects),
    });
    expect({ state: r.clusters[0]?.state, rule: r.clusters[0]?.rule }).toMatchObject(revision);
  });
});

describe('an upgrade the Cluster rollup has not caught up with', () => {
  // Derived from a recorded moment (resized, idle, Available): the control plane and the pool have
  // observed an upgrade to v1.34.2 and report their machines out of date, while the Cluster's own
  // conditions and counters, recomputed only on its next reconcile, still read Available at desired.
  const base = JSON.parse(readFileSync(join(DIR, 'lifecycle/03-resized-available.json'), 'utf8')) as Fixture;
  const upgraded = (o: KubeObject): KubeObject => {
    if (o.kind === 'KubeadmControlPlane' || o.kind === 'MachineDeployment') {
      const generation = o.metadata.generation! + 1;
      const status = { ...(o.status as Record<string, unknown>), observedGeneration: generation, upToDateReplicas: 0 };
      const spec = o.kind === 'KubeadmControlPlane' ? { ...(o.spec as Record<string, unknown>), version: 'v1.34.2' } : o.spec;
      return { ...o, metadata: { ...o.metadata, generation }, spec, status } as KubeObject;
    }
    return o;
  };

  it('is pending, naming the control plane version still to reach and the pool still to roll', () => {
    const [bundle] = groupClusterObjects(base.objects.map(upgraded));
    const health = computeClusterHealth(bundle!, { env: 'e2e', now: Date.parse(base.recordedAt) });
    expect(health.state).toBe('pending');
    expect(health.rule).toBe('progressing');
    expect(health.description).toContain('cp v1.33.4 → v1.34.2');
    expect(health.description).toContain('c1-md-0 0/3 up to date');
  });
});
