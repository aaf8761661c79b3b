import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/kube-object.js';
import { toRef } from '../core/kube-object.js';
import { formatRef, refKey } from '../core/object-ref.js';
import { findCloseMatches } from './close-matches.js';
import { computeMachineDemand } from './machine-demand.js';
import { MachinePhase, ProviderFindingCode, type InfrastructureProvider, type MachineShape } from './provider.js';
import { fetchProviderReport, toCapacityRequests } from './provider-report.js';
import { ProviderSet } from './provider-set.js';

// A second, trivial provider (not Metal) to show the seam is generic: "toy" machines come in
// sizes, live in regions, cost $1 per size unit and each region has room for 4 more.
const TOY = 'infrastructure.toy.example';
function toyProvider(calls: string[] = []): InfrastructureProvider {
  const sizes: Record<string, number> = { small: 1, large: 3 };
  return {
    name: 'toy',
    kinds: ['ToyCluster', 'ToyMachineTemplate', 'ToyMachine'].map((kind) => ({ group: TOY, kind })),
    toMachineShape: (t, c) => {
      const size = (t.spec as { template: { spec: { size?: string } } }).template.spec.size;
      const region = (c?.spec as { region?: string } | undefined)?.region;
      return size && region ? { type: size, location: region } : undefined;
    },
    validate: async (objects) => {
      calls.push(`validate ${objects.length}`);
      return objects
        .filter((o) => o.kind === 'ToyMachineTemplate')
        .filter((o) => !((o.spec as { template: { spec: { size: string } } }).template.spec.size in sizes))
        .map((o) => ({ severity: 'block' as const, code: ProviderFindingCode.UnknownMachineType, object: toRef(o), message: `${formatRef(toRef(o))} size unknown` }));
    },
    capacity: async (requests) => {
      calls.push(`capacity ${requests.map((r) => `${r.quantity}×${r.shape.type}`).join(',')}`);
      return requests.filter((r) => r.quantity > 4).map((r) => ({ severity: 'block' as const, code: ProviderFindingCode.OverCapacity, shape: r.shape, message: `${r.for.join(', ')}: no room` }));
    },
    price: async (shape: MachineShape) => {
      calls.push(`price ${shape.type}`);
      return shape.type in sizes ? { perHour: sizes[shape.type]!, currency: 'USD' } : undefined;
    },
    machineDetails: async () => ({ id: 'toy-1', state: 'up', phase: MachinePhase.Ready }),
  };
}

function cluster(name: string, size: string, replicas: number, region = 'north'): KubeObject[] {
  const ns = 'fleet';
  return [
    { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name, namespace: ns }, spec: { infrastructureRef: { apiGroup: TOY, kind: 'ToyCluster', name } } },
    { apiVersion: `${TOY}/v1`, kind: 'ToyCluster', metadata: { name, namespace: ns }, spec: { region } },
    { apiVersion: `${TOY}/v1`, kind: 'ToyMachineTemplate', metadata: { name: `${name}-${size}`, namespace: ns }, spec: { template: { spec: { size } } } },
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineDeployment',
      metadata: { name: `${name}-md-0`, namespace: ns },
      spec: { clusterName: name, replicas, template: { spec: { clusterName: name, infrastructureRef: { apiGroup: TOY, kind: 'ToyMachineTemplate', name: `${name}-${size}` } } } },
    },
  ];
}

const clusterOf = (key: string): string | undefined => {
  const name = key.split('|')[3]!;
  return `fleet/${name.replace(/-(md-0|small|large|huge)$/, '')}`;
};

