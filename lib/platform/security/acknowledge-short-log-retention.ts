import type { IConstruct } from 'constructs';
import { acknowledge, CFN_GUARD_NAMESPACE } from '../../compliance/acknowledge';

/** Retention the Control Tower control CT.CLOUDWATCH.PR.2 asks for. */
export const ONE_YEAR_IN_DAYS = 365;

/**
 * Acknowledges CT.CLOUDWATCH.PR.2 (retain logs for a year) on `logGroup` when the stage keeps its
 * logs for less: retention is the stage's `logRetentionDays` setting, and only prod (365 days by
 * default) holds production data. Does nothing for a year or more, so no acknowledgement goes stale.
 */
export function acknowledgeShortLogRetention(logGroup: IConstruct, logRetentionDays: number): void {
  if (logRetentionDays >= ONE_YEAR_IN_DAYS) return;
  acknowledge(logGroup, [
    {
      id: `${CFN_GUARD_NAMESPACE}::cloudwatch_log_group_retention_period_check`,
      reason: `This stage keeps logs ${logRetentionDays} days by its logRetentionDays setting: a non-production stage with test data only; the stage holding production data keeps logs for at least a year.`,
    },
  ]);
}
