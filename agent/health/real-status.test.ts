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
