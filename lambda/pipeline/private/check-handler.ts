import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { STSClient } from '@aws-sdk/client-sts';
import type { CodePipelineEvent, Context } from 'aws-lambda';
import { assumeCheckRole } from './assume-role';
import type { CallOptions } from './aws-call';
import { describeError } from './aws-call';
import type { CheckReport } from './check-result';
import { summarize, truncate } from './check-result';
import type { Logger, LogSink } from '../../shared/logger';
import { createLogger, errorFields } from '../../shared/logger';
import { parseCheckParameters } from './user-parameters';
import type { CheckParameters } from '../../../contracts/check-parameters';
import type { CheckClientOptions, CheckClients } from './check-clients';
import { createCheckClients } from './check-clients';
import type { CheckContext } from './check-context';
import type { HttpGet } from './http-get';
import { fetchGet } from './http-get';
import { pipelineJob, reportJobResult } from './job-result';
import { DeadlineError, readReserve, REPORT_MARGIN_MS, seconds, withDeadline } from './report-reserve';

/** What differs between the stage health and the DR handler, plus seams for tests. */
export interface CheckHandlerOptions {
  readonly check: 'health' | 'dr' | 'termination-protection';
  readonly run: (ctx: CheckContext) => Promise<CheckReport>;
  /** Environment read at cold start. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly codePipeline?: CodePipelineClient;
  readonly sts?: STSClient;
  readonly createClients?: (options: CheckClientOptions) => CheckClients;
  readonly httpGet?: HttpGet;
  readonly callOptions?: CallOptions;
  readonly logSink?: LogSink;
}

/**
 * Creates a CodePipeline Lambda-invoke handler that runs one check against a stage and always reports
 * PutJobSuccessResult or PutJobFailureResult. The environment is checked at cold start; time is kept back
 * from the Lambda timeout to report, and the report's retries stay within it; an exception is always a failure.
 *
 * Only the report ends the action: per the Lambda invoke action reference, without PutJobSuccessResult or
 * PutJobFailureResult the action hangs until the action times out, whether the function threw or not. If
 * reporting fails the handler still throws, so the invocation counts as a Lambda error (Errors metric,
 * logs); the action then stays in progress until CodePipeline times it out.
 */
export function createCheckHandler(options: CheckHandlerOptions) {
  const env = options.env ?? process.env;
  const { reserveMs, problem: envProblem } = readReserve(env);
  const baseLog = createLogger({ stage: 'unknown', check: options.check }, options.logSink);
  if (envProblem) baseLog.error('invalid environment', { problem: envProblem });
  const codePipeline = options.codePipeline ?? new CodePipelineClient({ maxAttempts: 1 });
  const sts = options.sts ?? new STSClient({ maxAttempts: 1 });
  const createClients = options.createClients ?? createCheckClients;

  return async (
    event: CodePipelineEvent,
    context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>,
  ): Promise<void> => {
    const { jobId } = pipelineJob(event, `${options.check} check`);
    let log: Logger = baseLog.child({ jobId });
    let success: boolean;
    let summary: string;
    try {
      if (envProblem) throw new Error(envProblem);
      const params: CheckParameters = parseCheckParameters(
        event['CodePipeline.job'].data?.actionConfiguration?.configuration?.UserParameters,
        { requireRole: true, requireDr: options.check === 'dr' },
      );
      log = createLogger({ stage: params.stage, check: options.check, jobId }, options.logSink);
      const remainingMs = context.getRemainingTimeInMillis();
      const budgetMs = remainingMs - reserveMs;
      log.info('check started', { params, budgetMs });
      if (budgetMs <= 0) {
        throw new DeadlineError(
          `had ${seconds(remainingMs)} left, no more than the ${seconds(reserveMs)} kept back to report; raise the function's timeout`,
        );
      }
      const report = await withDeadline(
        (async () => {
          const credentials = await assumeCheckRole(
            sts,
            params.roleArn!,
            `${options.check}-check-${params.stage}`,
            options.callOptions,
          );
          const clients = createClients({ region: params.region, drRegion: params.dr?.drRegion, credentials });
          return options.run({
            params,
            clients,
            log,
            callOptions: options.callOptions,
            httpGet: options.httpGet ?? fetchGet,
            now: () => new Date(),
          });
        })(),
        budgetMs,
      );
      // A report with no outcome checked nothing: it fails whatever its `passed` says.
      success = report.passed && report.outcomes.length > 0;
      summary = summarize(report);
      log.info('check finished', { passed: report.passed, durationMs: report.durationMs, outcomes: report.outcomes });
    } catch (error) {
      success = false;
      const reason = error instanceof DeadlineError ? error.message : describeError(error);
      summary = truncate(`${options.check} check could not run: ${reason}`);
      log.error('check could not run', errorFields(error));
    }
    // Every report attempt, backoff included, ends before the function times out.
    const reportOptions: CallOptions = {
      ...options.callOptions,
      deadlineAt: (options.callOptions?.now ?? Date.now)() + context.getRemainingTimeInMillis() - REPORT_MARGIN_MS,
    };
    try {
      await reportJobResult(codePipeline, jobId, { success, summary }, context.awsRequestId, reportOptions);
      log.info('result reported', { success, summary });
    } catch (error) {
      log.error('could not report the result to CodePipeline', { success, summary, ...errorFields(error) });
      throw new Error(
        `${options.check} check could not report its result to CodePipeline: ${describeError(error)}; the action stays in progress until it times out`,
        { cause: error },
      );
    }
  };
}
