import { HealthState, truncateText } from './health-state.js';

/** What Drover last knows of an upstream environment: the revision it applied and its health there. */
export interface UpstreamHealth {
  /** Formatted revision (`main@sha1:…`) the environment last applied; undefined if none. */
  readonly revision?: string | undefined;
  readonly state: HealthState;
}

export interface PromotionDecision {
  /** Apply now: every upstream environment is healthy at this very revision. */
  readonly proceed: boolean;
  /** The state for this environment's `drover/<env>` status while it does not proceed. */
  readonly state: HealthState;
  /** `waiting for staging (pending at main@sha1:1a2b3c4)`; empty when it proceeds. */
  readonly description: string;
  readonly waitingFor: readonly { readonly env: string; readonly why: string }[];
}

/**
 * The promotion gate for an environment with `after: [...]`: it is applied only when each of
 * those environments is healthy at the same revision. Until then it waits (pending); when an
 * upstream environment failed at this revision it is blocked (failure) until a new revision.
 */
export function decidePromotion(input: {
  readonly env: string;
  readonly after: readonly string[];
  readonly revision: string;
  readonly upstream: ReadonlyMap<string, UpstreamHealth>;
}): PromotionDecision {
  const waitingFor: { env: string; why: string }[] = [];
  let blocked = false;
  for (const up of input.after) {
    const h = input.upstream.get(up);
    if (!h?.revision) waitingFor.push({ env: up, why: 'nothing applied yet' });
    else if (h.revision !== input.revision) waitingFor.push({ env: up, why: `at ${shortRevision(h.revision)}` });
    else if (h.state !== HealthState.Success) {
      waitingFor.push({ env: up, why: `${h.state} at ${shortRevision(h.revision)}` });
      if (h.state === HealthState.Failure || h.state === HealthState.Error) blocked = true;
    }
  }
  if (waitingFor.length === 0) return { proceed: true, state: HealthState.Pending, description: '', waitingFor };
  const list = waitingFor.map((w) => `${w.env} (${w.why})`).join(', ');
  return {
    proceed: false,
    state: blocked ? HealthState.Failure : HealthState.Pending,
    description: truncateText(`${input.env}: ${blocked ? 'blocked by' : 'waiting for'} ${list}`),
    waitingFor,
  };
}

/** `main@sha1:1a2b3c4` from `main@sha1:<40 hex>`. */
export function shortRevision(revision: string): string {
  return revision.replace(/@sha1:([0-9a-f]{7})[0-9a-f]{33}$/, '@sha1:$1');
}
