import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { stageAlarms } from '../../../../lambda/pipeline/private/stage-alarms';
import { StageOutputs } from '../../../../lambda/pipeline/private/stage-stacks';
import { CRITICAL_TOPIC_ARN, WARNING_TOPIC_ARN } from '../../../../support/check-fixtures';
import { testContext } from '../../../support/check-test-context';

const UNHEALTHY = 'uk-home-improvement-staging-stage-unhealthy';
const cw = mockClient(CloudWatchClient);
const outputs = new StageOutputs([
  {
    name: 'Staging-Service',
    status: 'UPDATE_COMPLETE',
    outputs: { StageUnhealthyAlarmName: UNHEALTHY, CriticalAlertsTopicArn: CRITICAL_TOPIC_ARN },
  },
]);
const critical = (name: string) => ({ AlarmName: name, AlarmActions: [WARNING_TOPIC_ARN, CRITICAL_TOPIC_ARN] });

/** CloudWatch as it answers for a stage: the composite in `state`, and these alarms by state. */
function alarms(state: string | undefined, byState: Record<string, object[]> = {}, composite = true) {
  cw.reset();
  cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
  for (const [value, list] of Object.entries(byState))
    cw.on(DescribeAlarmsCommand, { StateValue: value as never }).resolves({ MetricAlarms: list });
  cw.on(DescribeAlarmsCommand, { AlarmNames: [UNHEALTHY] }).resolves({
    CompositeAlarms: composite ? [{ AlarmName: UNHEALTHY, StateValue: state as never }] : [],
    MetricAlarms: [],
  });
}

afterAll(() => cw.restore());

