import { applyFailed, deleting, missing, paused, reconciling } from './lifecycle.js';
import { failed, partFailed } from './failed.js';
import { available, progressing } from './available.js';
import { degraded, provisioning, unreachable } from './unavailable.js';
import { legacyError, legacyProvisioning, legacyReady } from './v1beta1.js';
import type { HealthRule } from './rule.js';

/**
 * The ordered rule table: evaluated top-down, the first verdict wins. v1beta2 rules look at
 * `view.conditions` (v1beta2 conditions, or the v1beta1 objects' `status.v1beta2` backport);
 * the v1beta1 rules apply only when there are none. `legacyProvisioning` always answers, so
 * every cluster gets a verdict.
 */
export const clusterRules: readonly HealthRule[] = [
  applyFailed, // 1  error    apply rejected: <reason>
  missing, // 2  error    missing
  deleting, // 3  pending  Deleting (<reason>); failure when Git still declares it
  paused, // 4  pending  Paused / Moving
  reconciling, // 5  pending  observedGeneration < generation
  failed, // 6  failure  v1beta1 failureReason/failureMessage, phase Failed
  available, // 7  success  Available, nothing in flight, counters at desired
  progressing, // 8  pending  Available but rolling out / scaling / remediating
  unreachable, // 9  failure  RemoteConnectionProbe=False after initialization
  partFailed, // 10 failure  errored device or failed Machine, nothing remediating
  degraded, // 11 failure  InternalError / ReconcileFailed
  provisioning, // 12 pending  Available False/Unknown (times out)
  legacyReady, // 13 success  v1beta1 Ready=True, Provisioned (pending while counters lag)
  legacyError, // 14 failure  v1beta1 severity Error
  legacyProvisioning, // 15 pending  anything else (times out)
];
