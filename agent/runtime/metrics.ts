import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How a webhook delivery ended: a closed set, so a label never carries what a sender wrote. */
export const WebhookResult = {
  /** Signature good, event acted on (a reconcile or a plan check queued). */
  Accepted: 'accepted',
  /** Signature good, nothing to do (unknown event, untracked branch): 202. */
  Ignored: 'ignored',
  /** The same delivery ID again: acted on once already. */
  Duplicate: 'duplicate',
  /** Missing or wrong signature or token: 401. */
  Unauthorized: 'unauthorized',
  /** Body over the bound: 413. */
  TooLarge: 'too_large',
  /** Not parseable, or no Fleet matches: 4xx. */
  Rejected: 'rejected',
  /** The agent failed to handle it: 5xx. */
  Error: 'error',
} as const;
export type WebhookResult = (typeof WebhookResult)[keyof typeof WebhookResult];

/** The forges a webhook can come from; anything else is counted as `other`. */
const WEBHOOK_FORGES = new Set(['github', 'gitlab', 'gitea']);

/** The Kubernetes request verbs of agent/kube/request-counter.ts, pre-set to 0 so each series exists from the start. */
const KUBE_VERBS = ['discovery', 'list', 'get', 'watch', 'dry-run', 'apply', 'create', 'replace', 'patch', 'status', 'delete'];

/**
 * The agent's Prometheus metrics, in a registry of their own (nothing global), named after
 * Prometheus' conventions: `drover_` prefix, base units in the name (seconds, bytes), `_total`
 * on counters. Labels are bounded: a Fleet (`namespace/name`), an environment, a closed-set
 * reason or result; never a revision, a URL or anything a request carried.
 *
 * Other modules record through the small methods below (the webhook receiver calls
 * `recordWebhookDelivery`, the leader elector `setLeader`); the metrics plug-in feeds the rest
 * from what the reconcile library returns and from the agent's state.
 */
export class AgentMetrics {
  readonly registry = new Registry();

