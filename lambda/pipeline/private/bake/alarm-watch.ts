import type { AlarmHistoryItem, CloudWatchClient, DescribeAlarmHistoryCommandOutput } from '@aws-sdk/client-cloudwatch';
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { CallOptions } from '../aws-call';
import { callAws, CheckFailure } from '../aws-call';

/** One state change of the alarm inside the bake window, from its history. */
export interface AlarmTransition {
  readonly at: Date;
  /** State before the change (`OK`, `ALARM`, `INSUFFICIENT_DATA`); undefined when the item could not be read. */
  readonly from?: string;
  /** State after the change; undefined when the item could not be read. */
  readonly to?: string;
  /** CloudWatch's reason for the new state. */
  readonly reason?: string;
  /** CloudWatch's one-line summary (`Alarm updated from OK to ALARM`). */
  readonly summary: string;
}

/** What one look at the alarm found: its state now and every state change since the bake started. */
export interface AlarmObservation {
  readonly alarmName: string;
  readonly region: string;
  /** The alarm's state now; undefined when CloudWatch returned no alarm of that name (its history is then not read). */
  readonly state?: string;
  readonly stateReason?: string;
  readonly stateSince?: Date;
  /** StateUpdate items from the bake's start to the time of this look, oldest first. */
  readonly transitions: readonly AlarmTransition[];
}

/** Pages of alarm history (100 items each) read before the reading counts as unfinished. */
export const MAX_HISTORY_PAGES = 10;

const FROM_TO = /from (\w+) to (\w+)/;

/** The parts of a StateUpdate item's HistoryData that are read; any of them may be missing. */
interface HistoryData {
  readonly oldState?: { readonly stateValue?: unknown };
  readonly newState?: { readonly stateValue?: unknown; readonly stateReason?: unknown };
}

/**
 * Reads one StateUpdate item. Its HistoryData is JSON of the form
 * `{"version":"1.0","oldState":{"stateValue":"OK",...},"newState":{"stateValue":"ALARM","stateReason":"...",...}}`;
 * when it cannot be parsed, the states come from the summary (`Alarm updated from OK to ALARM`), and
 * when neither names them they stay undefined (the caller then cannot prove anything about that change).
 */
export function readTransition(item: AlarmHistoryItem): AlarmTransition {
  const summary = item.HistorySummary ?? '';
  const at = item.Timestamp ?? new Date(0);
  const data = historyData(item.HistoryData);
  const from = data?.oldState?.stateValue;
  const newState = data?.newState;
  if (typeof from === 'string' && typeof newState?.stateValue === 'string') {
    const reason = newState.stateReason;
    return { at, from, to: newState.stateValue, summary, ...(typeof reason === 'string' ? { reason } : {}) };
  }
  const match = FROM_TO.exec(summary);
  return match ? { at, from: match[1], to: match[2], summary } : { at, summary };
}

/** A history item's HistoryData as parsed JSON; undefined when it is not JSON. */
function historyData(text: string | undefined): HistoryData | null | undefined {
  try {
    return JSON.parse(text ?? '') as HistoryData | null;
  } catch {
    return undefined;
  }
}

/**
 * Looks at the alarm once: DescribeAlarms for its state now, DescribeAlarmHistory (StateUpdate, from
 * `since` to `until`, oldest first) for every change in between. Both ask for composite alarms too:
 * without `AlarmTypes` CloudWatch returns metric alarms only, and it returns composite alarms only to a
 * caller whose cloudwatch:DescribeAlarms and DescribeAlarmHistory are granted on `*`
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html).
 *
 * @throws CheckFailure when a call fails (denied, throttled past its retries) or the history runs past
 *   {@link MAX_HISTORY_PAGES}: what was not read is not proved.
 */
export async function observeAlarm(
  cloudWatch: CloudWatchClient,
  where: { readonly alarmName: string; readonly region: string },
  since: Date,
  until: Date,
  options?: CallOptions,
): Promise<AlarmObservation> {
  const { alarmName, region } = where;
  const described = await callAws(
    `DescribeAlarms ${alarmName}`,
    (abortSignal) =>
      cloudWatch.send(
        new DescribeAlarmsCommand({ AlarmNames: [alarmName], AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] }),
        // Stryker disable next-line ObjectLiteral: the signal only aborts an attempt callAws has already given up on (timed out); the call's result is the same without it
        { abortSignal },
      ),
    options,
  );
  const alarm = [...(described.CompositeAlarms ?? []), ...(described.MetricAlarms ?? [])][0];
  if (!alarm) return { alarmName, region, transitions: [] };
  const items: AlarmHistoryItem[] = [];
  let nextToken: string | undefined;
  for (let page = 1; ; page++) {
    const out: DescribeAlarmHistoryCommandOutput = await callAws(
      `DescribeAlarmHistory ${alarmName} (page ${page})`,
      (abortSignal) =>
        cloudWatch.send(
          new DescribeAlarmHistoryCommand({
            AlarmName: alarmName,
            AlarmTypes: ['CompositeAlarm', 'MetricAlarm'],
            HistoryItemType: 'StateUpdate',
            StartDate: since,
            EndDate: until,
            ScanBy: 'TimestampAscending',
            MaxRecords: 100,
            NextToken: nextToken,
          }),
          // Stryker disable next-line ObjectLiteral: the signal only aborts an attempt callAws has already given up on (timed out); the call's result is the same without it
          { abortSignal },
        ),
      options,
    );
    items.push(...(out.AlarmHistoryItems ?? []));
    nextToken = out.NextToken;
    if (!nextToken) break;
    if (page >= MAX_HISTORY_PAGES)
      throw new CheckFailure(
        `could not finish reading the history of ${alarmName}: more than ${MAX_HISTORY_PAGES} pages of state changes since ${since.toISOString()}`,
      );
  }
  const transitions = items
    .filter((i) => i.HistoryItemType === undefined || i.HistoryItemType === 'StateUpdate')
    .map(readTransition)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    alarmName,
    region,
    state: alarm.StateValue,
    stateReason: alarm.StateReason,
    stateSince: alarm.StateUpdatedTimestamp,
    transitions,
  };
}
