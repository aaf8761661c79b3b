import { describe, expect, it } from 'vitest';
import { formatPlanJson, toPlanJson } from './format-json.js';
import { formatPlanMarkdown } from './format-markdown.js';
import { formatPlanText } from './format-text.js';
import { planJsonSchema, planJsonSchemaDocument } from './plan-schema.js';
import type { Plan } from './plan.js';

const plan: Plan = {
  environment: 'prod',
  revision: `main@sha1:${'b'.repeat(40)}`,
  clusters: [
    {
      name: 'fleet-prod/eu-1',
      skipped: false,
      changes: [
        { type: 'resize', object: 'MachineDeployment/fleet-prod/eu-1-md-0', path: 'spec.replicas', target: 'eu-1-md-0', from: 3, to: 5 },
        { type: 'upgrade', object: 'KubeadmControlPlane/fleet-prod/eu-1-cp', path: 'spec.version', target: 'control plane', from: 'v1.33.2', to: 'v1.34.0', machines: 3 },
        { type: 'update', object: 'Cluster/fleet-prod/eu-1', paths: ['metadata.labels.tier'] },
      ],
      findings: [],
    },
    {
      name: 'fleet-prod/eu-3',
      skipped: false,
      changes: [
        { type: 'create-cluster', object: 'Cluster/fleet-prod/eu-3', to: { version: 'v1.33.2', controlPlane: 3, pools: { 'eu-3-md-0': 5 }, objects: 7 } },
        { type: 'create', object: 'MachineDeployment/fleet-prod/eu-3-md-0' },
      ],
      findings: [],
    },
    {
      name: 'fleet-prod/old',
      skipped: false,
      changes: [{ type: 'delete-cluster', object: 'Cluster/fleet-prod/old', from: { controlPlane: 1, pools: {}, objects: 3 } }],
      findings: [{ severity: 'block', code: 'cluster-removed-without-tombstone', message: 'Cluster/fleet-prod/old was removed from git | really' }],
    },
  ],
  changes: [{ type: 'create', object: 'Namespace/fleet-prod' }],
  findings: [{ severity: 'warn', code: 'replicas-removed', message: 'MachineDeployment/fleet-prod/x spec.replicas: removed' }],
  counts: { desired: 20, create: 8, update: 3, delete: 3, unchanged: 9, skipped: 0, adopt: 0 },
  blocked: true,
};

describe('plan formats', () => {
  it('prints a terminal plan with one line per change and the verdict', () => {
    expect(formatPlanText(plan)).toBe(
      [
        `plan for environment prod at main@sha1:${'b'.repeat(40)}: deletes 1 cluster`,
        'cluster fleet-prod/eu-1',
        '  ~ resize eu-1-md-0: 3 → 5 (MachineDeployment/fleet-prod/eu-1-md-0 spec.replicas)',
        '  ~ upgrade control plane: v1.33.2 → v1.34.0, 3 machines roll (KubeadmControlPlane/fleet-prod/eu-1-cp spec.version)',
        '  ~ update Cluster/fleet-prod/eu-1: metadata.labels.tier',
        'cluster fleet-prod/eu-3',
        '  + create cluster Cluster/fleet-prod/eu-3: v1.33.2, control plane 3, eu-3-md-0 ×5; 7 objects',
        'cluster fleet-prod/old',
        '  - delete cluster Cluster/fleet-prod/old: control plane 1; 3 objects',
        '  BLOCK cluster-removed-without-tombstone: Cluster/fleet-prod/old was removed from git | really',
        'environment',
        '  + create Namespace/fleet-prod',
        '  warn replicas-removed: MachineDeployment/fleet-prod/x spec.replicas: removed',
        'summary: 8 to create, 3 to update, 3 to delete, 9 unchanged, 0 skipped',
        'blocked: 1 finding must be resolved; apply writes nothing',
        '',
      ].join('\n'),
    );
  });

  it('says so when nothing changes', () => {
    const empty: Plan = { ...plan, clusters: [], changes: [], findings: [], blocked: false, counts: { ...plan.counts, create: 0, update: 0, delete: 0 } };
    expect(formatPlanText(empty)).toContain('no changes');
    expect(formatPlanMarkdown(empty)).toContain('No changes.');
  });

  it('renders a PR comment with a verdict, tables and escaped cells', () => {
    const md = formatPlanMarkdown(plan);
    expect(md).toContain('### Drover plan for `prod`');
    expect(md).toContain('> **Blocked:** 1 finding must be resolved; nothing will be applied.');
    expect(md).toContain('| ✏️ | resize eu-1-md-0 | 3 → 5 (MachineDeployment/fleet-prod/eu-1-md-0 spec.replicas) |');
    expect(md).toContain('| ➕ | create cluster Cluster/fleet-prod/eu-3 | v1.33.2, control plane 3, eu-3-md-0 ×5; 7 objects |');
    expect(md).not.toContain('create MachineDeployment/fleet-prod/eu-3-md-0');
    expect(md).toContain('- ⛔ **block** `cluster-removed-without-tombstone`: Cluster/fleet-prod/old was removed from git \\| really');
  });

  it('cuts a long PR comment and says how many sections were left out', () => {
    const md = formatPlanMarkdown(plan, { maxLength: 600 });
    expect(md.length).toBeLessThan(900);
    expect(md).toMatch(/…and \d+ more sections?; run `drover plan` for the full list/);
  });

  it('emits JSON that satisfies the documented schema', () => {
    const json = JSON.parse(formatPlanJson(plan));
    expect(planJsonSchema.safeParse(json).success).toBe(true);
    expect(json.clusters[0].changes[0]).toEqual({ type: 'resize', object: 'MachineDeployment/fleet-prod/eu-1-md-0', path: 'spec.replicas', target: 'eu-1-md-0', from: 3, to: 5 });
    expect(toPlanJson(plan).counts).toEqual(plan.counts);
  });

  it('keeps plan.schema.json in step with the zod schema', async () => {
    await expect(`${JSON.stringify(planJsonSchemaDocument(), null, 2)}\n`).toMatchFileSnapshot('./plan.schema.json');
  });
});
