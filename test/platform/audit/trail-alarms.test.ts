import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { TrailAlarms } from '../../../lib/platform/audit/trail-alarms';

/** The critical events issue 28 names, by the alarm that must report them. */
const EXPECTED: Record<string, { source: string; names: string[]; identity?: string }> = {
  'example-prod-audit-trail-changed': {
    source: 'cloudtrail.amazonaws.com',
    names: ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'],
  },
  'example-prod-backup-vault-protection-changed': {
    source: 'backup.amazonaws.com',
    names: [
      'PutBackupVaultLockConfiguration',
      'DeleteBackupVaultLockConfiguration',
      'DeleteBackupVault',
      'PutBackupVaultAccessPolicy',
      'DeleteBackupVaultAccessPolicy',
    ],
  },
  'example-prod-root-sign-in': { source: 'signin.amazonaws.com', names: ['ConsoleLogin'], identity: 'Root' },
};

function build() {
  const stack = new Stack(new App(), 'Audit', { env: { account: '111111111111', region: 'eu-west-2' } });
  const logGroup = new logs.LogGroup(stack, 'TrailLogs');
  const topic = new sns.Topic(stack, 'Critical');
  new TrailAlarms(stack, 'TrailAlarms', {
    logGroup,
    topic,
    alarmNamePrefix: 'example-prod',
    metricNamespace: 'Example/Audit',
  });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, any>;
  const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);
  return {
    template,
    logGroupId: stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup),
    topicId: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic),
    filters: ofType('AWS::Logs::MetricFilter').map((r) => r.Properties),
    alarms: ofType('AWS::CloudWatch::Alarm').map((r) => r.Properties),
  };
}

/** The filter pattern of the metric the named alarm watches. */
function patternOf(built: ReturnType<typeof build>, alarmName: string): string {
  const alarm = built.alarms.find((a) => a.AlarmName === alarmName);
  expect(alarm).toBeDefined();
  const filter = built.filters.find(
    (f) =>
      f.MetricTransformations[0].MetricName === alarm.MetricName &&
      f.MetricTransformations[0].MetricNamespace === alarm.Namespace,
  );
  expect(filter).toBeDefined();
  return filter.FilterPattern;
}

describe("Alarms on the trail's critical events", () => {
  const built = build();

  it('exist, one per event kind, each with a metric filter on the trail log group', () => {
    expect(built.alarms.map((a) => a.AlarmName).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const filter of built.filters) expect(filter.LogGroupName).toEqual({ Ref: built.logGroupId });
  });

  it.each(Object.entries(EXPECTED))('%s matches its event source and every one of its event names', (name, want) => {
    const pattern = patternOf(built, name);
    expect(pattern).toContain(`($.eventSource = "${want.source}")`);
    for (const eventName of want.names) expect(pattern).toContain(`($.eventName = "${eventName}")`);
    const names = [...pattern.matchAll(/\$\.eventName = "([^"]+)"/g)].map((m) => m[1]);
    expect(names.sort()).toEqual([...want.names].sort());
    if (want.identity) expect(pattern).toContain(`($.userIdentity.type = "${want.identity}")`);
    else expect(pattern).not.toContain('userIdentity');
  });

  it('go into ALARM on the first matching event in 5 minutes, and treat no event as no alarm', () => {
    for (const alarm of built.alarms) {
      expect(alarm).toMatchObject({
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    }
    for (const filter of built.filters) expect(filter.MetricTransformations[0].MetricValue).toBe('1');
  });

  it('notify the topic they are given, and only it', () => {
    for (const alarm of built.alarms) expect(alarm.AlarmActions).toEqual([{ Ref: built.topicId }]);
  });
});
