import { redactUrlCredentials } from '../core/redact-url.js';

/**
 * Commit statuses as Drover means them, before any forge: one state enum, three kinds of
 * context, descriptions cut to the 140 characters GitHub accepts. Pure.
 */
export const CommitState = {
  Pending: 'pending',
  Success: 'success',
  Failure: 'failure',
  Error: 'error',
} as const;
export type CommitState = (typeof CommitState)[keyof typeof CommitState];

export interface CommitStatus {
  readonly state: CommitState;
  /** `drover/<env>`, `drover/<env>/<cluster>` or `drover/plan/<env>`. */
  readonly context: string;
  /** At most 140 characters (see truncateDescription). */
  readonly description: string;
  readonly targetUrl?: string | undefined;
}

/** The most a description may hold: GitHub answers 422 past 140 characters. */
export const MAX_DESCRIPTION = 140;

export const StatusContext = {
  /** The apply result of an environment. */
  apply: (env: string): string => `drover/${env}`,
  /** The health of one cluster of an environment. */
  health: (env: string, cluster: string): string => `drover/${env}/${cluster}`,
  /** The plan of a pull request against an environment. */
  plan: (env: string): string => `drover/plan/${env}`,
} as const;

/** Cuts to `max` characters (code points), ending with "…" when cut. */
export function truncateDescription(text: string, max = MAX_DESCRIPTION): string {
  const flat = redactUrlCredentials(text).replace(/\s*\n\s*/g, ' ');
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

function status(state: CommitState, context: string, description: string, targetUrl?: string): CommitStatus {
  return { state, context, description: truncateDescription(description), ...(targetUrl ? { targetUrl } : {}) };
}

/** Structurally what health/ computes for one cluster (report does not import health). */
export interface HealthInput {
  readonly state: CommitState;
  readonly description: string;
}

/** `drover/<env>/<cluster>` from a cluster's health. */
export function toHealthStatus(env: string, cluster: string, health: HealthInput, targetUrl?: string): CommitStatus {
  return status(health.state, StatusContext.health(env, cluster), health.description, targetUrl);
}

/** How an environment's apply of a revision ended, as the orchestrator knows it. */
export interface ApplyOutcome {
  /** `applied`: written (health follows); `failed`: apply or validation failed; `waiting`: the promotion gate holds it. */
  readonly result: 'applied' | 'failed' | 'waiting' | 'blocked';
  /** Counts per action from the change set: created, configured, unchanged, deleted, skipped. */
  readonly changes?: Readonly<Partial<Record<'created' | 'configured' | 'unchanged' | 'deleted' | 'skipped' | 'unknown', number>>> | undefined;
  /** The error (failed) or what it waits for (waiting, blocked), already worded. */
  readonly message?: string | undefined;
  /**
   * The revision's health once applied (computeRevisionHealth): the apply status stays pending
   * until every touched cluster is healthy at the applied generation.
   */
  readonly health?: HealthInput | undefined;
}

/** `drover/<env>` from the apply outcome and, once applied, the revision's health. */
export function toApplyStatus(env: string, outcome: ApplyOutcome, targetUrl?: string): CommitStatus {
  const context = StatusContext.apply(env);
  switch (outcome.result) {
    case 'failed':
      return status(CommitState.Failure, context, `${env}: apply failed: ${outcome.message ?? 'unknown error'}`, targetUrl);
    case 'waiting':
      return status(CommitState.Pending, context, outcome.message ?? `${env}: waiting`, targetUrl);
    case 'blocked':
      return status(CommitState.Failure, context, outcome.message ?? `${env}: blocked`, targetUrl);
    case 'applied': {
      const changes = formatChanges(outcome.changes);
      if (!outcome.health) return status(CommitState.Pending, context, `${env}: applied ${changes}`, targetUrl);
      const health = outcome.health.description.replace(new RegExp(`^${escapeRegExp(env)}: `), '');
      return status(outcome.health.state, context, `${env}: applied ${changes}; ${health}`, targetUrl);
    }
  }
}

/** `2 created, 3 configured` (zero counts left out; `no changes` when all are zero). */
export function formatChanges(changes: ApplyOutcome['changes']): string {
  const order = ['created', 'configured', 'deleted', 'unknown', 'skipped'] as const;
  const parts = order.filter((k) => (changes?.[k] ?? 0) > 0).map((k) => `${changes![k]} ${k}`);
  return parts.length ? parts.join(', ') : 'no changes';
}

/** What a plan changes, counted: the plan stage fills it in. */
export interface PlanCounts {
  readonly clustersAdded: number;
  readonly clustersDeleted: number;
  readonly poolsResized: number;
  readonly controlPlanesResized?: number | undefined;
  readonly upgrades?: number | undefined;
  readonly templateSwaps?: number | undefined;
  readonly otherChanges?: number | undefined;
  /** Messages of `block` findings; any one fails the plan check. */
  readonly blocked?: readonly string[] | undefined;
}

/**
 * `+1 cluster, 2 pools resized, 0 deleted`, then the other non-zero counts:
 * `, 1 control plane resized, 1 upgrade, 1 template swap, 3 other changes`.
 */
export function formatPlanSummary(p: PlanCounts): string {
  const parts = [`+${p.clustersAdded} ${plural(p.clustersAdded, 'cluster')}`, `${p.poolsResized} ${plural(p.poolsResized, 'pool')} resized`, `${p.clustersDeleted} deleted`];
  const extra: [number | undefined, string, string][] = [
    [p.controlPlanesResized, 'control plane', 'resized'],
    [p.upgrades, 'upgrade', ''],
    [p.templateSwaps, 'template swap', ''],
    [p.otherChanges, 'other change', ''],
  ];
  for (const [n, noun, verb] of extra) if (n) parts.push(`${n} ${plural(n, noun)}${verb ? ` ${verb}` : ''}`);
  return parts.join(', ');
}

/** `drover/plan/<env>`: failure naming the first block finding, else success with the summary. */
export function toPlanStatus(env: string, plan: PlanCounts, targetUrl?: string): CommitStatus {
  const context = StatusContext.plan(env);
  const blocked = plan.blocked ?? [];
  if (blocked.length) {
    const more = blocked.length > 1 ? ` (+${blocked.length - 1} more)` : '';
    return status(CommitState.Failure, context, `blocked: ${blocked[0]}${more}`, targetUrl);
  }
  return status(CommitState.Success, context, formatPlanSummary(plan), targetUrl);
}

/** `drover/plan/<env>` when the plan could not be made (render error, cluster unreachable). */
export function toPlanErrorStatus(env: string, message: string, targetUrl?: string): CommitStatus {
  return status(CommitState.Error, StatusContext.plan(env), `plan failed: ${message}`, targetUrl);
}

/** A status as the forge holds it, in the forge's own words (GitLab says `failed`, `running`). */
export interface PostedStatus {
  readonly context: string;
  readonly forgeState: string;
  readonly description: string;
  readonly targetUrl?: string | undefined;
}

/**
 * True when posting `next` would change nothing the user sees: the forge's latest status for
 * the context has the same state (in the forge's words) and the same description. Forges keep
 * every post (GitHub refuses more than 1000 per context and SHA), so Drover posts only changes.
 */
export function isStatusCurrent(latest: PostedStatus | undefined, next: CommitStatus, forgeState: (s: CommitState) => string): boolean {
  return latest !== undefined && latest.forgeState === forgeState(next.state) && latest.description === truncateDescription(next.description);
}

function plural(n: number, noun: string): string {
  return n === 1 ? noun : `${noun}s`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
