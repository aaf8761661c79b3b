/**
 * A plan is a value: what applying one environment at one revision would do to the management
 * cluster, in Cluster API terms, per workload cluster, plus the findings that block or warn.
 * compute-plan.ts builds it; format-text/markdown/json print it. The JSON shape is documented in
 * plan-schema.ts and README.md.
 */
export const ChangeType = {
  /** A new Cluster (with its objects). */
  CreateCluster: 'create-cluster',
  /** A Cluster deleted: by tombstone, or removed from Git (which blocks). */
  DeleteCluster: 'delete-cluster',
  /** Control plane or pool replica count, `from` → `to`. */
  Resize: 'resize',
  /** Kubernetes version `from` → `to`; `machines` roll. */
  Upgrade: 'upgrade',
  /** A machine template or bootstrap config reference swapped (`from` → `to` names); `machines` roll. */
  TemplateSwap: 'template-swap',
  /** Any other field change, with its paths. */
  Update: 'update',
  /** A new object in an existing cluster or in the environment. */
  Create: 'create',
  /** An object Drover applied before and Git no longer declares (prune). */
  Delete: 'delete',
} as const;
export type ChangeType = (typeof ChangeType)[keyof typeof ChangeType];

export interface Change {
  readonly type: ChangeType;
  /** `Kind/namespace/name`. */
  readonly object: string;
  /** The field changed (`spec.replicas`), for resize, upgrade and template-swap. */
  readonly path?: string | undefined;
  readonly from?: unknown;
  readonly to?: unknown;
  /** Which control plane or pool it is about: "control plane", a pool name. */
  readonly target?: string | undefined;
  /** Every changed field, for update. */
  readonly paths?: readonly string[] | undefined;
  /** Machines replaced by a rollout this change starts. */
  readonly machines?: number | undefined;
}

export const Severity = { Block: 'block', Warn: 'warn' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

export const FindingCode = {
  ClusterRemovedWithoutTombstone: 'cluster-removed-without-tombstone',
  ClusterDeletionDisabled: 'cluster-deletion-disabled',
  TemplateEditedInPlace: 'template-edited-in-place',
  ControlPlaneReplicas: 'control-plane-replicas',
  ReplicasRemoved: 'replicas-removed',
  ReplicasOnAutoscaledPool: 'replicas-on-autoscaled-pool',
  ClusterPaused: 'cluster-paused',
  ClusterMoving: 'cluster-moving',
  DryRunFailed: 'dry-run-failed',
  EmptyRender: 'empty-render',
  PruneThreshold: 'prune-threshold',
} as const;
export type FindingCode = (typeof FindingCode)[keyof typeof FindingCode];

export interface Finding {
  readonly severity: Severity;
  readonly code: FindingCode;
  /** Says where: `Kind/ns/name field: what and what to do`. */
  readonly message: string;
}

export interface ClusterPlan {
  /** `namespace/name` of the Cluster. */
  readonly name: string;
  readonly changes: Change[];
  readonly findings: Finding[];
  /** Paused or being moved: nothing of it is applied or pruned. */
  readonly skipped: boolean;
}

export interface PlanCounts {
  /** Objects Git declares for the environment. */
  readonly desired: number;
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  readonly unchanged: number;
  readonly skipped: number;
}

export interface Plan {
  readonly environment: string;
  readonly revision: string;
  /** Clusters with changes or findings, in name order. */
  readonly clusters: ClusterPlan[];
  /** Objects of no single cluster (ClusterClasses, shared templates, namespaces, …). */
  readonly changes: Change[];
  readonly findings: Finding[];
  readonly counts: PlanCounts;
  /** True when any finding blocks: apply must write nothing. */
  readonly blocked: boolean;
}
