import type { ClusterDetails } from '../details.js';
import type { ClusterView } from '../cluster-view.js';
import type { HealthState } from '../health-state.js';

/** What a rule sees: the normalized cluster, its parts' details and what Git says. */
export interface RuleInput {
  readonly view: ClusterView;
  readonly details: ClusterDetails;
  /** Git still declares this cluster (deleting it then is a failure, not progress). */
  readonly declared: boolean;
  /** Drover could not apply or read this cluster's objects; the reason. */
  readonly applyError?: string | undefined;
}

export interface Verdict {
  readonly state: HealthState;
  /** One stable word for logs and metrics. */
  readonly reason: string;
  /** The description's opening after `env/cluster: `, e.g. `Provisioning (ControlPlaneAvailable)`. */
  readonly summary: string;
  /** A pending verdict that turns into failure once the provisioning timeout has passed. */
  readonly timesOut?: boolean;
}

/** One row of the ordered rule table: the first rule that returns a verdict decides. */
export interface HealthRule {
  readonly name: string;
  evaluate(input: RuleInput): Verdict | undefined;
}
