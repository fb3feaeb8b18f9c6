import { DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { OUTPUTS } from '../../../contracts/output-names';
import { SECRET_NAMES } from '../../../contracts/resource-names';
import { CheckFailure } from './aws-call';
import type { CheckOutcome, CheckReport } from './check-result';
import { toReport } from './check-result';
import type { CheckContext } from './check-context';
import { call, fail, pass } from './check-context';
import type { HealthExpectation } from '../../../contracts/health-contract';
import { healthBodyProblem } from '../../../contracts/health-contract';
import { describeRequestError } from './http-get';
import { keyStates } from './key-states';
import { runCheck } from './run-check';
import { stageAlarms } from './stage-alarms';
import type { StageStack } from './stage-stacks';
import { describeStageStacks, HEALTHY_STACK_STATUSES, StageOutputs } from './stage-stacks';

/** The output keys of the stage's tables, checked by both the stage health and the DR check. */
export const TABLE_OUTPUTS = [
  OUTPUTS.usersTableName,
  OUTPUTS.projectsTableName,
  OUTPUTS.quotesTableName,
  OUTPUTS.contractsTableName,
] as const;

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
  if (bad.length)
    return fail(
      'stacks',
      bad.map((s) => `${s.name} is ${s.status}${s.statusReason ? ` (${s.statusReason.slice(0, 80)})` : ''}`).join(', '),
    );
  return pass('stacks', `${stacks.length} stacks complete: ${stacks.map((s) => `${s.name} ${s.status}`).join(', ')}`);
}

/** Redirects followed within the same API (same origin and base path) before the check gives up. */
const MAX_REDIRECTS = 3;

/** True when `target` is in the same API as the health URL: same origin, below the health URL's base path (`https://host/prod/`). */
function sameApi(healthUrl: URL, target: URL): boolean {
  return target.origin === healthUrl.origin && target.pathname.startsWith(healthUrl.pathname.replace(/[^/]*$/, ''));
}

/** What is wrong with a 200 answer from `url`, read against the health contract, or undefined. */
function bodyProblem(body: string, expected: HealthExpectation, url: string): string | undefined {
  const problem = healthBodyProblem(body, expected);
  if (!problem) return undefined;
  if (problem.kind === 'another-deployment')
    return `answered 200 with another deployment's body: ${problem.message} from URL ${url}`;
  return `answered 200 but ${problem.kind === 'unhealthy' ? 'reports ' : ''}${problem.message}`;
}

/**
 * One GET of /health, following a redirect only within the same API; returns what is wrong or undefined,
 * and where it was sent.
 */
async function getHealth(
  ctx: CheckContext,
  url: string,
  timeoutMs: number,
): Promise<{ problem?: string; via: string[] }> {
  const via: string[] = [];
  const expected = { stage: ctx.params.stage, region: ctx.params.region };
  let current = url;
  for (let hop = 0; ; hop++) {
    const response = await ctx.httpGet(current, timeoutMs);
    if (response.status < 300 || response.status >= 400) {
      const problem =
        response.status === 200 ? bodyProblem(response.body, expected, current) : `answered HTTP ${response.status}`;
      return { problem, via };
    }
    if (!response.location)
      return { problem: `answered HTTP ${response.status} (a redirect) without a Location header`, via };
    const target = new URL(response.location, current);
    via.push(target.href);
    if (!sameApi(new URL(url), target)) {
      return {
        problem: `answered HTTP ${response.status}, redirecting to ${target.href}, which is not the same API; not followed`,
        via,
      };
    }
    if (hop + 1 >= MAX_REDIRECTS)
      return { problem: `redirected ${MAX_REDIRECTS} times (last to ${target.href}); not followed further`, via };
    current = target.href;
  }
}

/** When the stage's config asks for termination protection, every stack has it on. */
export function terminationProtected(stacks: readonly StageStack[]): CheckOutcome {
  const off = stacks.filter((s) => s.terminationProtection !== true).map((s) => s.name);
  if (off.length)
    return fail(
      'termination-protection',
      `termination protection is off on ${off.join(', ')}; the stage's config asks for it`,
    );
  return pass('termination-protection', `on for all ${stacks.length} stacks`);
}

/**
 * GETs the health URL until it answers 200 with the documented body, naming this stage (and its region), with
 * every dependency OK, within a bounded number of attempts.
 */
