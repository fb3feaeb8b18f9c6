import { DescribeAlarmsCommand, DescribeAlarmsCommandOutput } from '@aws-sdk/client-cloudwatch';
import { DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { OUTPUTS } from '../../../lib/config/output-names';
import { SECRET_NAMES } from '../../../lib/config/resource-names';
import { CheckFailure } from './aws-call';
import { CheckOutcome, CheckReport, toReport } from './check-result';
import { call, CheckContext, fail, pass } from './check-context';
import { evaluateHealthBody } from './health-body';
import { runCheck } from './run-check';
import { describeStageStacks, HEALTHY_STACK_STATUSES, StageOutputs, StageStack } from './stage-stacks';

/** The output keys of the stage's tables, checked by both the stage health and the DR check. */
export const TABLE_OUTPUTS = [OUTPUTS.usersTableName, OUTPUTS.projectsTableName, OUTPUTS.quotesTableName, OUTPUTS.contractsTableName] as const;

/** How the health endpoint is polled. */
export interface HealthEndpointOptions {
  /** Attempts before a non-200 answer or timeout fails the check. @default 3 */
  readonly attempts?: number;
  /** Time one request may take. @default 3000 ms */
  readonly timeoutMs?: number;
  /** Wait between attempts. @default 500 ms */
  readonly delayMs?: number;
}

/** Every stack is in a *_COMPLETE state that is not a rollback. */
export function stacksComplete(stacks: readonly StageStack[]): CheckOutcome {
  const bad = stacks.filter((s) => !HEALTHY_STACK_STATUSES.has(s.status));
  if (bad.length) return fail('stacks', bad.map((s) => `${s.name} is ${s.status}${s.statusReason ? ` (${s.statusReason.slice(0, 80)})` : ''}`).join(', '));
  return pass('stacks', `${stacks.length} stacks complete: ${stacks.map((s) => `${s.name} ${s.status}`).join(', ')}`);
}

/** When the stage's config asks for termination protection, every stack has it on. */
export function terminationProtected(stacks: readonly StageStack[]): CheckOutcome {
  const off = stacks.filter((s) => s.terminationProtection !== true).map((s) => s.name);
  if (off.length) return fail('termination-protection', `termination protection is off on ${off.join(', ')}; the stage's config asks for it`);
  return pass('termination-protection', `on for all ${stacks.length} stacks`);
}

/** GETs the health URL until it answers 200 with every dependency OK, within a bounded number of attempts. */
export async function healthEndpoint(ctx: CheckContext, url: string, options: HealthEndpointOptions = {}): Promise<CheckOutcome> {
  const attempts = options.attempts ?? 3;
  const timeoutMs = options.timeoutMs ?? 3000;
  const sleep = ctx.callOptions?.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await ctx.httpGet(url, timeoutMs);
      const problem = response.status === 200 ? evaluateHealthBody(response.body) : `answered HTTP ${response.status}`;
      if (problem === undefined) return pass('health-endpoint', `${url} answered 200 with all dependencies OK`);
      last = problem;
    } catch (error) {
      const name = (error as Error)?.name;
      last = name === 'TimeoutError' || name === 'AbortError' ? `timed out after ${timeoutMs} ms` : `request failed: ${(error as Error)?.message ?? String(error)}`;
    }
    ctx.log.warn('health endpoint attempt failed', { attempt, url, problem: last });
    if (attempt < attempts) await sleep((options.delayMs ?? 500) * attempt);
  }
  return fail('health-endpoint', `${url} ${last} (after ${attempts} attempts)`);
}

async function tableActive(ctx: CheckContext, outputs: StageOutputs, key: string): Promise<CheckOutcome> {
  const name = outputs.require(key);
  const out = await call(ctx, `DescribeTable ${name}`, (abortSignal) => ctx.clients.dynamoDb.send(new DescribeTableCommand({ TableName: name }), { abortSignal }));
  const status = out.Table?.TableStatus;
  if (status === undefined) throw new CheckFailure(`DescribeTable ${name} returned no status`);
  return status === 'ACTIVE' ? pass(`table ${name}`, 'ACTIVE') : fail(`table ${name}`, `is ${status}, expected ACTIVE`);
}

