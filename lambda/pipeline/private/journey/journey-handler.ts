import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { STSClient } from '@aws-sdk/client-sts';
import type { CodePipelineEvent, Context } from 'aws-lambda';
import { randomBytes } from 'crypto';
import type { Logger, LogSink } from '../../../shared/logger';
import { createLogger, errorFields } from '../../../shared/logger';
import { assumeCheckRole } from '../assume-role';
import type { CallOptions } from '../aws-call';
import { CheckFailure, describeError } from '../aws-call';
import type { CheckClientOptions, CheckClients } from '../check-clients';
import { createCheckClients } from '../check-clients';
import { truncate } from '../check-result';
import { fetchGet } from '../http-get';
import type { JobResult } from '../job-result';
import { pipelineJob, reportJobResult } from '../job-result';
import { readReserve, REPORT_MARGIN_MS } from '../report-reserve';
import { parseCheckParameters } from '../user-parameters';
import type { JourneyContext } from './journey-context';
import { DEFAULT_POLL_INTERVAL_MS } from './journey-context';
import type { HttpRequest } from './journey-http';
import { fetchRequest } from './journey-http';
import { journeyFinished, journeyPassed, journeyProgress, summarizeJourney } from './journey-report';
import type { JourneyDraft } from './journey-state';
import { decodeState, encodeState, newJourneyState, nextStep } from './journey-state';
import { runJourneySlice } from './run-journey';

/** Time kept, beyond the report reserve, between the last step's start and the hand-over to the next invocation. */
export const SLICE_MARGIN_MS = 45_000;

/** Seams for tests. */
export interface JourneyHandlerOptions {
  /** Environment read at cold start. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly codePipeline?: CodePipelineClient;
  readonly sts?: STSClient;
  readonly createClients?: (options: CheckClientOptions) => CheckClients;
  readonly http?: HttpRequest;
  readonly callOptions?: CallOptions;
  readonly logSink?: LogSink;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly clock?: () => number;
  readonly pollIntervalMs?: number;
  readonly signIn?: JourneyContext['signIn'];
}

/** A new run id: base-36 time and random hex, in every synthetic name of the run. */
export function newRunId(now: number): string {
  return `${now.toString(36)}${randomBytes(3).toString('hex')}`;
}

/**
 * Creates the CodePipeline Lambda-invoke handler of the acceptance journey. Each invocation runs the
 * journey's next steps within its time, keeping time back to report; when steps remain it reports success
 * with a continuation token holding the journey's state (CodePipeline then invokes it again, and the action
 * stays in progress), otherwise the journey's result. The failure message names the failed step.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html: a Lambda invoke action that
 * answers "in progress" within 20 minutes may run for up to 24 hours.
 */
export function createJourneyHandler(options: JourneyHandlerOptions = {}) {
  const env = options.env ?? process.env;
  const { reserveMs, problem: envProblem } = readReserve(env);
  const baseLog = createLogger({ stage: 'unknown', check: 'journey' }, options.logSink);
  if (envProblem) baseLog.error('invalid environment', { problem: envProblem });
  const codePipeline = options.codePipeline ?? new CodePipelineClient({ maxAttempts: 1 });
  const sts = options.sts ?? new STSClient({ maxAttempts: 1 });
  const createClients = options.createClients ?? createCheckClients;
  const clock = options.clock ?? Date.now;

  return async (
    event: CodePipelineEvent,
    context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>,
  ): Promise<void> => {
    const { job, jobId } = pipelineJob(event, 'journey');
    let log: Logger = baseLog.child({ jobId });
    let state: JourneyDraft | undefined;
    let stageName = 'unknown';
    let outcome:
      { kind: 'continue'; token: string; summary: string } | { kind: 'done'; passed: boolean; summary: string };
    try {
      if (envProblem) throw new CheckFailure(envProblem);
      const params = parseCheckParameters(job.data?.actionConfiguration?.configuration?.UserParameters, {
        requireRole: true,
        requireDr: false,
        requireJourney: true,
      });
      const journey = params.journey!;
      stageName = params.stage;
      const token = job.data?.continuationToken;
      state = token ? { ...decodeState(token) } : newJourneyState(newRunId(clock()), journey.readOnly, clock());
      if (state.readOnly !== journey.readOnly)
        throw new CheckFailure('the continuation token was written for the other journey mode; start a new execution');
      log = createLogger({ stage: params.stage, check: 'journey', jobId, run: state.run }, options.logSink);
      const startedAt = clock();
      const budgetMs = context.getRemainingTimeInMillis() - reserveMs;
      log.info('journey invocation started', { params, budgetMs, continued: Boolean(token), done: state.results });
      const credentials = await assumeCheckRole(sts, params.roleArn!, `journey-${params.stage}`, options.callOptions);
      const clients = createClients({ region: params.region, credentials });
      const ctx: JourneyContext = {
        params,
        journey,
        clients,
        log,
        callOptions: options.callOptions,
        httpGet: fetchGet,
        now: () => new Date(clock()),
        http: options.http ?? fetchRequest,
        sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
        clock,
        pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
        signIn: options.signIn,
      };
      const slice = runJourneySlice(ctx, state, startedAt + budgetMs - SLICE_MARGIN_MS);
      let timer: NodeJS.Timeout | undefined;
      const overran = new Promise<'overran'>((resolve) => {
        timer = setTimeout(() => resolve('overran'), Math.max(0, budgetMs));
      });
      const finished = await Promise.race([slice.then(() => 'finished' as const), overran]).finally(() =>
        clearTimeout(timer),
      );
      if (finished === 'overran')
        throw new CheckFailure(
          `step ${state.current?.name ?? nextStep(state) ?? 'unknown'} did not finish within the invocation (${Math.round(budgetMs / 1000)} s)`,
        );
      outcome = journeyFinished(state)
        ? { kind: 'done', passed: journeyPassed(state), summary: summarizeJourney(params.stage, state) }
        : { kind: 'continue', token: encodeState(state), summary: journeyProgress(params.stage, state) };
    } catch (error) {
      const left = state
        ? [...state.users.map((u) => u.email), ...(state.projectId ? [state.projectId] : []), ...state.quoteIds]
        : [];
      outcome = {
        kind: 'done',
        passed: false,
        summary: truncate(
          `${stageName} journey could not run: ${describeError(error)}${left.length ? `; may have left ${left.join(', ')}` : ''}`,
        ),
      };
      log.error('journey could not run', { ...errorFields(error), state });
    }
    const reportOptions: CallOptions = {
      ...options.callOptions,
      deadlineAt: (options.callOptions?.now ?? Date.now)() + context.getRemainingTimeInMillis() - REPORT_MARGIN_MS,
    };
    const result: JobResult =
      outcome.kind === 'continue'
        ? { success: true, summary: outcome.summary, continuationToken: outcome.token }
        : outcome.passed
          ? { success: true, summary: outcome.summary }
          : { success: false, summary: outcome.summary };
    try {
      await reportJobResult(codePipeline, jobId, result, context.awsRequestId, reportOptions);
      log.info('result reported', { outcome: outcome.kind, summary: outcome.summary, results: state?.results });
    } catch (error) {
      log.error('could not report the result to CodePipeline', { summary: outcome.summary, ...errorFields(error) });
      throw new Error(
        `journey could not report its result to CodePipeline: ${describeError(error)}; the action stays in progress until it times out`,
        { cause: error },
      );
    }
  };
}
