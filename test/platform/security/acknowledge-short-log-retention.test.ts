import { App, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { collectAcknowledgements } from '../../../scripts/collect-acknowledgements';
import {
  acknowledgeShortLogRetention,
  ONE_YEAR_IN_DAYS,
} from '../../../lib/platform/security/acknowledge-short-log-retention';

const acknowledgedAfter = (days: number) => {
  const stack = new Stack(new App(), 'Logs');
  const group = new logs.LogGroup(stack, 'Group', { retention: days as logs.RetentionDays });
  acknowledgeShortLogRetention(group, days);
  return collectAcknowledgements(stack).map((a) => a.id);
};

describe('acknowledgeShortLogRetention', () => {
  it('acknowledges the one-year retention control on a log group that keeps events for less than a year', () => {
    expect(acknowledgedAfter(14)).toEqual(['cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check']);
  });

  it('acknowledges nothing when the log group keeps events for a year or more, so no acknowledgement goes stale', () => {
    expect(acknowledgedAfter(ONE_YEAR_IN_DAYS)).toEqual([]);
    expect(acknowledgedAfter(731)).toEqual([]);
  });
});
