import {
  CompositeAlarm,
  DescribeAlarmsCommand,
  DescribeAlarmsCommandOutput,
  MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { OUTPUTS } from '../../../contracts/output-names';
import { CheckOutcome } from './check-result';
import { call, CheckContext, fail, pass, warn } from './check-context';
import { StageOutputs } from './stage-stacks';

/** At most this many alarm names are listed in one outcome. */
const LISTED = 5;

const list = (names: readonly string[]) =>
  `${names.slice(0, LISTED).join(', ')}${names.length > LISTED ? ` and ${names.length - LISTED} more` : ''}`;

/**
 * Alarms of the stage account in ALARM, split by severity. Critical: the stage-unhealthy composite alarm
 * and every alarm whose alarm actions notify the stage's critical topic (output `CriticalAlertsTopicArn`),
 * which is how the platform's monitoring routes its critical alarms. Any other alarm in ALARM (warning
 * level, or not the platform's) is listed as a warning and does not fail the check.
 */
export async function stageAlarms(ctx: CheckContext, outputs: StageOutputs): Promise<CheckOutcome[]> {
  const unhealthy = outputs.require(OUTPUTS.stageUnhealthyAlarmName);
  const criticalTopic = outputs.require(OUTPUTS.criticalAlertsTopicArn);
  const inAlarm: (MetricAlarm | CompositeAlarm)[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page: DescribeAlarmsCommandOutput = await call(ctx, 'DescribeAlarms', (abortSignal) =>
      ctx.clients.cloudWatch.send(
        new DescribeAlarmsCommand({
          StateValue: 'ALARM',
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
          NextToken: nextToken,
        }),
        { abortSignal },
      ),
    );
    inAlarm.push(...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? []));
    nextToken = page.NextToken;
  } while (nextToken && ++pages < 20);
  const named = await call(ctx, `DescribeAlarms ${unhealthy}`, (abortSignal) =>
    ctx.clients.cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [unhealthy], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
      { abortSignal },
    ),
  );
  if (!(named.MetricAlarms?.length || named.CompositeAlarms?.length))
    return [fail('alarms', `stage alarm ${unhealthy} does not exist`)];

  const isCritical = (a: MetricAlarm | CompositeAlarm) =>
    a.AlarmName === unhealthy || (a.AlarmActions ?? []).includes(criticalTopic);
  const critical = inAlarm.filter(isCritical).map((a) => a.AlarmName ?? '?');
  const others = inAlarm.filter((a) => !isCritical(a)).map((a) => a.AlarmName ?? '?');
  const out: CheckOutcome[] = [
    critical.length
      ? fail('alarms', `critical alarms in ALARM: ${list(critical)}`)
      : pass('alarms', `no critical alarm in ALARM (${unhealthy} and the alarms notifying the critical topic)`),
  ];
  if (others.length)
    out.push(warn('warning alarms', `in ALARM but not critical (not failing the check): ${list(others)}`));
  return out;
}
