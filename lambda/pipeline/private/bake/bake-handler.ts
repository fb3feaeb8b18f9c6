import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { STSClient } from '@aws-sdk/client-sts';
import type { CodePipelineEvent, Context } from 'aws-lambda';
import type { Logger, LogSink } from '../../../shared/logger';
import { createLogger, errorFields } from '../../../shared/logger';
import { assumeCheckRole } from '../assume-role';
import type { CallOptions } from '../aws-call';
import { describeError } from '../aws-call';
import type { StaticCredentials } from '../check-clients';
import { truncate } from '../check-result';
import type { JobResult } from '../job-result';
import { pipelineJob, reportJobResult } from '../job-result';
import { DeadlineError, readReserve, REPORT_MARGIN_MS, seconds, withDeadline } from '../report-reserve';
import type { BakeParameters } from '../../../../contracts/check-parameters';
import { parseBakeParameters } from '../user-parameters';
import { observeAlarm } from './alarm-watch';
import { decodeBakeToken, encodeBakeToken } from './bake-token';
import type { BakeVerdict, BakeWindow } from './bake-verdict';
import { bakeVerdict } from './bake-verdict';

/** Seams of the bake handler, for tests; each defaults to the real thing. */
export interface BakeHandlerOptions {
  /** Environment read at cold start. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly codePipeline?: CodePipelineClient;
  readonly sts?: STSClient;
  /** CloudWatch in the stage account, as the assumed check role. */
  readonly cloudWatch?: (options: { region: string; credentials: StaticCredentials }) => CloudWatchClient;
  readonly callOptions?: CallOptions;
  readonly logSink?: LogSink;
  /** Current time. @default the system clock */
  readonly now?: () => Date;
  /** Waits between two looks at the alarm. */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Time between two looks at the alarm within one invocation.
   * @default 30 seconds
   */
  readonly pollMs?: number;
}

/** Time one look at the alarm (DescribeAlarms and its history) is given before the invocation's budget ends. */
export const LOOK_MS = 10_000;

/** What CodePipeline is told for a verdict: a failure, the end of the action, or a continuation. */
function jobResultOf(verdict: BakeVerdict, params: BakeParameters, window: BakeWindow): JobResult {
  if (verdict.kind === 'failed')
    return { success: false, summary: truncate(`${params.stage} bake FAILED: ${verdict.reason}`) };
  if (verdict.kind === 'passed')
    return { success: true, summary: truncate(`${params.stage} bake passed: ${verdict.summary}`) };
  return {
    success: true,
    summary: truncate(`${params.stage} bake in progress: ${verdict.summary}`),
    continuationToken: encodeBakeToken({ startedAt: window.startedAt }),
    percentComplete: verdict.percent,
  };
}

/**
 * Creates the handler of a stage's `Bake` action (a CodePipeline Lambda invoke action). It proves that
 * the stage-unhealthy alarm stayed out of ALARM for the configured minutes after the deploy:
 *
 * - The first invocation records the start; it travels in CodePipeline's continuation token. While the
 *   window lasts, each invocation answers PutJobSuccessResult with the token, which keeps the action in
 *   progress, and CodePipeline invokes the function again with it (the action may run up to 24 hours:
 *   https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html).
 * - Every look reads the alarm's state and its whole StateUpdate history from the start to now, so the
 *   verdict does not depend on how often CodePipeline invokes the function: an alarm that went to ALARM
 *   and back between two looks is still seen.
 * - It fails at once, naming the alarm, when it went to ALARM and why; a missing alarm, INSUFFICIENT_DATA,
 *   an unreadable history, a refused call or a broken token fail too, with their reason. It succeeds only
 *   when the whole window has passed with the alarm never in ALARM and OK at the end.
 *
 * Within one invocation it looks every `pollMs` until the time left before the report reserve is spent,
 * then hands over to the next invocation. The report is always sent, with its retries kept within the
 * reserve; if it cannot be sent the handler throws.
 */