  private readonly reconcileDuration = new Histogram({
    name: 'drover_reconcile_duration_seconds',
    help: 'Time to reconcile one environment of a Fleet at a revision (gate, render, plan, apply, record, health, report), by the reason it ended with',
    labelNames: ['fleet', 'environment', 'reason'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });
  private readonly reconciles = new Counter({
    name: 'drover_reconcile_total',
    help: 'Reconciles of one environment of a Fleet, by result (the phase it reached: ready, progressing, waiting, held, retrying, stalled, failed) and condition reason',
    labelNames: ['fleet', 'environment', 'result', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly objects = new Counter({
    name: 'drover_apply_objects_total',
    help: 'Objects handled by applies, by action: created, configured, unchanged, deleted (pruned), skipped, unknown',
    labelNames: ['fleet', 'environment', 'action'] as const,
    registers: [this.registry],
  });
  private readonly drift = new Counter({
    name: 'drover_drift_detected_total',
    help: 'Objects found changed in the cluster (to create, update or delete) at a revision that was applied already',
    labelNames: ['fleet', 'environment'] as const,
    registers: [this.registry],
  });
  private readonly clusters = new Gauge({
    name: 'drover_cluster_health',
    help: 'Clusters of an environment by health state at its applied revision (success, pending, failure, error)',
    labelNames: ['fleet', 'environment', 'state'] as const,
    registers: [this.registry],
  });
  private readonly gitFetchDuration = new Histogram({
    name: 'drover_git_fetch_duration_seconds',
    help: 'Git smart-HTTP requests to Fleet repositories, by operation (list-refs, fetch-pack) and result',
    labelNames: ['fleet', 'operation', 'result'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly gitFetchBytes = new Counter({
    name: 'drover_git_fetch_bytes_total',
    help: 'Bytes received from Fleet repositories, by operation (list-refs, fetch-pack)',
    labelNames: ['fleet', 'operation'] as const,
    registers: [this.registry],
  });
  private readonly forgeRequests = new Counter({
    name: 'drover_forge_requests_total',
    help: 'HTTP requests to forges (GitHub, GitLab, Gitea), by forge kind and result (2xx, 3xx, 4xx, 5xx, error for no answer)',
    labelNames: ['forge', 'result'] as const,
    registers: [this.registry],
  });
  private readonly outboxDepth = new Gauge({
    name: 'drover_outbox_depth',
    help: 'Commit statuses waiting in a Fleet\'s outbox for their forge',
    labelNames: ['fleet'] as const,
    registers: [this.registry],
  });
  private readonly outboxDropped = new Counter({
    name: 'drover_outbox_dropped_total',
    help: 'Commit statuses given up on, by reason: refused (401, 403, 404, 422), expired, overflow',
    labelNames: ['fleet', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly webhookDeliveries = new Counter({
    name: 'drover_webhook_deliveries_total',
    help: 'Webhook deliveries received, by forge and result (accepted, ignored, duplicate, unauthorized, too_large, rejected, error)',
    labelNames: ['forge', 'result'] as const,
    registers: [this.registry],
  });
  private readonly leader = new Gauge({
    name: 'drover_leader_election_leader',
    help: '1 while this replica holds the leader Lease, 0 while it stands by',
    registers: [this.registry],
  });
  private readonly kubeRequests = new Counter({
    name: 'drover_kube_requests_total',
    help: 'Requests to the Kubernetes API by verb (a watch counts once per stream)',
    labelNames: ['verb'] as const,
    registers: [this.registry],
  });

  /** Label sets recorded per Fleet, so a Fleet that leaves takes its series with it. */
  private readonly series = new Map<string, Map<string, { metric: Removable; labels: Record<string, string> }>>();

  constructor(options: { processMetrics?: boolean } = {}) {
    // Process metrics (CPU, resident memory, event loop lag, heap) under their standard names.
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    // Series that exist from the start (0), so rate() and absent() work before the first event.
    for (const verb of KUBE_VERBS) this.kubeRequests.inc({ verb }, 0);
    for (const forge of WEBHOOK_FORGES) for (const result of Object.values(WebhookResult)) this.webhookDeliveries.inc({ forge, result }, 0);
    this.leader.set(0);
  }

  /** One environment reconciled (applyRevision returned): its duration and where it ended. */
  recordReconcile(r: { fleet: string; environment: string; result: string; reason: string; seconds: number }): void {
    const labels = { fleet: r.fleet, environment: r.environment, reason: r.reason };
    this.reconcileDuration.observe(this.track(this.reconcileDuration, labels), r.seconds);
    this.reconciles.inc(this.track(this.reconciles, { ...labels, result: r.result }));
  }

  /** Objects an apply handled, by action (`created`, `configured`, `unchanged`, `deleted`, …). */
  recordApplyObjects(fleet: string, environment: string, counts: Readonly<Record<string, number | undefined>>): void {
    for (const [action, n] of Object.entries(counts)) if (n !== undefined && n > 0) this.objects.inc(this.track(this.objects, { fleet, environment, action }), n);
  }

  /** Objects found drifted at an already applied revision. */
  recordDrift(fleet: string, environment: string, objects: number): void {
    this.drift.inc(this.track(this.drift, { fleet, environment }), objects);
  }

  /** The clusters of an environment by health state now. */
  setClusterHealth(fleet: string, environment: string, counts: Readonly<Record<'success' | 'pending' | 'failure' | 'error', number>>): void {
    for (const state of ['success', 'pending', 'failure', 'error'] as const) this.clusters.set(this.track(this.clusters, { fleet, environment, state }), counts[state]);
  }

  /** One git smart-HTTP request of a Fleet's source: how long, how it ended, bytes received. */
  recordGitRequest(r: { fleet: string; operation: 'list-refs' | 'fetch-pack'; result: 'ok' | 'error'; seconds: number; bytes: number }): void {
    this.gitFetchDuration.observe(this.track(this.gitFetchDuration, { fleet: r.fleet, operation: r.operation, result: r.result }), r.seconds);
    this.gitFetchBytes.inc(this.track(this.gitFetchBytes, { fleet: r.fleet, operation: r.operation }), r.bytes);
  }

  /** One forge HTTP request: `status` is the HTTP status, undefined when no answer came. */
  recordForgeRequest(forge: string, status: number | undefined): void {
    this.forgeRequests.inc({ forge, result: status === undefined ? 'error' : `${Math.floor(status / 100)}xx` });
  }

  setOutboxDepth(fleet: string, entries: number): void {
    this.outboxDepth.set(this.track(this.outboxDepth, { fleet }), entries);
  }

  recordOutboxDropped(fleet: string, reason: string): void {
    this.outboxDropped.inc(this.track(this.outboxDropped, { fleet, reason }));
  }

  /** One Kubernetes request (fed from the agent's RequestCounter). */
  recordKubeRequest(verb: string): void {
    this.kubeRequests.inc({ verb });
  }

  /** One webhook delivery handled (the webhook receiver calls this once per request). */
  recordWebhookDelivery(forge: string, result: WebhookResult): void {
    this.webhookDeliveries.inc({ forge: WEBHOOK_FORGES.has(forge) ? forge : 'other', result });
  }

  /** This replica became leader (true) or stands by (false); the leader elector calls this. */
  setLeader(leader: boolean): void {
    this.leader.set(leader ? 1 : 0);
  }

  /** A Fleet left the agent: its series go (they would otherwise report the last values forever). */
  forgetFleet(fleet: string): void {
    for (const { metric, labels } of this.series.get(fleet)?.values() ?? []) metric.remove(labels);
    this.series.delete(fleet);
  }

  /** The text exposition (`text/plain; version=0.0.4`). */
  async expose(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private track<L extends { fleet: string }>(metric: Removable, labels: L): L {
    let byFleet = this.series.get(labels.fleet);
    if (!byFleet) this.series.set(labels.fleet, (byFleet = new Map()));
    const key = `${(metric as { name?: string }).name ?? ''} ${JSON.stringify(labels)}`;
    if (!byFleet.has(key)) byFleet.set(key, { metric, labels: labels as unknown as Record<string, string> });
    return labels;
  }
}

interface Removable {
  remove(labels: Record<string, string>): void;
}