async function userPool(ctx: CheckContext, outputs: StageOutputs): Promise<CheckOutcome> {
  const id = outputs.require(OUTPUTS.userPoolId);
  const out = await call(ctx, `DescribeUserPool ${id}`, (abortSignal) => ctx.clients.cognito.send(new DescribeUserPoolCommand({ UserPoolId: id }), { abortSignal }));
  if (!out.UserPool?.Id) throw new CheckFailure(`DescribeUserPool ${id} returned no user pool`);
  return pass('user-pool', `${id} present`);
}

async function stateMachine(ctx: CheckContext, outputs: StageOutputs): Promise<CheckOutcome> {
  const arn = outputs.require(OUTPUTS.stateMachineArn);
  const out = await call(ctx, 'DescribeStateMachine', (abortSignal) => ctx.clients.stepFunctions.send(new DescribeStateMachineCommand({ stateMachineArn: arn }), { abortSignal }));
  if (out.status === undefined) throw new CheckFailure(`DescribeStateMachine ${arn} returned no status`);
  return out.status === 'ACTIVE' ? pass('state-machine', `${out.name ?? arn} ACTIVE`) : fail('state-machine', `${arn} is ${out.status}`);
}

async function secret(ctx: CheckContext, name: string): Promise<CheckOutcome> {
  const out = await call(ctx, `DescribeSecret ${name}`, (abortSignal) => ctx.clients.secrets.send(new DescribeSecretCommand({ SecretId: name }), { abortSignal }));
  if (out.DeletedDate) return fail(`secret ${name}`, `scheduled for deletion on ${out.DeletedDate.toISOString()}`);
  return pass(`secret ${name}`, 'present');
}

/** No alarm of the stage account in ALARM, and the stage-unhealthy alarm exists. */
async function alarms(ctx: CheckContext, outputs: StageOutputs): Promise<CheckOutcome> {
  const unhealthy = outputs.require(OUTPUTS.stageUnhealthyAlarmName);
  const inAlarm: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page: DescribeAlarmsCommandOutput = await call(ctx, 'DescribeAlarms', (abortSignal) =>
      ctx.clients.cloudWatch.send(new DescribeAlarmsCommand({ StateValue: 'ALARM', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken: nextToken }), { abortSignal }));
    for (const a of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) if (a.AlarmName) inAlarm.push(a.AlarmName);
    nextToken = page.NextToken;
  } while (nextToken && ++pages < 20);
  const named = await call(ctx, `DescribeAlarms ${unhealthy}`, (abortSignal) =>
    ctx.clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [unhealthy], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }), { abortSignal }));
  if (!(named.MetricAlarms?.length || named.CompositeAlarms?.length)) return fail('alarms', `stage alarm ${unhealthy} does not exist`);
  if (inAlarm.length) return fail('alarms', `in ALARM: ${inAlarm.slice(0, 5).join(', ')}${inAlarm.length > 5 ? ` and ${inAlarm.length - 5} more` : ''}`);
  return pass('alarms', 'no alarm in ALARM');
}

/**
 * The stage health check: every stack complete, the health endpoint (/health) answers 200 with all dependencies OK,
 * tables ACTIVE, user pool, state machine and secrets present, no alarm in ALARM.
 */
export async function runStageHealthCheck(ctx: CheckContext, endpoint: HealthEndpointOptions = {}): Promise<CheckReport> {
  const started = Date.now();
  let stacks: StageStack[];
  try {
    stacks = await describeStageStacks(ctx);
  } catch (error) {
    return toReport('health', ctx.params.stage, [fail('stacks', (error as Error).message)], Date.now() - started);
  }
  const outputs = new StageOutputs(stacks);
  const items: Record<string, () => Promise<CheckOutcome | CheckOutcome[]>> = {
    stacks: async () => stacksComplete(stacks),
    'health-endpoint': () => healthEndpoint(ctx, outputs.require(OUTPUTS.healthUrl), endpoint),
    'user-pool': () => userPool(ctx, outputs),
    'state-machine': () => stateMachine(ctx, outputs),
    alarms: () => alarms(ctx, outputs),
  };
  if (ctx.params.terminationProtection) items['termination-protection'] = async () => terminationProtected(stacks);
  for (const key of TABLE_OUTPUTS) items[`table ${key}`] = () => tableActive(ctx, outputs, key);
  for (const name of Object.values(SECRET_NAMES)) items[`secret ${name}`] = () => secret(ctx, name);
  return runCheck('health', ctx, items);
}