export async function healthEndpoint(
  ctx: CheckContext,
  url: string,
  options: HealthEndpointOptions = {},
): Promise<CheckOutcome> {
  const attempts = options.attempts ?? 3;
  const timeoutMs = options.timeoutMs ?? 3000;
  const sleep = ctx.callOptions?.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const { problem, via } = await getHealth(ctx, url, timeoutMs);
      const redirected = via.length ? ` (redirected to ${via.join(' then ')})` : '';
      if (problem === undefined)
        return pass(
          'health-endpoint',
          `${url} answered 200 for stage ${ctx.params.stage} with all dependencies OK${redirected}`,
        );
      last = problem;
    } catch (error) {
      last = describeRequestError(error, timeoutMs);
    }
    ctx.log.warn('health endpoint attempt failed', { attempt, url, problem: last });
    if (attempt < attempts) await sleep((options.delayMs ?? 500) * attempt);
  }
  return fail('health-endpoint', `${url} ${last} (after ${attempts} attempts)`);
}

/** The table named by output `key` is ACTIVE. */
export async function tableActive(ctx: CheckContext, outputs: StageOutputs, key: string): Promise<CheckOutcome> {
  const name = outputs.require(key);
  const out = await call(ctx, `DescribeTable ${name}`, (abortSignal) =>
    ctx.clients.dynamoDb.send(new DescribeTableCommand({ TableName: name }), { abortSignal }),
  );
  const status = out.Table?.TableStatus;
  if (status === undefined) throw new CheckFailure(`DescribeTable ${name} returned no status`);
  return status === 'ACTIVE' ? pass(`table ${name}`, 'ACTIVE') : fail(`table ${name}`, `is ${status}, expected ACTIVE`);
}

async function userPool(ctx: CheckContext, outputs: StageOutputs): Promise<CheckOutcome> {
  const id = outputs.require(OUTPUTS.userPoolId);
  const out = await call(ctx, `DescribeUserPool ${id}`, (abortSignal) =>
    ctx.clients.cognito.send(new DescribeUserPoolCommand({ UserPoolId: id }), { abortSignal }),
  );
  if (!out.UserPool?.Id) throw new CheckFailure(`DescribeUserPool ${id} returned no user pool`);
  return pass('user-pool', `${id} present`);
}

async function stateMachine(ctx: CheckContext, outputs: StageOutputs): Promise<CheckOutcome> {
  const arn = outputs.require(OUTPUTS.stateMachineArn);
  const out = await call(ctx, 'DescribeStateMachine', (abortSignal) =>
    ctx.clients.stepFunctions.send(new DescribeStateMachineCommand({ stateMachineArn: arn }), { abortSignal }),
  );
  if (out.status === undefined) throw new CheckFailure(`DescribeStateMachine ${arn} returned no status`);
  return out.status === 'ACTIVE'
    ? pass('state-machine', `${out.name ?? arn} ACTIVE`)
    : fail('state-machine', `${arn} is ${out.status}`);
}

async function secret(ctx: CheckContext, name: string): Promise<CheckOutcome> {
  const out = await call(ctx, `DescribeSecret ${name}`, (abortSignal) =>
    ctx.clients.secrets.send(new DescribeSecretCommand({ SecretId: name }), { abortSignal }),
  );
  if (out.DeletedDate) return fail(`secret ${name}`, `scheduled for deletion on ${out.DeletedDate.toISOString()}`);
  return pass(`secret ${name}`, 'present');
}

/**
 * The stage health check: every stack complete, the health endpoint (/health) answers 200 with all dependencies OK,
 * tables ACTIVE, user pool, state machine and secrets present, the data, log and backup keys Enabled,
 * no critical alarm in ALARM (others are warnings).
 */
export async function runStageHealthCheck(
  ctx: CheckContext,
  endpoint: HealthEndpointOptions = {},
): Promise<CheckReport> {
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
    alarms: () => stageAlarms(ctx, outputs),
    keys: () => keyStates(ctx, outputs),
  };
  if (ctx.params.terminationProtection) items['termination-protection'] = async () => terminationProtected(stacks);
  for (const key of TABLE_OUTPUTS) items[`table ${key}`] = () => tableActive(ctx, outputs, key);
  for (const name of Object.values(SECRET_NAMES)) items[`secret ${name}`] = () => secret(ctx, name);
  return runCheck('health', ctx, items);
}
