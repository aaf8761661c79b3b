/**
 * Why a reconcile of one environment stopped, named after the stage that failed. The Fleet's
 * `Ready`/`Stalled` condition reasons are these, plus the ones in ConditionReason.
 */
export const FailureReason = {
  SourceFailed: 'SourceFailed',
  FleetInvalid: 'FleetInvalid',
  RenderFailed: 'RenderFailed',
  PlanFailed: 'PlanFailed',
  ApplyFailed: 'ApplyFailed',
  PruneFailed: 'PruneFailed',
  HealthFailed: 'HealthFailed',
  ReportFailed: 'ReportFailed',
} as const;
export type FailureReason = (typeof FailureReason)[keyof typeof FailureReason];

/** Reasons that are not failures: the environment holds on purpose, or is done. */
export const HoldReason = {
  /** A safety finding blocked the plan: nothing was written. */
  PlanBlocked: 'PlanBlocked',
  /** The promotion gate waits for an upstream environment to be healthy at this revision. */
  WaitingForPromotion: 'WaitingForPromotion',
  /** Outside every apply window: planned, nothing written. */
  OutsideApplyWindow: 'OutsideApplyWindow',
} as const;
export type HoldReason = (typeof HoldReason)[keyof typeof HoldReason];
