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

  it('reads states with an underscore (INSUFFICIENT_DATA) from the summary', () => {
    expect(readTransition({ Timestamp: SINCE, HistorySummary: 'Alarm updated from INSUFFICIENT_DATA to OK' })).toEqual({
      at: SINCE,
      from: 'INSUFFICIENT_DATA',
      to: 'OK',
      summary: 'Alarm updated from INSUFFICIENT_DATA to OK',
    });
  });

  it.each(['null', '5', '"text"', '[]'])('falls back to the summary when HistoryData is the JSON %s', (data) => {
    expect(
      readTransition({ Timestamp: SINCE, HistorySummary: 'Alarm updated from OK to ALARM', HistoryData: data }),
    ).toEqual({ at: SINCE, from: 'OK', to: 'ALARM', summary: 'Alarm updated from OK to ALARM' });
  });

  it('falls back to the summary when HistoryData names only one of the two states', () => {
    expect(
      readTransition({
        Timestamp: SINCE,
        HistorySummary: 'Alarm updated from ALARM to OK',
        HistoryData: '{"version":"1.0","newState":{"stateValue":"OK","stateReason":"why"}}',
      }),
    ).toEqual({ at: SINCE, from: 'ALARM', to: 'OK', summary: 'Alarm updated from ALARM to OK' });
  });

  it('falls back to the summary when HistoryData names the old state only', () => {
    expect(
      readTransition({
        Timestamp: SINCE,
        HistorySummary: 'Alarm updated from OK to ALARM',
        HistoryData: '{"version":"1.0","oldState":{"stateValue":"OK"}}',
      }),
    ).toEqual({ at: SINCE, from: 'OK', to: 'ALARM', summary: 'Alarm updated from OK to ALARM' });
  });

  it('leaves out a reason that is not text', () => {
    expect(
      readTransition({
        Timestamp: SINCE,
        HistoryData: '{"oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM","stateReason":{"a":1}}}',
      }),
    ).toEqual({ at: SINCE, from: 'OK', to: 'ALARM', summary: '' });
  });

  it('places an item without a time at the epoch and without a summary as empty text', () => {
    expect(readTransition({})).toEqual({ at: new Date(0), summary: '' });
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

  it('asks CloudWatch for the composite or metric alarm by name, and its StateUpdate history of the window', async () => {
    cloudWatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
    await observeAlarm(new CloudWatchClient({ region: 'eu-west-2' }), WHERE, SINCE, UNTIL, OPTIONS);
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input)).toEqual([
      { AlarmNames: [ALARM], AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] },
    ]);
    expect(cloudWatch.commandCalls(DescribeAlarmHistoryCommand).map((c) => c.args[0].input)).toEqual([
      {
        AlarmName: ALARM,
        AlarmTypes: ['CompositeAlarm', 'MetricAlarm'],
        HistoryItemType: 'StateUpdate',
        StartDate: SINCE,
        EndDate: UNTIL,
        ScanBy: 'TimestampAscending',
        MaxRecords: 100,
        NextToken: undefined,
      },
    ]);
  });

  it('passes the token of one page to ask for the next', async () => {
    cloudWatch
      .on(DescribeAlarmHistoryCommand)
      .callsFake((input: { NextToken?: string }) =>
        input.NextToken ? { AlarmHistoryItems: [] } : { AlarmHistoryItems: [], NextToken: 'page-2' },
      );
    await observeAlarm(new CloudWatchClient({ region: 'eu-west-2' }), WHERE, SINCE, UNTIL, OPTIONS);
    const tokens = cloudWatch.commandCalls(DescribeAlarmHistoryCommand).map((c) => c.args[0].input.NextToken);
    expect(tokens).toEqual([undefined, 'page-2']);
  });

  it('returns the state, its reason and since when, with the StateUpdate items only, sorted by time', async () => {
    const since = new Date('2026-06-01T11:00:00Z');
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        { AlarmName: ALARM, StateValue: 'OK', StateReason: 'Threshold not crossed', StateUpdatedTimestamp: since },
      ],
    });
    const item = (minute: number, summary: string, type?: 'StateUpdate' | 'ConfigurationUpdate') => ({
      Timestamp: new Date(SINCE.getTime() + minute * 60_000),
      HistorySummary: summary,
      ...(type ? { HistoryItemType: type } : {}),
    });
    cloudWatch.on(DescribeAlarmHistoryCommand).resolves({
      AlarmHistoryItems: [
        item(5, 'Alarm updated from ALARM to OK', 'StateUpdate'),
        item(3, 'Alarm "x" updated', 'ConfigurationUpdate'),
        item(1, 'Alarm updated from OK to ALARM'),
      ],
    });
    const seen = await observeAlarm(new CloudWatchClient({ region: 'eu-west-2' }), WHERE, SINCE, UNTIL, OPTIONS);
    expect(seen).toEqual({
      alarmName: ALARM,
      region: 'eu-west-2',
      state: 'OK',
      stateReason: 'Threshold not crossed',
      stateSince: since,
      transitions: [
        { at: new Date('2026-06-01T12:01:00Z'), from: 'OK', to: 'ALARM', summary: 'Alarm updated from OK to ALARM' },
        { at: new Date('2026-06-01T12:05:00Z'), from: 'ALARM', to: 'OK', summary: 'Alarm updated from ALARM to OK' },
      ],
    });
  });

  it(`reads a history of exactly ${MAX_HISTORY_PAGES} pages to its end`, async () => {
    cloudWatch.on(DescribeAlarmHistoryCommand).callsFake((input: { NextToken?: string }) => {
      const page = Number(input.NextToken ?? '1');
      return { AlarmHistoryItems: [], ...(page < MAX_HISTORY_PAGES ? { NextToken: String(page + 1) } : {}) };
    });
    const seen = await observeAlarm(new CloudWatchClient({ region: 'eu-west-2' }), WHERE, SINCE, UNTIL, OPTIONS);
    expect(seen.state).toBe('OK');
    expect(cloudWatch.commandCalls(DescribeAlarmHistoryCommand)).toHaveLength(MAX_HISTORY_PAGES);
  });

  it('fails, naming the call, when the check role may not describe the alarm', async () => {
    cloudWatch.on(DescribeAlarmsCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: cloudwatch:DescribeAlarms'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    await expect(
      observeAlarm(new CloudWatchClient({ region: 'eu-west-2' }), WHERE, SINCE, UNTIL, OPTIONS),
    ).rejects.toThrow(`DescribeAlarms ${ALARM} failed: access denied`);
  });

  it('reads no history when CloudWatch answers with no alarm list at all', async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves({});
    const seen = await observeAlarm(new CloudWatchClient({ region: 'eu-west-2' }), WHERE, SINCE, UNTIL, OPTIONS);
    expect(seen).toEqual({ alarmName: ALARM, region: 'eu-west-2', transitions: [] });
    expect(cloudWatch.commandCalls(DescribeAlarmHistoryCommand)).toHaveLength(0);
  });

  it('reads a history page without items as no change', async () => {
    cloudWatch.on(DescribeAlarmHistoryCommand).resolves({});
    const seen = await observeAlarm(new CloudWatchClient({ region: 'eu-west-2' }), WHERE, SINCE, UNTIL, OPTIONS);
    expect(seen.transitions).toEqual([]);
  });

  it('fails rather than judging a partial history when it runs past the page limit', async () => {
    cloudWatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [], NextToken: 'more' });
    await expect(
      observeAlarm(new CloudWatchClient({ region: 'eu-west-2' }), WHERE, SINCE, UNTIL, OPTIONS),
    ).rejects.toThrow(
      `could not finish reading the history of ${ALARM}: more than ${MAX_HISTORY_PAGES} pages of state changes since 2026-06-01T12:00:00.000Z`,
    );
    expect(cloudWatch.commandCalls(DescribeAlarmHistoryCommand)).toHaveLength(MAX_HISTORY_PAGES);
  });

  it('reads no history of an alarm that does not exist, and says it has no state', async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
    const seen = await observeAlarm(new CloudWatchClient({ region: 'eu-west-2' }), WHERE, SINCE, UNTIL, OPTIONS);
    expect(seen).toEqual({ alarmName: ALARM, region: 'eu-west-2', transitions: [] });
    expect(cloudWatch.commandCalls(DescribeAlarmHistoryCommand)).toHaveLength(0);
  });
});
