/** Why a reconcile of one environment stopped; names the stage that failed. */
export const FailureReason = {
  SourceFailed: 'SourceFailed',
  FleetInvalid: 'FleetInvalid',
  RenderFailed: 'RenderFailed',
  PlanFailed: 'PlanFailed',
  ApplyFailed: 'ApplyFailed',
  PruneFailed: 'PruneFailed',
  HealthCheckFailed: 'HealthCheckFailed',
  ReportFailed: 'ReportFailed',
} as const;
export type FailureReason = (typeof FailureReason)[keyof typeof FailureReason];
