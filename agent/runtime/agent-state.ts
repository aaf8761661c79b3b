import type { HealthState } from '../health/health-state.js';

/** Where an environment of a Fleet stands, as the agent last saw it. */
export const EnvironmentPhase = {
  /** Applied at its revision and every cluster healthy there. */
  Ready: 'ready',
  /** Applied; clusters still converging (health pending). */
  Progressing: 'progressing',
  /** The promotion gate holds it until its `after:` environments are healthy at the revision. */
  Waiting: 'waiting',
  /** Outside its apply windows: planned, nothing written. */
  Held: 'held',
  /** A transient failure: retried with backoff. */
  Retrying: 'retrying',
  /** A terminal failure: waits for a new revision or a spec change. */
  Stalled: 'stalled',
  /** Applied, but a cluster failed (or timed out) at this revision. */
  Failed: 'failed',
} as const;
export type EnvironmentPhase = (typeof EnvironmentPhase)[keyof typeof EnvironmentPhase];

export interface ClusterCounts {
  readonly total: number;
  readonly success: number;
  readonly pending: number;
  readonly failure: number;
  readonly error: number;
}

export interface EnvironmentState {
  readonly name: string;
  readonly phase: EnvironmentPhase;
  /** Condition reason: the failing stage (`ApplyFailed`, …), a hold (`WaitingForPromotion`), or `Succeeded` / `Progressing`. */
  readonly reason: string;
  readonly message: string;
  /** The revision the agent last worked on for this environment. */
  readonly attemptedRevision?: string | undefined;
  /** The revision last applied without failure. */
  readonly appliedRevision?: string | undefined;
  readonly appliedAt?: number | undefined;
  /** Health of the environment at appliedRevision. */
  readonly health?: HealthState | undefined;
  readonly clusters?: ClusterCounts | undefined;
  readonly nextApplyWindow?: number | undefined;
  /** The Fleet generation the attempt was made under (a terminal failure waits for another). */
  readonly generation: number;
  readonly updatedAt: number;
}

export interface SourceStateView {
  /** Newest revision seen (`main@sha1:…`). */
  readonly revision?: string | undefined;
  readonly fetchedAt?: number | undefined;
  /** Set while the source cannot be read; the last good revision keeps being served. */
  readonly staleSince?: number | undefined;
  readonly message?: string | undefined;
}

export interface FleetState {
  /** `<namespace>/<name>`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly generation: number;
  readonly repository: string;
  readonly suspended: boolean;
  readonly source: SourceStateView;
  /** Fleet-level failure before any environment ran (FleetInvalid, an invalid spec). */
  readonly failure?: { readonly reason: string; readonly message: string; readonly terminal: boolean } | undefined;
  /** In promotion order. */
  readonly environments: readonly EnvironmentState[];
  readonly reconciling: boolean;
  readonly lastReconcileAt?: number | undefined;
  readonly nextPollAt?: number | undefined;
  /** Consecutive transient failures (backoff attempt). */
  readonly retries: number;
}

export type AgentStateEvent = { readonly key: string; readonly fleet: FleetState | undefined };
export type AgentStateListener = (event: AgentStateEvent) => void;

/**
 * The agent's in-memory state of every Fleet it serves: what the page, the metrics, the HTTP
 * routes and the plug-ins read. Writers replace a Fleet's state whole (`set`, `update`);
 * subscribers hear every change after it is stored, synchronously, in order. A subscriber that
 * throws is logged by the caller's wrapper and does not stop the others.
 */
export class AgentStateStore {
  private readonly fleets = new Map<string, FleetState>();
  private readonly listeners = new Set<AgentStateListener>();

  get(key: string): FleetState | undefined {
    return this.fleets.get(key);
  }

  list(): FleetState[] {
    return [...this.fleets.values()].sort((a, b) => a.key.localeCompare(b.key));
  }

  set(state: FleetState): void {
    this.fleets.set(state.key, state);
    this.emit({ key: state.key, fleet: state });
  }

  /** Applies `fn` to the current state (undefined when there is none) and stores the result. */
  update(key: string, fn: (current: FleetState | undefined) => FleetState): FleetState {
    const next = fn(this.fleets.get(key));
    this.set(next);
    return next;
  }

  /** Replaces one environment's state (appending it when new). */
  updateEnvironment(key: string, env: EnvironmentState): void {
    const current = this.fleets.get(key);
    if (!current) return;
    const environments = current.environments.some((e) => e.name === env.name)
      ? current.environments.map((e) => (e.name === env.name ? env : e))
      : [...current.environments, env];
    this.set({ ...current, environments });
  }

  delete(key: string): void {
    if (!this.fleets.delete(key)) return;
    this.emit({ key, fleet: undefined });
  }

  /** Hears every change; returns the unsubscribe function. */
  subscribe(listener: AgentStateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: AgentStateEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // a broken subscriber must not stop the agent or the other subscribers
      }
    }
  }
}
