import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import {
  MAX_HISTORY_PAGES,
  observeAlarm,
  readTransition,
} from '../../../../../lambda/pipeline/private/bake/alarm-watch';

const cloudWatch = mockClient(CloudWatchClient);
const ALARM = 'uk-home-improvement-prod-stage-unhealthy';
const WHERE = { alarmName: ALARM, region: 'eu-west-2' };
const SINCE = new Date('2026-06-01T12:00:00Z');
const UNTIL = new Date('2026-06-01T12:10:00Z');
const OPTIONS = { sleep: async () => undefined, timeoutMs: 500, attempts: 2 };

beforeEach(() => {
  cloudWatch.reset();
  cloudWatch
    .on(DescribeAlarmsCommand)
    .resolves({ CompositeAlarms: [{ AlarmName: ALARM, StateValue: 'OK', StateReason: 'rule FALSE' }] });
});

describe('Reading a state change of the alarm', () => {
  it('reads the states and the reason from HistoryData', () => {
    expect(
      readTransition({
        Timestamp: SINCE,
        HistorySummary: 'Alarm updated from OK to ALARM',
        HistoryData:
          '{"version":"1.0","oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM","stateReason":"why"}}',
      }),
    ).toEqual({ at: SINCE, from: 'OK', to: 'ALARM', reason: 'why', summary: 'Alarm updated from OK to ALARM' });
  });

  it('falls back to the summary when HistoryData is not the JSON it expects', () => {
    expect(
      readTransition({ Timestamp: SINCE, HistorySummary: 'Alarm updated from ALARM to OK', HistoryData: 'x' }),
    ).toEqual({ at: SINCE, from: 'ALARM', to: 'OK', summary: 'Alarm updated from ALARM to OK' });
  });

  it('leaves the states unknown when neither names them', () => {
    expect(readTransition({ Timestamp: SINCE, HistorySummary: 'Alarm updated' })).toEqual({
      at: SINCE,
      summary: 'Alarm updated',
    });
  });
});

describe('One look at the alarm', () => {
  it('reads every page of the history, oldest first', async () => {
    const item = (minute: number, from: string, to: string) => ({
      Timestamp: new Date(SINCE.getTime() + minute * 60_000),
      HistoryItemType: 'StateUpdate' as const,
      HistorySummary: `Alarm updated from ${from} to ${to}`,
    });
    cloudWatch
      .on(DescribeAlarmHistoryCommand)
      .callsFake((input: { NextToken?: string }) =>
        input.NextToken
          ? { AlarmHistoryItems: [item(6, 'ALARM', 'OK')] }
          : { AlarmHistoryItems: [item(2, 'OK', 'ALARM')], NextToken: 'p2' },
      );
    const seen = await observeAlarm(new CloudWatchClient({ region: 'eu-west-2' }), WHERE, SINCE, UNTIL, OPTIONS);
    expect(seen.state).toBe('OK');
    expect(seen.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['OK->ALARM', 'ALARM->OK']);
  });

  it('fails rather than judging a partial history when it runs past the page limit', async () => {
    cloudWatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [], NextToken: 'more' });
    await expect(
      observeAlarm(new CloudWatchClient({ region: 'eu-west-2' }), WHERE, SINCE, UNTIL, OPTIONS),
    ).rejects.toThrow(`more than ${MAX_HISTORY_PAGES} pages of state changes since 2026-06-01T12:00:00.000Z`);
  });

  it('reads no history of an alarm that does not exist, and says it has no state', async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
    const seen = await observeAlarm(new CloudWatchClient({ region: 'eu-west-2' }), WHERE, SINCE, UNTIL, OPTIONS);
    expect(seen).toEqual({ alarmName: ALARM, region: 'eu-west-2', transitions: [] });
    expect(cloudWatch.commandCalls(DescribeAlarmHistoryCommand)).toHaveLength(0);
  });
});
