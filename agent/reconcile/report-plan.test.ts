import { describe, expect, it } from 'vitest';
import { PlanError } from '../core/errors.js';
import type { Plan } from '../plan/plan.js';
import { formatPlanCheckComment, toPlanCheckStatus, toPlanCounts } from './report-plan.js';
import { FailureReason } from './failure-reason.js';
import type { ReconcileOutcome } from './reconcile-environment.js';

const counts = { desired: 20, create: 8, update: 4, delete: 0, unchanged: 8, skipped: 0, adopt: 0 };

function plan(overrides: Partial<Plan> = {}): Plan {
  return {
    environment: 'prod',
    revision: `refs/pull/7/head@sha1:${'b'.repeat(40)}`,
    clusters: [
      {
        name: 'prod/eu-3',
        skipped: false,
        findings: [],
        changes: [
          { type: 'create-cluster', object: 'Cluster/prod/eu-3', to: { pools: {}, objects: 7 } },
          { type: 'create', object: 'KubeadmControlPlane/prod/eu-3-cp' },
          { type: 'create', object: 'MachineDeployment/prod/eu-3-md-0' },
        ],
      },
      {
        name: 'prod/eu-1',
        skipped: false,
        findings: [{ severity: 'warn', code: 'replicas-removed', message: 'MachineDeployment/prod/eu-1-md-1 spec.replicas: removed' }],
        changes: [
          { type: 'resize', object: 'MachineDeployment/prod/eu-1-md-0', path: 'spec.replicas', from: 3, to: 5, target: 'eu-1-md-0' },
          { type: 'resize', object: 'MachineDeployment/prod/eu-1-md-1', path: 'spec.replicas', from: 2, to: 4, target: 'eu-1-md-1' },
          { type: 'resize', object: 'KubeadmControlPlane/prod/eu-1-cp', path: 'spec.replicas', from: 3, to: 5, target: 'control plane' },
          { type: 'upgrade', object: 'KubeadmControlPlane/prod/eu-1-cp', path: 'spec.version', from: 'v1.33.2', to: 'v1.34.1', target: 'control plane', machines: 3 },
          { type: 'template-swap', object: 'MachineDeployment/prod/eu-1-md-0', path: 'spec.template.spec.infrastructureRef', from: 'a', to: 'b', target: 'eu-1-md-0', machines: 3 },
          { type: 'update', object: 'PacketCluster/prod/eu-1', paths: ['spec.metro'] },
          { type: 'create', object: 'MachineHealthCheck/prod/eu-1-mhc' },
        ],
      },
    ],
    changes: [{ type: 'update', object: 'ConfigMap/prod/cni', paths: ['data'] }],
    findings: [],
    counts,
    blocked: false,
    ...overrides,
  };
}

const outcome = (p: Plan | undefined, failure?: ReconcileOutcome['failure']): ReconcileOutcome => ({ environment: 'prod', revision: `refs/pull/7/head@sha1:${'b'.repeat(40)}`, plan: p, blocked: p?.blocked ?? false, failure });

describe('toPlanCounts', () => {
  it('counts CAPI changes, folding the objects of a created cluster into it', () => {
    expect(toPlanCounts(plan())).toEqual({
      clustersAdded: 1,
      clustersDeleted: 0,
      poolsResized: 2,
      controlPlanesResized: 1,
      upgrades: 1,
      templateSwaps: 1,
      otherChanges: 3,
      blocked: [],
    });
  });
});

describe('toPlanCheckStatus', () => {
  it('is success with the summary when nothing blocks', () => {
    expect(toPlanCheckStatus(outcome(plan()))).toEqual({
      state: 'success',
      context: 'drover/plan/prod',
      description: '+1 cluster, 2 pools resized, 0 deleted, 1 control plane resized, 1 upgrade, 1 template swap, 3 other changes',
    });
  });

  it('is failure naming the first block finding with its code', () => {
    const blocked = plan({
      blocked: true,
      findings: [{ severity: 'block', code: 'prune-threshold', message: 'would prune 7 of 7 objects Drover applied, more than the limit of 5' }],
      clusters: [{ name: 'prod/eu-1', skipped: false, changes: [], findings: [{ severity: 'block', code: 'template-edited-in-place', message: 'PacketMachineTemplate/prod/eu-1-md-0-v1 spec.template: templates are immutable' }] }],
    });
    expect(toPlanCheckStatus(outcome(blocked))).toMatchObject({ state: 'failure', description: 'blocked: template-edited-in-place: PacketMachineTemplate/prod/eu-1-md-0-v1 spec.template: templates are immutable (+1 more)' });
  });

  it('is error naming the stage when no plan could be made', () => {
    const failure = { reason: FailureReason.RenderFailed, error: new PlanError('environments/prod/kustomization.yaml:3:5 resources[1]: "missing.yaml" does not exist\nsecond issue') };
    expect(toPlanCheckStatus(outcome(undefined, failure))).toEqual({
      state: 'error',
      context: 'drover/plan/prod',
      description: 'plan failed: RenderFailed: environments/prod/kustomization.yaml:3:5 resources[1]: "missing.yaml" does not exist',
    });
  });
});

describe('formatPlanCheckComment', () => {
  it('is the plan markdown when there is a plan', () => {
    expect(formatPlanCheckComment(outcome(plan()))).toMatch(/^### Drover plan for `prod` at `refs\/pull\/7\/head@sha1:b{40}`/);
  });
  it('says why there is no plan, with every issue in a code block', () => {
    const failure = { reason: FailureReason.RenderFailed, error: new PlanError('a.yaml:1:1 first\nb.yaml:2:2 second ``` fence') };
    expect(formatPlanCheckComment(outcome(undefined, failure))).toBe(
      `### Drover plan for \`prod\` at \`refs/pull/7/head@sha1:${'b'.repeat(40)}\`\n\n> **Plan failed** (RenderFailed): nothing can be applied from this revision.\n\n\`\`\`\na.yaml:1:1 first\nb.yaml:2:2 second ''' fence\n\`\`\`\n`,
    );
  });
});
