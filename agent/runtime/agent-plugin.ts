import type { Logger } from '../core/log.js';
import type { FleetConfig, EnvironmentConfig } from '../fleet/fleet-config.js';
import type { PromotionDecision } from '../health/promotion-gate.js';
import type { KubeClient, RequestCounter } from '../kube/kube-client.js';
import type { ApplyRevisionResult } from '../reconcile/apply-revision.js';
import type { ReconcileEnvironmentDeps } from '../reconcile/reconcile-environment.js';
import type { ForgeReporter } from '../reconcile/report-forge.js';
import type { Outbox } from '../report/outbox.js';
import type { FleetSnapshot } from '../source/snapshot.js';
import type { AgentStateStore, EnvironmentState } from './agent-state.js';
import type { FleetResource } from './fleet-resource.js';
import type { HttpServer } from './http-server.js';
import type { AgentMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';

/** What the agent hands every plug-in when it starts. */
export interface AgentContext {
  readonly log: Logger;
  /** The agent's Kubernetes client (field manager `drover`); its `requests` counts every call. */
  readonly client: KubeClient;
  /** One counter shared by every client of the agent, by verb. */
  readonly requests: RequestCounter;
  readonly state: AgentStateStore;
  readonly http: HttpServer;
  /** The agent's Prometheus metrics (`GET /metrics`): record through its methods (`recordWebhookDelivery`, `setLeader`). */
  readonly metrics: AgentMetrics;
  /** What `/readyz` answers from: add a check (`addCheck`), set the leader role (`setLeaderRole`). */
  readonly readiness: Readiness;
  /** Queues a reconcile of the Fleet `<namespace>/<name>` now (no-op if unknown). */
  trigger(key: string): void;
  readonly now: () => number;
  /**
   * Whether this replica is the leader now. A standby writes nothing: a plug-in that writes
   * outside the reconcile hooks (an outbox pump, a timer) checks this first. The hooks
   * themselves run only on the leader.
   */
  isLeader(): boolean;
}

/** One Fleet at one revision, as a hook sees it. */
export interface FleetRevisionContext {
  readonly fleet: FleetResource;
  readonly snapshot: FleetSnapshot;
  readonly config: FleetConfig;
  /** Present when the Fleet has a forge. */
  readonly reporter?: ForgeReporter | undefined;
  /** Reads another ref of the Fleet's repository (PR heads: `refs/pull/7/head`), through the Fleet's cache and credentials. */
  fetchRevision(ref: string): Promise<FleetSnapshot>;
  /** The deps `reconcileEnvironment` needs (client, the Fleet's renderer with its cache, log). */
  readonly reconcileDeps: ReconcileEnvironmentDeps;
  readonly log: Logger;
}

/**
 * A plug-in extends the agent without changing its loop. Every hook is optional; a hook that
 * throws is logged and does not fail the reconcile. Hooks run inside the Fleet's reconcile, so
 * one Fleet's hooks never run concurrently with each other.
 */
export interface AgentPlugin {
  readonly name: string;
  /** Register routes, subscribe to state, open watches. Awaited before the agent serves. */
  start?(ctx: AgentContext): void | Promise<void>;
  stop?(): void | Promise<void>;
  /**
   * The promotion gate of `environment` (which has `after:`): return a decision to replace the
   * agent's default (upstream environments Ready at this revision in the agent's state), or
   * undefined to keep it. The health watches answer here from what they watch.
   */
  promotionGate?(input: FleetRevisionContext & { readonly environment: EnvironmentConfig }): Promise<PromotionDecision | undefined>;
  /**
   * The health of an environment applied at this revision and still converging, instead of the
   * default re-plan (computeEnvironmentStatus). Return undefined to keep the default.
   */
  checkHealth?(input: FleetRevisionContext & { readonly environment: EnvironmentConfig; readonly current: EnvironmentState }): Promise<Pick<EnvironmentState, 'phase' | 'reason' | 'message' | 'health' | 'clusters'> | undefined>;
  /** After each environment's apply (or hold): start health watches, finish an older commit's statuses. */
  onEnvironmentReconciled?(input: FleetRevisionContext & {
    readonly environment: EnvironmentConfig;
    readonly result: ApplyRevisionResult;
    readonly previous: EnvironmentState | undefined;
    /** The environment's state this reconcile leads to (phase, reason), as the agent will record it. */
    readonly next: EnvironmentState;
    /** How long applyRevision took (gate, render, plan, apply, record, health, report). */
    readonly durationMs: number;
  }): Promise<void>;
  /** Once per poll of a Fleet, after its environments (new revision or not): PR checks poll the forge here. */
  onPoll?(input: FleetRevisionContext): Promise<void>;
  /** The Fleet is gone (deleted) or no longer served: drop its watches and caches. Clusters are left alone. */
  onFleetRemoved?(key: string): void | Promise<void>;
  /**
   * The `target_url` of a commit status the agent posts for a Fleet (the fleet page, given
   * `--public-url`), for statuses that have none. First plug-in that answers wins.
   */
  statusTargetUrl?(fleet: FleetResource, context: string): string | undefined;
  /** The outbox for a Fleet's forge statuses; default: a JSON file under the cache directory. First plug-in that answers wins. */
  createOutbox?(fleet: FleetResource, defaultPath: string): Outbox | undefined;
}
