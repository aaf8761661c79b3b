// The fleet page's data: what the HTML views render and what `GET /api/fleets/<ns>/<name>`
// returns as JSON (README, "The fleet page"), so the page and `drover status --fleet` show the
// same thing. Times are ISO 8601 strings; everything here is plain data.

/** A cluster's health as the page tells it; `unknown` before the agent has seen its objects. */
export type CellState = 'success' | 'pending' | 'failure' | 'error' | 'unknown';

export interface Replicas {
  readonly ready?: number | undefined;
  readonly desired?: number | undefined;
}

/** One cell of the grid: one cluster of one environment. */
export interface ClusterCell {
  readonly environment: string;
  readonly namespace: string;
  readonly name: string;
  readonly state: CellState;
  /** One word: `Available`, `Provisioning`, `TimedOut`… */
  readonly reason: string;
  /** The commit status description, at most 140 characters. */
  readonly description: string;
  readonly version?: string | undefined;
  readonly controlPlane?: Replicas | undefined;
  readonly workers?: Replicas | undefined;
  /** The revision applied to this cluster's environment (`main@sha1:…`). */
  readonly revision?: string | undefined;
  /** When the cluster entered its current state, as the agent saw it. */
  readonly since?: string | undefined;
}

export interface EnvironmentView {
  readonly name: string;
  /** Agent phase: ready, progressing, waiting, held, retrying, stalled, failed. */
  readonly phase: string;
  /** Ready condition reason: `Succeeded`, `Progressing`, `WaitingForPromotion`, `ApplyFailed`… */
  readonly reason: string;
  readonly message: string;
  /** Environments this one is promoted after. */
  readonly after: readonly string[];
  readonly lastAppliedRevision?: string | undefined;
  readonly lastAttemptedRevision?: string | undefined;
  readonly lastAppliedAt?: string | undefined;
  readonly nextApplyWindow?: string | undefined;
  readonly counts?: { readonly total: number; readonly success: number; readonly pending: number; readonly failure: number; readonly error: number } | undefined;
  readonly clusters: readonly ClusterCell[];
  /** Safety findings that block the last plan (`code: message`). */
  readonly blocked: readonly string[];
}

export interface FleetView {
  readonly namespace: string;
  readonly name: string;
  readonly repository: string;
  /** Newest revision read from the source. */
  readonly revision?: string | undefined;
  readonly suspended: boolean;
  readonly reconciling: boolean;
  /** Set while the source cannot be read (the last good revision keeps being served). */
  readonly sourceStaleSince?: string | undefined;
  readonly sourceMessage?: string | undefined;
  readonly failure?: { readonly reason: string; readonly message: string } | undefined;
  readonly lastReconcileAt?: string | undefined;
  readonly nextPollAt?: string | undefined;
  /** Commit links: this prefix followed by the full SHA; absent when the forge is not known. */
  readonly commitUrlPrefix?: string | undefined;
  /** In promotion order. */
  readonly environments: readonly EnvironmentView[];
}

/** One plan of an environment: of a revision of the tracked branch, or of a pull request head. */
export interface PlanRecord {
  readonly environment: string;
  readonly revision: string;
  readonly pullRequest?: { readonly number: number; readonly title?: string | undefined } | undefined;
  /** Commit status state of the plan: success, failure (blocked) or error. */
  readonly state: string;
  /** The `drover/plan/<env>` description. */
  readonly summary: string;
  /** The same markdown the pull request comment has. */
  readonly markdown: string;
  readonly blocked: readonly string[];
  readonly at: string;
}

export interface ChangeRecord {
  /** `Kind/ns/name`. */
  readonly object: string;
  readonly action: string;
  readonly reason?: string | undefined;
}

/** The environment view: its overview, its plans (newest first) and its last reconcile's change set. */
export interface EnvironmentDetail {
  readonly fleet: FleetView;
  readonly environment: EnvironmentView;
  readonly plans: readonly PlanRecord[];
  readonly changeSet?: { readonly revision: string; readonly at: string; readonly changes: readonly ChangeRecord[] } | undefined;
}

export interface ConditionView {
  readonly type: string;
  readonly status: string;
  readonly reason?: string | undefined;
  readonly message?: string | undefined;
  readonly lastTransitionTime?: string | undefined;
}

export interface ObjectView {
  /** Cluster, control plane, pool, machine health check, machine, infrastructure machine. */
  readonly role: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly generation?: number | undefined;
  readonly observedGeneration?: number | undefined;
  readonly phase?: string | undefined;
  readonly conditions: readonly ConditionView[];
}

/** A change the agent saw for this cluster (state transitions, what an apply wrote). */
export interface ClusterEvent {
  readonly at: string;
  readonly kind: 'state' | 'apply';
  readonly text: string;
}

export interface ClusterDetail {
  readonly fleet: FleetView;
  readonly cell: ClusterCell;
  /** The health message uncut. */
  readonly message: string;
  readonly objects: readonly ObjectView[];
  readonly events: readonly ClusterEvent[];
}
