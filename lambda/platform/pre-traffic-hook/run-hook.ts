import type { HealthExpectation } from '../../../contracts/health-contract';
import { healthBodyProblem } from '../../../contracts/health-contract';
import type { Logger } from '../../shared/logger';
import { describeError } from '../../shared/logger';
import type { Probe } from '../../../contracts/pre-traffic-probes';

/** What CodeDeploy sends a lifecycle hook. */
export interface HookEvent {
  readonly DeploymentId: string;
  readonly LifecycleEventHookExecutionId: string;
}

/** The status a hook reports; CodeDeploy shifts no traffic unless it is `Succeeded`. */
export type HookStatus = 'Succeeded' | 'Failed';

/** What an invocation returned: Lambda's FunctionError, if any, and the payload as text. */
export interface InvokeResult {
  readonly functionError?: string;
  readonly payload: string;
}

/** What the hook needs from AWS, so its logic can be tested without it. */
export interface HookPorts {
  /** The qualified ARN (or name:version) of the version the deployment is about to shift traffic to. */
  readonly targetVersion: (deploymentId: string) => Promise<string>;
  /** Invokes `target` synchronously with `event`, giving up after `timeoutMs`. */
  readonly invoke: (target: string, event: unknown, timeoutMs: number) => Promise<InvokeResult>;
  /** PutLifecycleEventHookExecutionStatus. */
  readonly report: (deploymentId: string, hookExecutionId: string, status: HookStatus) => Promise<void>;
  /** Milliseconds left before the hook's own Lambda timeout. */
  readonly remainingMs: () => number;
}

/** The hook's verdict. */
export interface HookOutcome {
  readonly status: HookStatus;
  readonly reason: string;
}

/**
 * Why `result` does not prove the version starts, or `undefined` when it does. `deployment` is the stage
 * (and region) a health body must name; a probe that reads the body fails without it.
 */
export function probeProblem(probe: Probe, result: InvokeResult, deployment?: HealthExpectation): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(result.payload);
  } catch {
    return `the response is not JSON: ${result.payload.slice(0, 200)}`;
  }
  const field = (name: string) =>
    body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  if ('statusCode' in probe.expect) {
    if (result.functionError) return `the function failed (${result.functionError}: ${String(field('errorType'))})`;
    const status = field('statusCode');
    if (status !== probe.expect.statusCode)
      return `the function answered statusCode ${String(status)}, expected ${probe.expect.statusCode}`;
    if (probe.expect.body !== 'health') return undefined;
    if (!deployment) return 'the hook does not know which stage the health body must name';
    const text = field('body');
    if (typeof text !== 'string') return `the function answered statusCode ${String(status)} without a body`;
    const problem = healthBodyProblem(text, deployment);
    return problem && `the function answered statusCode ${String(status)} but its health body: ${problem.message}`;
  }
  if ('returns' in probe.expect) {
    if (result.functionError)
      return `the function failed (${result.functionError}: ${String(field('errorType'))}: ${String(field('errorMessage'))})`;
    const wrong = Object.entries(probe.expect.returns).filter(([name, value]) => field(name) !== value);
    return wrong.length === 0
      ? undefined
      : `the function answered ${result.payload.slice(0, 200)}, expected ${JSON.stringify(probe.expect.returns)} in it`;
  }
  const errorType = field('errorType');
  if (!result.functionError)
    return `the function accepted the harmless request, expected it to reject it with ${probe.expect.errorType}`;
  return errorType === probe.expect.errorType
    ? undefined
    : `the function failed with ${String(errorType)}, expected ${probe.expect.errorType}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs a pre-traffic hook: finds the new version, invokes it with the probe, and reports the result.
 * The status is `Failed` unless the probe's answer proves the version starts (for the health endpoint:
 * a healthy body naming `deployment`); every error (finding the version, the invocation, its time budget)
 * is a failure with its reason. `reserveMs` of the hook's own time are kept back, so the report is sent
 * even when the invocation hangs.
 *
 * @throws Error when the event lacks its ids (nothing can be reported) or when the report itself fails:
 *   the hook then errors and CodeDeploy fails the deployment when the hook's time runs out, never shifting traffic.
 */
export async function runPreTrafficHook(
  event: HookEvent,
  probe: Probe,
  ports: HookPorts,
  reserveMs: number,
  logger: Logger,
  deployment?: HealthExpectation,
): Promise<HookOutcome> {
  const deploymentId = event?.DeploymentId;
  const hookId = event?.LifecycleEventHookExecutionId;
  if (typeof deploymentId !== 'string' || !deploymentId || typeof hookId !== 'string' || !hookId) {
    throw new Error(
      'event is not a CodeDeploy lifecycle hook event: expected DeploymentId and LifecycleEventHookExecutionId',
    );
  }
  let outcome: HookOutcome;
  try {
    const budget = () => ports.remainingMs() - reserveMs;
    const target = await withTimeout(
      ports.targetVersion(deploymentId),
      Math.max(1, budget()),
      'finding the new version',
    );
    const timeoutMs = budget();
    if (timeoutMs <= 0) throw new Error(`no time left to invoke ${target} (${reserveMs} ms kept back to report)`);
    const result = await withTimeout(ports.invoke(target, probe.event, timeoutMs), timeoutMs, `invoking ${target}`);
    const problem = probeProblem(probe, result, deployment);
    outcome = problem
      ? { status: 'Failed', reason: `${target}: ${problem}` }
      : { status: 'Succeeded', reason: `${target} answered the harmless request as expected` };
  } catch (error) {
    const { errorName, errorMessage } = describeError(error);
    outcome = { status: 'Failed', reason: `${errorName}: ${errorMessage}` };
  }
  const fields = { deploymentId, status: outcome.status, reason: outcome.reason };
  if (outcome.status === 'Succeeded') logger.info('pre-traffic hook', fields);
  else logger.error('pre-traffic hook', fields);
  try {
    await ports.report(deploymentId, hookId, outcome.status);
  } catch (error) {
    logger.error('could not report the hook status', { deploymentId, status: outcome.status, ...describeError(error) });
    throw error;
  }
  return outcome;
}