export function createBakeHandler(options: BakeHandlerOptions = {}) {
  const env = options.env ?? process.env;
  const { reserveMs, problem: envProblem } = readReserve(env);
  const baseLog = createLogger({ stage: 'unknown', check: 'bake' }, options.logSink);
  if (envProblem) baseLog.error('invalid environment', { problem: envProblem });
  const codePipeline = options.codePipeline ?? new CodePipelineClient({ maxAttempts: 1 });
  const sts = options.sts ?? new STSClient({ maxAttempts: 1 });
  const cloudWatchFor =
    options.cloudWatch ?? (({ region, credentials }) => new CloudWatchClient({ region, credentials, maxAttempts: 1 }));
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pollMs = options.pollMs ?? 30_000;

  return async (
    event: CodePipelineEvent,
    context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>,
  ): Promise<void> => {
    const { job, jobId } = pipelineJob(event, 'bake');
    let log: Logger = baseLog.child({ jobId });
    let result: JobResult;
    try {
      if (envProblem) throw new Error(envProblem);
      const params = parseBakeParameters(job.data?.actionConfiguration?.configuration?.UserParameters);
      log = createLogger({ stage: params.stage, check: 'bake', jobId }, options.logSink);
      const remainingMs = context.getRemainingTimeInMillis();
      const budgetEnd = now().getTime() + remainingMs - reserveMs;
      if (remainingMs <= reserveMs)
        throw new DeadlineError(
          `had ${seconds(remainingMs)} left, no more than the ${seconds(reserveMs)} kept back to report; raise the function's timeout`,
        );
      const token = decodeBakeToken(job.data.continuationToken, now());
      const window: BakeWindow = { startedAt: token?.startedAt ?? now(), minutes: params.minutes };
      log.info(token ? 'bake continues' : 'bake started', {
        alarm: params.alarmName,
        startedAt: window.startedAt.toISOString(),
        minutes: params.minutes,
      });
      const left = () => budgetEnd - now().getTime();
      const credentials = await withDeadline(
        assumeCheckRole(sts, params.roleArn, `bake-${params.stage}`, options.callOptions),
        left(),
      );
      const cloudWatch = cloudWatchFor({ region: params.region, credentials });
      let verdict: BakeVerdict;
      for (;;) {
        const at = now();
        const observation = await withDeadline(
          observeAlarm(cloudWatch, params, window.startedAt, at, options.callOptions),
          left(),
        );
        verdict = bakeVerdict(observation, window, at);
        log.info('looked at the alarm', {
          state: observation.state,
          transitions: observation.transitions.length,
          verdict: verdict.kind,
        });
        if (verdict.kind !== 'watching') break;
        const wait = Math.min(pollMs, verdict.remainingMs);
        if (left() - wait < LOOK_MS) break;
        await sleep(wait);
      }
      result = jobResultOf(verdict, params, window);
    } catch (error) {
      const reason = error instanceof DeadlineError ? error.message : describeError(error);
      result = { success: false, summary: truncate(`bake could not run: ${reason}`) };
      log.error('bake could not run', errorFields(error));
    }
    // Every report attempt, backoff included, ends before the function times out.
    const reportOptions: CallOptions = {
      ...options.callOptions,
      deadlineAt: (options.callOptions?.now ?? Date.now)() + context.getRemainingTimeInMillis() - REPORT_MARGIN_MS,
    };
    try {
      await reportJobResult(codePipeline, jobId, result, context.awsRequestId, reportOptions);
      log[result.success ? 'info' : 'error']('result reported', {
        success: result.success,
        summary: result.summary,
        continues: result.success && result.continuationToken !== undefined,
      });
    } catch (error) {
      log.error('could not report the result to CodePipeline', { ...result, ...errorFields(error) });
      throw new Error(
        `bake could not report its result to CodePipeline: ${describeError(error)}; the action stays in progress until it times out`,
        { cause: error },
      );
    }
  };
}
