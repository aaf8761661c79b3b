import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/kube-object.js';
import { computePlan, type ProviderPlanInput } from './compute-plan.js';
import { formatCost } from './format-cost.js';
import { formatPlanMarkdown } from './format-markdown.js';
import { formatPlanText } from './format-text.js';

const NS = 'fleet-staging';
const md = (replicas: number): KubeObject => ({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineDeployment', metadata: { name: 'ams-1-md-0', namespace: NS }, spec: { clusterName: 'ams-1', replicas } });
const clusters = (o: KubeObject) => ({ clusters: new Map([[`${NS}/ams-1`, { objects: [o] }]]) });

function planWith(providers: ProviderPlanInput | undefined, replicas = 4) {
  return computePlan({ environment: 'staging', revision: `main@sha1:${'a'.repeat(40)}`, desired: [md(replicas)], live: [md(2)], dryRun: new Map(), clusters: clusters(md(replicas)), providers });
}

describe('provider results in the plan', () => {
  it('puts provider findings in their cluster and blocks on a block finding', () => {
    const plan = planWith({
      findings: [
        { cluster: `${NS}/ams-1`, severity: 'block', code: 'unknown-machine-type', message: 'PacketMachineTemplate/fleet-staging/x spec.template.spec.machineType: "c3.huge.x86" is not a plan' },
        { severity: 'warn', code: 'provider-unavailable', message: 'equinix-metal: provider checks skipped: 503' },
      ],
      costs: [],
    });
    expect(plan.blocked).toBe(true);
    expect(plan.clusters[0]!.findings.map((f) => f.code)).toEqual(['unknown-machine-type']);
    expect(plan.findings.map((f) => f.code)).toEqual(['provider-unavailable']);
  });

  it('prints the hourly cost change per cluster and per environment in text and markdown', () => {
    const plan = planWith({ findings: [], costs: [{ cluster: `${NS}/ams-1`, perHour: 2.1, currency: 'USD', items: [{ count: 2, type: 'm3.small.x86', location: 'am', perHour: 1.05 }] }] });
    expect(plan.cost).toEqual({ perHour: 2.1, currency: 'USD', items: [{ count: 2, type: 'm3.small.x86', location: 'am', perHour: 1.05 }] });
    const text = formatPlanText(plan);
    expect(text).toContain('  cost +$2.10/h: 2 × m3.small.x86 in am\n');
    expect(text).toContain('\ncost: +$2.10/h: 2 × m3.small.x86 in am\n');
    const md = formatPlanMarkdown(plan);
    expect(md).toContain('**Cost:** +$2.10/h: 2 × m3.small.x86 in am');
    expect(md).toContain('Cost: +$2.10/h: 2 × m3.small.x86 in am');
  });

  it('leaves out the cost of a cluster the plan does not change', () => {
    const plan = planWith({ findings: [], costs: [{ cluster: `${NS}/ams-1`, perHour: 2.1, currency: 'USD', items: [{ count: 2, type: 'm3.small.x86', location: 'am', perHour: 1.05 }] }] }, 2);
    expect(plan.cost).toBeUndefined();
    expect(formatPlanText(plan)).not.toContain('cost');
  });

  it.each([
    [{ perHour: 3.2, currency: 'USD', items: [{ count: 2, type: 'c3.small.x86', location: 'am', perHour: 1.6 }] }, '+$3.20/h: 2 × c3.small.x86 in am'],
    [{ perHour: -1.05, currency: 'USD', items: [{ count: -1, type: 'm3.small.x86', location: 'fr', perHour: 1.05 }] }, '−$1.05/h: −1 × m3.small.x86 in fr'],
    [
      { perHour: 0.9, currency: 'USD', items: [{ count: 2, type: 'c3.medium.x86', location: 'am', perHour: 1.5 }, { count: -2, type: 'c3.small.x86', location: 'am', perHour: 1.05 }] },
      '+$0.90/h: +2 × c3.medium.x86 in am, −2 × c3.small.x86 in am',
    ],
    [{ perHour: 0, currency: 'USD', items: [{ count: 1, type: 'x.custom', location: 'am' }] }, '±$0.00/h: 1 × x.custom in am (no price for x.custom)'],
  ])('formats %j as %s', (cost, expected) => {
    expect(formatCost(cost)).toBe(expected);
  });
});
