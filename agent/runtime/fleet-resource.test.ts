import { describe, expect, it } from 'vitest';
import { parseFleetResource } from './fleet-resource.js';

const fleet = (spec: Record<string, unknown>) =>
  parseFleetResource({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name: 'f', namespace: 'platform', generation: 1 }, spec: { source: { url: 'https://git.example/fleet.git' }, ...spec } });

describe('parseFleetResource: spec.providers', () => {
  it('leaves drover.yaml in charge when the Fleet names no provider', () => {
    expect(fleet({}).spec.providers).toBeUndefined();
  });

  it("reads Equinix Metal with its token Secret in the Fleet's namespace, and the documented defaults", () => {
    const spec = fleet({ providers: { equinixMetal: { tokenSecretRef: { name: 'metal' }, projects: { staging: '7d1c0e7e-0000-4000-8000-000000000001' } } } }).spec;
    expect(spec.providers).toEqual({
      equinixMetal: {
        apiURL: 'https://api.equinix.com/metal/v1',
        token: { secret: { namespace: 'platform', name: 'metal', key: 'token' } },
        projects: { staging: '7d1c0e7e-0000-4000-8000-000000000001' },
        capacity: 'block',
      },
    });
  });

  it('refuses a Metal block without its token Secret, naming the field', () => {
    expect(() => fleet({ providers: { equinixMetal: { projects: {} } } })).toThrow(/providers\.equinixMetal\.tokenSecretRef/);
  });
});

describe('parseFleetResource: spec.prune (what deleting the Fleet does)', () => {
  it('orphans by default: no cascade, no Cluster deletion', () => {
    expect(fleet({}).spec.prune).toEqual({ onDelete: 'Orphan', allowClusterDeletion: false });
  });
  it('reads Delete and the separate yes for Clusters', () => {
    expect(fleet({ prune: { onDelete: 'Delete', allowClusterDeletion: true } }).spec.prune).toEqual({ onDelete: 'Delete', allowClusterDeletion: true });
  });
  it('refuses an unknown policy, naming the field', () => {
    expect(() => fleet({ prune: { onDelete: 'Cascade' } })).toThrow(/Fleet\/platform\/f/);
  });
  it('reads the finalizers it holds', () => {
    const f = parseFleetResource({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name: 'f', namespace: 'p', finalizers: ['drover.dev/prune-on-delete'] }, spec: { source: { url: 'https://git.example/fleet.git' } } });
    expect(f.finalizers).toEqual(['drover.dev/prune-on-delete']);
  });
});
