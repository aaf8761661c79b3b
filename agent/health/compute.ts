import type { ClusterObjects } from './cluster-objects.js';
import { toClusterView, type ClusterView, type Counters } from './cluster-view.js';
import { collectDetails, type ProviderMachineState } from './details.js';
import { HealthState, truncateText, worstState, type ClusterHealth } from './health-state.js';
import { clusterRules } from './rules/table.js';
import type { HealthRule, Verdict } from './rules/rule.js';

export const DEFAULT_PROVISIONING_TIMEOUT_SECONDS = 30 * 60;

export interface HealthOptions {
  /** The environment name; descriptions start with `<env>/<cluster>:`. */
  readonly env?: string | undefined;
  /** The current time (ms since epoch or a Date). Health never reads the clock itself. */
  readonly now: number | Date;
  /**
   * When the revision under watch was applied: the provisioning timeout counts from here.
   * Undefined: from the Cluster's creationTimestamp.
   */
  readonly appliedAt?: number | Date | undefined;
  /** How long a cluster may stay pending before it is a failure. Default 30 minutes. */
  readonly provisioningTimeoutSeconds?: number | undefined;
  /** Git still declares the cluster (default true): deleting it is then a failure. */
  readonly declared?: boolean | undefined;
  /** Drover could not apply or read this cluster's objects; the reason (rule 1). */
  readonly applyError?: string | undefined;
  /** The rule table; the default is `clusterRules`. */
  readonly rules?: readonly HealthRule[] | undefined;
  /**
   * Provider-side state of infrastructure machines by `Kind/ns/name` (agent/providers, fetched by
   * the orchestrator): a failed device, or one pending past the provisioning timeout, fails its
   * cluster (rule part-failed) naming the device id.
   */
  readonly machineStates?: ReadonlyMap<string, ProviderMachineState> | undefined;
}

/** Health of one cluster from its live CAPI objects: the first matching rule decides. */
export function computeClusterHealth(objects: ClusterObjects, options: HealthOptions): ClusterHealth {
  const view = toClusterView(objects);
  const timeoutMs = (options.provisioningTimeoutSeconds ?? DEFAULT_PROVISIONING_TIMEOUT_SECONDS) * 1000;
  const details = collectDetails(objects, { machineStates: options.machineStates, now: ms(options.now), stuckAfterMs: timeoutMs });
  const input = { view, details, declared: options.declared ?? true, applyError: options.applyError };
  let verdict: Verdict = { state: HealthState.Pending, reason: 'Unknown', summary: 'Waiting for status', timesOut: true };
  let rule = 'default';
  for (const r of options.rules ?? clusterRules) {
    const v = r.evaluate(input);
    if (v) {
      verdict = v;
      rule = r.name;
      break;
    }
  }
  verdict = applyTimeout(verdict, view, options);
  const where = options.env ? `${options.env}/${objects.name}` : objects.name;
  const head = `${where}: ${verdict.summary}${countersText(view)}`;
  const notes = verdict.state === HealthState.Success ? [] : details.notes;
  const message = notes.length ? `${head}; ${notes.join('; ')}` : head;
  return {
    cluster: { namespace: objects.namespace, name: objects.name },
    state: verdict.state,
    reason: verdict.reason,
    description: truncateText(message),
    message,
    rule,
  };
}

/** A pending verdict that may time out becomes a failure once the timeout has passed. */
function applyTimeout(verdict: Verdict, view: ClusterView, options: HealthOptions): Verdict {
  if (verdict.state !== HealthState.Pending || !verdict.timesOut) return verdict;
  const since = options.appliedAt !== undefined ? ms(options.appliedAt) : view.createdAt ? Date.parse(view.createdAt) : undefined;
  if (since === undefined || Number.isNaN(since)) return verdict;
  const timeout = (options.provisioningTimeoutSeconds ?? DEFAULT_PROVISIONING_TIMEOUT_SECONDS) * 1000;
  if (ms(options.now) - since <= timeout) return verdict;
  return { state: HealthState.Failure, reason: 'TimedOut', summary: `Timed out after ${formatDuration(timeout)}: ${verdict.summary}` };
}

/** `, cp 3/3, workers 5/5, v1.33.2` (available/desired), leaving out what is unknown. */
function countersText(view: ClusterView): string {
  const parts: string[] = [];
  const pair = (label: string, c: Counters | undefined): void => {
    if (c?.desired !== undefined) parts.push(`${label} ${c.available ?? 0}/${c.desired}`);
  };
  pair('cp', view.controlPlane);
  pair('workers', view.workers);
  if (view.version) parts.push(view.version);
  return parts.length ? `, ${parts.join(', ')}` : '';
}

/** Health of a whole environment: the worst of its clusters, naming the ones not healthy. */
export interface EnvironmentHealth {
  readonly env: string;
  readonly state: HealthState;
  readonly description: string;
  readonly clusters: readonly ClusterHealth[];
}

export function computeEnvironmentHealth(env: string, clusters: readonly ClusterHealth[]): EnvironmentHealth {
  const state = worstState(clusters.map((c) => c.state));
  if (clusters.length === 0) return { env, state, description: `${env}: no clusters`, clusters };
  const healthy = clusters.filter((c) => c.state === HealthState.Success).length;
  const parts = [`${env}: ${healthy}/${clusters.length} clusters healthy`];
  for (const s of [HealthState.Error, HealthState.Failure, HealthState.Pending]) {
    const names = clusters.filter((c) => c.state === s).map((c) => c.cluster.name);
    if (names.length) parts.push(`${s}: ${names.join(', ')}`);
  }
  return { env, state, description: truncateText(parts.join('; ')), clusters };
}

export function ms(t: number | Date): number {
  return typeof t === 'number' ? t : t.getTime();
}

/** `30m`, `1h`, `1h30m`, `45s`. */
export function formatDuration(millis: number): string {
  const s = Math.round(millis / 1000);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h) return m ? `${h}h${m}m` : `${h}h`;
  return rest ? `${m}m${rest}s` : `${m}m`;
}
