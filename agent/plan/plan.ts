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
  /**
   * An object Git declares that exists but is in no environment's inventory: applying takes it
   * over (this environment's field manager, its inventory). `paths` lists the fields that change.
   */
  Adopt: 'adopt',
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
  /** For adopt: the field managers that wrote the object so far. */
  readonly managers?: readonly string[] | undefined;
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
  /** Infrastructure provider checks (agent/providers), passed in as `PlanInput.providers`. */
  UnknownMachineType: 'unknown-machine-type',
  UnknownLocation: 'unknown-location',
  UnknownOperatingSystem: 'unknown-operating-system',
  OverCapacity: 'over-capacity',
  ProviderUnavailable: 'provider-unavailable',
  /** Another environment's inventory owns the object: this one may not write (or take over) it. */
  OwnedByAnotherEnvironment: 'owned-by-another-environment',
  /** Outside the environment's namespace, or cluster-scoped, without drover.yaml's allow-list. */
  OutsideEnvironment: 'outside-environment',
} as const;
export type FindingCode = (typeof FindingCode)[keyof typeof FindingCode];

export interface Finding {
  readonly severity: Severity;
  readonly code: FindingCode;
  /** Says where: `Kind/ns/name field: what and what to do`. */
  readonly message: string;
}

/**
 * The change in hourly cost the plan makes, from the infrastructure provider's prices:
 * machines more (count > 0) or fewer per machine type and location.
 */
export interface CostDelta {
  /** Sum over the priced items (rounded to 1/10000). */
  readonly perHour: number;
  /** ISO 4217, `USD`. */
  readonly currency: string;
  readonly items: readonly CostItem[];
}

export interface CostItem {
  readonly count: number;
  /** The provider's machine type (Metal: plan slug). */
  readonly type: string;
  /** The provider's location (Metal: metro code). */
  readonly location: string;
  /** Price of one machine per hour; undefined when the provider has none. */
  readonly perHour?: number | undefined;
}

export interface ClusterPlan {
  /** `namespace/name` of the Cluster. */
  readonly name: string;
  readonly changes: Change[];
  readonly findings: Finding[];
  /** Paused or being moved: nothing of it is applied or pruned. */
  readonly skipped: boolean;
  /** Hourly cost change, when a provider priced it. */
  readonly cost?: CostDelta | undefined;
}

export interface PlanCounts {
  /** Objects Git declares for the environment. */
  readonly desired: number;
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  readonly unchanged: number;
  readonly skipped: number;
  /** Objects that exist in no inventory and are taken over (not in create, update or unchanged). */
  readonly adopt: number;
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
  /** Hourly cost change of the whole environment (the clusters' sum), when a provider priced it. */
  readonly cost?: CostDelta | undefined;
}
