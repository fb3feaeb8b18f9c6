import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { ENV_NAMES } from '../../../contracts/env-names';
import type { HealthExpectation } from '../../../contracts/health-contract';
import type { Logger } from '../../shared/logger';
import { functionLogger } from '../../shared/logger';
import { PRE_TRAFFIC_PROBES } from '../../../contracts/pre-traffic-probes';
import type { HookEvent, HookOutcome, HookPorts } from './run-hook';
import { runPreTrafficHook } from './run-hook';
import type { Probe, PreTrafficProbeName } from '../../../contracts/pre-traffic-probes';

/** The AWS clients the hook calls. */
export interface HookClients {
  readonly codeDeploy: CodeDeployClient;
  readonly lambda: LambdaClient;
}

/** What the hook reads from its environment, or why it cannot. */
type HookConfig =
  | {
      readonly ok: true;
      readonly target: string;
      readonly probe: Probe;
      readonly reserveMs: number;
      /** The stage and region a health body must name. */
      readonly deployment: HealthExpectation;
    }
  | { readonly ok: false; readonly problem: string };

/** Stands in for the probe when the configuration is broken (the hook then reports Failed before invoking anything). */
const NO_PROBE: Probe = { event: {}, expect: { statusCode: 200 } };

/**
 * Reads the target version, probe name, report reserve and stage (with the region the Lambda runtime sets);
 * every problem names the variable, its value and what is accepted.
 */
export function readHookConfig(env: Readonly<Record<string, string | undefined>>): HookConfig {
  const problems: string[] = [];
  const target = env[ENV_NAMES.preTrafficTargetVersion];
  if (!target || !/^arn:[^:]+:lambda:[^:]+:\d{12}:function:[^:]+:\d+$/.test(target)) {
    problems.push(
      `${ENV_NAMES.preTrafficTargetVersion} is ${JSON.stringify(target)}; expected the ARN of a published version (arn:...:function:<name>:<version>)`,
    );
  }
  const probeName = env[ENV_NAMES.preTrafficProbe];
  const probe =
    probeName && Object.prototype.hasOwnProperty.call(PRE_TRAFFIC_PROBES, probeName)
      ? PRE_TRAFFIC_PROBES[probeName as PreTrafficProbeName]
      : undefined;
  if (!probe)
    problems.push(
      `${ENV_NAMES.preTrafficProbe} is ${JSON.stringify(probeName)}; expected one of ${Object.keys(PRE_TRAFFIC_PROBES).join(', ')}`,
    );
  const reserveText = env[ENV_NAMES.reportReserveMs];
  const reserveMs = Number(reserveText);
  if (!reserveText || !Number.isInteger(reserveMs) || reserveMs < 1) {
    problems.push(
      `${ENV_NAMES.reportReserveMs} is ${JSON.stringify(reserveText)}; expected a whole number of milliseconds >= 1`,
    );
  }
  const stage = env[ENV_NAMES.stage];
  if (!stage) problems.push(`${ENV_NAMES.stage} is ${JSON.stringify(stage)}; expected the stage name`);
  if (problems.length > 0 || !target || !probe || !stage)
    return { ok: false, problem: `the hook is misconfigured: ${problems.join('; ')}` };
  const region = env.AWS_REGION;
  return { ok: true, target, probe, reserveMs, deployment: { stage, ...(region ? { region } : {}) } };
}

/**
 * Builds the pre-traffic hook's handler. The environment is read once, here; a broken configuration
 * does not throw (nothing would be reported and CodeDeploy would wait out the hook's hour): every
 * invocation then reports Failed, naming the problem.
 */
export function createHandler(
  clients: HookClients,
  env: Readonly<Record<string, string | undefined>> = process.env,
  logger: Logger = functionLogger('pre-traffic-hook', env),
) {
  const config = readHookConfig(env);
  return async (event: HookEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<HookOutcome> => {
    const ports: HookPorts = {
      targetVersion: async () => {
        if (!config.ok) throw new Error(config.problem);
        return config.target;
      },
      invoke: async (target, payload, timeoutMs) => {
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), timeoutMs);
        try {
          const result = await clients.lambda.send(
            new InvokeCommand({
              FunctionName: target,
              InvocationType: 'RequestResponse',
              Payload: Buffer.from(JSON.stringify(payload)),
            }),
            { abortSignal: abort.signal },
          );
          return {
            functionError: result.FunctionError,
            payload: result.Payload ? Buffer.from(result.Payload).toString('utf8') : '',
          };
        } finally {
          clearTimeout(timer);
        }
      },
      report: async (deploymentId, hookExecutionId, status) => {
        await clients.codeDeploy.send(
          new PutLifecycleEventHookExecutionStatusCommand({
            deploymentId,
            lifecycleEventHookExecutionId: hookExecutionId,
            status,
          }),
        );
      },
      remainingMs: () => context.getRemainingTimeInMillis(),
    };
    return runPreTrafficHook(
      event,
      config.ok ? config.probe : NO_PROBE,
      ports,
      config.ok ? config.reserveMs : 0,
      logger,
      config.ok ? config.deployment : undefined,
    );
  };
}

/** Lambda entry point: CodeDeploy's BeforeAllowTraffic hook of one function's deployment group. */
export const handler = createHandler({ codeDeploy: new CodeDeployClient({}), lambda: new LambdaClient({}) });
