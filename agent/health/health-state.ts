/**
 * The health of one cluster (or one environment, or one revision) as a commit status would tell
 * it. The values are the forge-neutral commit states, so report/ maps them one to one.
 */
export const HealthState = {
  /** Still converging: provisioning, rolling out, reconciling, paused, deleting. */
  Pending: 'pending',
  /** Available at the applied generation, nothing rolling out. */
  Success: 'success',
  /** CAPI says it failed, or it stayed pending past the provisioning timeout. */
  Failure: 'failure',
  /** Drover could not tell: the object is missing, or could not be applied or read. */
  Error: 'error',
} as const;
export type HealthState = (typeof HealthState)[keyof typeof HealthState];

/** What a status says about one cluster. `description` is at most 140 characters. */
export interface ClusterHealth {
  readonly cluster: { readonly namespace: string; readonly name: string };
  readonly state: HealthState;
  /** One word, stable across versions, for logs and metrics: `Available`, `Provisioning`, `TimedOut`… */
  readonly reason: string;
  /** `prod/eu-1: Available, cp 3/3, workers 5/5, v1.33.2`, cut to 140 characters with "…". */
  readonly description: string;
  /** The same text uncut, with every detail the rules found (for logs and the CLI). */
  readonly message: string;
  /** Name of the rule that decided, from the ordered rule table. */
  readonly rule: string;
}

/** Order of badness: error > failure > pending > success. */
const rank: Record<HealthState, number> = { success: 0, pending: 1, failure: 2, error: 3 };

/** The worst of several states; success when there are none. */
export function worstState(states: Iterable<HealthState>): HealthState {
  let worst: HealthState = HealthState.Success;
  for (const s of states) if (rank[s] > rank[worst]) worst = s;
  return worst;
}

export const MAX_DESCRIPTION = 140;

/** Cuts text to `max` characters, ending with "…" when it had to cut. */
export function truncateText(text: string, max = MAX_DESCRIPTION): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