describe('fetchProviderReport with a provider that is not Metal', () => {
  it('makes no calls and reports nothing when no provider is configured', async () => {
    const report = await fetchProviderReport(new ProviderSet(), { desired: cluster('a', 'small', 2), live: [], clusterOf });
    expect(report).toEqual({ findings: [], costs: [] });
  });

  it('prices a resize as the machines added, per cluster', async () => {
    const calls: string[] = [];
    const report = await fetchProviderReport(new ProviderSet([toyProvider(calls)]), { desired: cluster('a', 'small', 5), live: cluster('a', 'small', 2), clusterOf });
    expect(report.findings).toEqual([]);
    expect(report.costs).toEqual([{ cluster: 'fleet/a', perHour: 3, currency: 'USD', items: [{ count: 3, type: 'small', location: 'north', perHour: 1 }] }]);
    expect(calls).toEqual(['validate 2', 'capacity 3×small', 'price small']);
  });

  it('counts a template swap as the old shape removed and the new one added, and asks capacity for all new machines', async () => {
    const calls: string[] = [];
    const report = await fetchProviderReport(new ProviderSet([toyProvider(calls)]), { desired: cluster('a', 'large', 2), live: cluster('a', 'small', 2), clusterOf });
    expect(report.costs[0]!.items).toEqual([
      { count: 2, type: 'large', location: 'north', perHour: 3 },
      { count: -2, type: 'small', location: 'north', perHour: 1 },
    ]);
    expect(report.costs[0]!.perHour).toBe(4);
    expect(calls).toContain('capacity 2×large');
  });

  it('attributes validation and capacity findings to the cluster, with the capacity policy applied', async () => {
    const desired = [...cluster('a', 'huge', 1), ...cluster('b', 'small', 6)];
    const live = cluster('b', 'small', 1);
    const report = await fetchProviderReport(new ProviderSet([toyProvider()]), { desired, live, clusterOf, capacityPolicy: 'warn' });
    expect(report.findings).toEqual([
      { cluster: 'fleet/a', severity: 'block', code: 'unknown-machine-type', message: 'ToyMachineTemplate/fleet/a-huge size unknown' },
      { cluster: 'fleet/b', severity: 'warn', code: 'over-capacity', message: 'MachineDeployment/fleet/b-md-0: no room' },
    ]);
  });

  it('turns an unreachable provider into one warning and skips its other checks', async () => {
    const broken: InfrastructureProvider = { ...toyProvider(), validate: () => Promise.reject(new Error('toy-api GET /sizes (all sizes): 503')) };
    const report = await fetchProviderReport(new ProviderSet([broken]), { desired: cluster('a', 'small', 3), live: [], clusterOf });
    expect(report).toEqual({ findings: [{ cluster: undefined, severity: 'warn', code: 'provider-unavailable', message: 'toy: provider checks skipped: toy-api GET /sizes (all sizes): 503' }], costs: [] });
  });

  it('refuses two providers claiming the same kind', () => {
    expect(() => new ProviderSet([toyProvider(), toyProvider()])).toThrow(`providers toy and toy both claim ${TOY}/ToyCluster`);
  });
});

describe('computeMachineDemand', () => {
  it('finds the control plane, pools added and pools removed (owned only)', () => {
    const set = new ProviderSet([toyProvider()]);
    const live = [...cluster('gone', 'small', 2), ...cluster('foreign', 'small', 1)];
    const owned = new Set(cluster('gone', 'small', 2).map((o) => refKey(toRef(o))));
    const demand = computeMachineDemand({ desired: cluster('new', 'large', 1), live, owned, providerFor: (g, k) => set.providerFor(g, k) });
    expect(demand.map((d) => [d.cluster, d.owner, d.from, d.to])).toEqual([
      ['fleet/new', 'MachineDeployment/fleet/new-md-0', undefined, { shape: { type: 'large', location: 'north' }, replicas: 1 }],
      ['fleet/gone', 'MachineDeployment/fleet/gone-md-0', { shape: { type: 'small', location: 'north' }, replicas: 2 }, undefined],
    ]);
    expect(toCapacityRequests(demand)).toEqual([{ shape: { type: 'large', location: 'north' }, quantity: 1, for: ['MachineDeployment/fleet/new-md-0'] }]);
  });
});

describe('findCloseMatches', () => {
  it.each([
    ['c3.smal.x86', ['c3.small.x86', 'c3.medium.x86', 'm3.small.x86', 'n3.xlarge.x86'], ['c3.small.x86', 'm3.small.x86', 'c3.medium.x86']],
    ['ubuntu_24_04', ['ubuntu_22_04', 'ubuntu_20_04', 'debian_12', 'flatcar_stable'], ['ubuntu_20_04', 'ubuntu_22_04']],
    ['zz', ['am', 'da', 'fr'], []],
  ])('%s among known names', (wanted, known, expected) => {
    expect(findCloseMatches(wanted, known)).toEqual(expected);
  });
});
