import type { CompositeAlarm, DescribeAlarmsCommandOutput, MetricAlarm, StateValue } from '@aws-sdk/client-cloudwatch';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { OUTPUTS } from '../../../contracts/output-names';
import { CheckFailure, describeError } from './aws-call';
import type { CheckOutcome } from './check-result';
import type { CheckContext } from './check-context';
import { call, fail, pass, warn } from './check-context';
import type { StageOutputs } from './stage-stacks';

/** At most this many alarm names are listed in one outcome. */
const LISTED = 5;

/** Pages of DescribeAlarms (100 alarms each) read per state before the reading counts as unfinished. */
export const MAX_ALARM_PAGES = 20;

type AnyAlarm = MetricAlarm | CompositeAlarm;

const list = (names: readonly string[]) =>
  `${names.slice(0, LISTED).join(', ')}${names.length > LISTED ? ` and ${names.length - LISTED} more` : ''}`;

/**
 * Every alarm of the stage account in `state`, metric and composite, page by page. A page that cannot be
 * read, or more pages than {@link MAX_ALARM_PAGES}, is a failure that says how far the reading got: alarms
 * on pages not read are not proved to be out of that state.
 */
async function alarmsIn(ctx: CheckContext, state: StateValue): Promise<AnyAlarm[]> {
  const alarms: AnyAlarm[] = [];
  let nextToken: string | undefined;
  for (let page = 1; ; page++) {
    let out: DescribeAlarmsCommandOutput;
    try {
      out = await call(ctx, `DescribeAlarms (${state}, page ${page})`, (abortSignal) =>
        ctx.clients.cloudWatch.send(
          new DescribeAlarmsCommand({
            StateValue: state,
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            NextToken: nextToken,
          }),
          { abortSignal },
        ),
      );
    } catch (error) {
      if (page === 1) throw error;
      throw new CheckFailure(
        `could not finish reading the alarms in ${state}: ${describeError(error)}; ${alarms.length} read on ${page - 1} pages before it, the alarms on later pages were not checked`,
      );
    }
    alarms.push(...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? []));
    nextToken = out.NextToken;
    if (!nextToken) return alarms;
    if (page >= MAX_ALARM_PAGES)
      throw new CheckFailure(
        `could not finish reading the alarms in ${state}: more than ${MAX_ALARM_PAGES} pages (${alarms.length} alarms read); the alarms on later pages were not checked`,
      );
  }
}

/**
 * The stage's alarms, read for what they prove. The stage-unhealthy composite alarm (output
 * `StageUnhealthyAlarmName`) decides: it is in ALARM whenever a critical alarm is, so it must be OK. In
 * ALARM it fails the check; in INSUFFICIENT_DATA, which a composite alarm is in only between its creation
 * and its first evaluation, it has proved nothing yet and fails the check too; missing, it fails.
 * Critical alarms (those notifying the stage's critical topic, output `CriticalAlertsTopicArn`) in ALARM
 * fail the check. A critical alarm in INSUFFICIENT_DATA (no data yet, as on a new stage without traffic)
 * is a warning that names it: the composite counts it as not in ALARM, so it proves nothing either way.
 * Any other alarm in ALARM (warning level, or not the platform's) is a warning.
 */
export async function stageAlarms(ctx: CheckContext, outputs: StageOutputs): Promise<CheckOutcome[]> {
  const unhealthy = outputs.require(OUTPUTS.stageUnhealthyAlarmName);
  const criticalTopic = outputs.require(OUTPUTS.criticalAlertsTopicArn);
  const [inAlarm, noData] = await Promise.all([alarmsIn(ctx, 'ALARM'), alarmsIn(ctx, 'INSUFFICIENT_DATA')]);
  const named = await call(ctx, `DescribeAlarms ${unhealthy}`, (abortSignal) =>
    ctx.clients.cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [unhealthy], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
      { abortSignal },
    ),
  );
  const composite = [...(named.CompositeAlarms ?? []), ...(named.MetricAlarms ?? [])][0];
  if (!composite)
    return [
      fail(
        'alarms',
        `stage alarm ${unhealthy} does not exist in ${ctx.params.region} (or the check role's cloudwatch:DescribeAlarms is not granted on *, which CloudWatch requires to return composite alarms)`,
      ),
    ];

  const isCritical = (a: AnyAlarm) => a.AlarmName === unhealthy || (a.AlarmActions ?? []).includes(criticalTopic);
  const names = (alarms: AnyAlarm[]) => alarms.map((a) => a.AlarmName ?? '?');
  const critical = names(inAlarm.filter(isCritical));
  if (composite.StateValue === 'ALARM' && !critical.includes(unhealthy)) critical.unshift(unhealthy);
  const others = names(inAlarm.filter((a) => !isCritical(a)));
  const criticalNoData = names(noData.filter((a) => isCritical(a) && a.AlarmName !== unhealthy));
  const out: CheckOutcome[] = [];
  if (critical.length) out.push(fail('alarms', `critical alarms in ALARM: ${list(critical)}`));
  else if (composite.StateValue === 'INSUFFICIENT_DATA')
    out.push(
      fail(
        'alarms',
        `${unhealthy} is INSUFFICIENT_DATA: it has not been evaluated since it was created, so it cannot show the stage healthy`,
      ),
    );
  else if (composite.StateValue !== 'OK')
    out.push(fail('alarms', `${unhealthy} is ${composite.StateValue ?? 'in no state'}, expected OK`));
  else out.push(pass('alarms', `${unhealthy} is OK and no critical alarm is in ALARM`));
  if (criticalNoData.length)
    out.push(
      warn(
        'alarms without data',
        `critical alarms in INSUFFICIENT_DATA (no data yet), not proving the stage healthy: ${list(criticalNoData)}`,
      ),
    );
  if (others.length)
    out.push(warn('warning alarms', `in ALARM but not critical (not failing the check): ${list(others)}`));
  return out;
}