describe("The stage's alarms", () => {
  it('pass when the composite is OK and nothing is in ALARM, reading metric and composite alarms of each state', async () => {
    alarms('OK');
    await expect(stageAlarms(testContext(), outputs)).resolves.toEqual([
      { name: 'alarms', status: 'pass', detail: `${UNHEALTHY} is OK and no critical alarm is in ALARM` },
    ]);
    for (const StateValue of ['ALARM', 'INSUFFICIENT_DATA'] as const)
      expect(cw).toHaveReceivedCommandWith(DescribeAlarmsCommand, {
        StateValue,
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      });
    expect(cw).toHaveReceivedCommandWith(DescribeAlarmsCommand, {
      AlarmNames: [UNHEALTHY],
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    });
  });

  it('fail on the composite in ALARM even when the ALARM listing does not show it yet, naming it once', async () => {
    alarms('ALARM');
    expect(await stageAlarms(testContext(), outputs)).toEqual([
      { name: 'alarms', status: 'fail', detail: `critical alarms in ALARM: ${UNHEALTHY}` },
    ]);
    alarms('ALARM', { ALARM: [{ AlarmName: UNHEALTHY }, critical('api-5xx')] });
    expect(await stageAlarms(testContext(), outputs)).toEqual([
      { name: 'alarms', status: 'fail', detail: `critical alarms in ALARM: ${UNHEALTHY}, api-5xx` },
    ]);
  });

  it('fail on a composite in no state at all, or one found only as a metric alarm in ALARM', async () => {
    alarms(undefined);
    expect(await stageAlarms(testContext(), outputs)).toEqual([
      { name: 'alarms', status: 'fail', detail: `${UNHEALTHY} is in no state, expected OK` },
    ]);
    cw.on(DescribeAlarmsCommand, { AlarmNames: [UNHEALTHY] }).resolves({
      MetricAlarms: [{ AlarmName: UNHEALTHY, StateValue: 'ALARM' }],
    });
    expect(await stageAlarms(testContext(), outputs)).toEqual([
      { name: 'alarms', status: 'fail', detail: `critical alarms in ALARM: ${UNHEALTHY}` },
    ]);
  });

  it('fail when the composite does not exist, naming its region', async () => {
    alarms('OK', {}, false);
    const [outcome] = await stageAlarms(testContext({ params: { region: 'eu-central-1' } }), outputs);
    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toMatch(new RegExp(`^stage alarm ${UNHEALTHY} does not exist in eu-central-1 `));
  });

  it('fail as the alarms outcome when the answer for the stage alarm leaves out the metric alarm list', async () => {
    alarms('OK');
    cw.on(DescribeAlarmsCommand, { AlarmNames: [UNHEALTHY] }).resolves({ CompositeAlarms: [] });
    expect(await stageAlarms(testContext(), outputs)).toEqual([
      { name: 'alarms', status: 'fail', detail: expect.stringMatching(`^stage alarm ${UNHEALTHY} does not exist in `) },
    ]);
  });

  it('fail, naming the stage alarm in the call, when the stage alarm cannot be read', async () => {
    alarms('OK');
    cw.on(DescribeAlarmsCommand, { AlarmNames: [UNHEALTHY] }).rejects(
      Object.assign(new Error('User is not authorized to perform cloudwatch:DescribeAlarms'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    await expect(stageAlarms(testContext(), outputs)).rejects.toThrow(
      new RegExp(`^DescribeAlarms ${UNHEALTHY} failed: access denied`),
    );
  });

  it('fail on a critical composite alarm in ALARM, from a page that lists composite alarms only', async () => {
    alarms('OK');
    cw.on(DescribeAlarmsCommand, { StateValue: 'ALARM' }).resolves({ CompositeAlarms: [critical('api-down')] });
    expect(await stageAlarms(testContext(), outputs)).toEqual([
      { name: 'alarms', status: 'fail', detail: 'critical alarms in ALARM: api-down' },
    ]);
  });

  it('list five critical alarms and count the rest', async () => {
    const names = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
    alarms('OK', { ALARM: names.map(critical) });
    expect(await stageAlarms(testContext(), outputs)).toEqual([
      { name: 'alarms', status: 'fail', detail: 'critical alarms in ALARM: a1, a2, a3, a4, a5 and 2 more' },
    ]);
    alarms('OK', { ALARM: names.slice(0, 5).map(critical) });
    expect((await stageAlarms(testContext(), outputs))[0].detail).toBe('critical alarms in ALARM: a1, a2, a3, a4, a5');
  });

  it('warn, without failing, about critical alarms without data and about other alarms in ALARM', async () => {
    alarms('OK', {
      ALARM: [{ AlarmName: 'api-latency-p99', AlarmActions: [WARNING_TOPIC_ARN] }, {}],
      INSUFFICIENT_DATA: [critical('api-5xx'), { AlarmName: UNHEALTHY }, { AlarmName: 'foreign-no-data' }],
    });
    expect(await stageAlarms(testContext(), outputs)).toEqual([
      { name: 'alarms', status: 'pass', detail: `${UNHEALTHY} is OK and no critical alarm is in ALARM` },
      {
        name: 'alarms without data',
        status: 'warn',
        detail: 'critical alarms in INSUFFICIENT_DATA (no data yet), not proving the stage healthy: api-5xx',
      },
      {
        name: 'warning alarms',
        status: 'warn',
        detail: 'in ALARM but not critical (not failing the check): api-latency-p99, ?',
      },
    ]);
  });

  it('read every page, passing on the token, before deciding', async () => {
    alarms('OK');
    cw.on(DescribeAlarmsCommand, { StateValue: 'ALARM' }).callsFake((input: { NextToken?: string }) =>
      input.NextToken === 'page-2'
        ? { MetricAlarms: [critical('on-page-2')] }
        : { MetricAlarms: [{ AlarmName: 'foreign' }], NextToken: 'page-2' },
    );
    expect((await stageAlarms(testContext(), outputs))[0]).toEqual({
      name: 'alarms',
      status: 'fail',
      detail: 'critical alarms in ALARM: on-page-2',
    });
  });

  it('fail with the first page’s own error when no page can be read', async () => {
    alarms('OK');
    cw.on(DescribeAlarmsCommand, { StateValue: 'ALARM' }).rejects(
      Object.assign(new Error('User is not authorized to perform cloudwatch:DescribeAlarms'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    await expect(stageAlarms(testContext(), outputs)).rejects.toThrow(
      /^DescribeAlarms \(ALARM, page 1\) failed: access denied \(AccessDenied: User is not authorized/,
    );
  });
});
