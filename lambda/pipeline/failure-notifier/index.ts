/** Sends one message per failed pipeline action, with the action's own failure reason. See lib/pipeline/failure-notifier.ts. */
import type { EventBridgeEvent } from 'aws-lambda';
import {
  CodePipelineClient,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  ActionExecutionDetail,
} from '@aws-sdk/client-codepipeline';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { callAws, CallOptions, describeError } from '../private/aws-call';
import { createLogger, Logger } from '../../shared/logger';
import { failureDetailsKey } from '../../../contracts/report-location';
import { FAILURE_DETAILS_BUCKET_ENV, FAILURE_TOPIC_ARN_ENV } from '../../../contracts/env-names';
import {
  ActionStateChangeDetail,
  commitMessageOf,
  FailureFacts,
  renderFailureMessage,
} from '../private/failure-notifier/failure-message';

/** Clients and settings of the notifier. */
export interface FailureNotifierDeps {
  readonly topicArn: string;
  /** Bucket where steps leave failure details; @default none: the action's summary is used as is */
  readonly detailsBucket?: string;
  readonly codePipeline: CodePipelineClient;
  readonly sns: SNSClient;
  readonly s3?: S3Client;
  readonly log: Logger;
  readonly call?: CallOptions;
}

type ActionEvent = EventBridgeEvent<'CodePipeline Action Execution State Change', ActionStateChangeDetail>;

async function findActionExecution(
  deps: FailureNotifierDeps,
  d: ActionStateChangeDetail,
): Promise<ActionExecutionDetail | undefined> {
  let token: string | undefined;
  const matches: ActionExecutionDetail[] = [];
  do {
    const page = await callAws(
      'ListActionExecutions',
      (abortSignal) =>
        deps.codePipeline.send(
          new ListActionExecutionsCommand({
            pipelineName: d.pipeline,
            filter: { pipelineExecutionId: d['execution-id'] },
            nextToken: token,
          }),
          { abortSignal },
        ),
      deps.call,
    );
    matches.push(
      ...(page.actionExecutionDetails ?? []).filter(
        (a) => a.stageName === d.stage && a.actionName === d.action && a.status === 'Failed',
      ),
    );
    token = page.nextToken;
  } while (token);
  // Newest attempt first (a retried stage runs the action again).
  return matches.sort((a, b) => (b.lastUpdateTime?.getTime() ?? 0) - (a.lastUpdateTime?.getTime() ?? 0))[0];
}

async function readFailureDetails(deps: FailureNotifierDeps, d: ActionStateChangeDetail): Promise<string | undefined> {
  if (!deps.detailsBucket || !deps.s3) return undefined;
  const key = failureDetailsKey(d['execution-id'], d.stage, d.action);
  try {
    const out = await callAws(
      `GetObject ${key}`,
      async (abortSignal) => {
        try {
          return await deps.s3!.send(new GetObjectCommand({ Bucket: deps.detailsBucket, Key: key }), { abortSignal });
        } catch (error) {
          if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
          throw error;
        }
      },
      deps.call,
    );
    const text = await out?.Body?.transformToString();
    return text?.trim() || undefined;
  } catch (error) {
    deps.log.warn('failure details unreadable; using the action summary', { key, reason: describeError(error) });
    return undefined;
  }
}

/**
 * Handles one failed action: gathers the reason (failure details a step left, else the action's
 * error details or summary as CodePipeline holds them, else the event's), the commit, and publishes
 * one message. Reading more than the event is best effort; publishing is not: an error there throws,
 * so Lambda retries.
 */
export async function notifyFailure(event: ActionEvent, deps: FailureNotifierDeps): Promise<void> {
  const d = event.detail;
  if (d.state !== 'FAILED') {
    deps.log.info('ignored: not a failure', { state: d.state });
    return;
  }
  const log = deps.log.child({
    pipeline: d.pipeline,
    executionId: d['execution-id'],
    pipelineStage: d.stage,
    action: d.action,
  });
  const [execution, details, stepDetails] = await Promise.all([
    callAws(
      'GetPipelineExecution',
      (abortSignal) =>
        deps.codePipeline.send(
          new GetPipelineExecutionCommand({
            pipelineName: d.pipeline,
            pipelineExecutionId: d['execution-id'],
          }),
          { abortSignal },
        ),
      deps.call,
    ).catch((error) => {
      log.warn('commit unknown', { reason: describeError(error) });
      return undefined;
    }),
    findActionExecution(deps, d).catch((error) => {
      log.warn('action summary unknown', { reason: describeError(error) });
      return undefined;
    }),
    readFailureDetails({ ...deps, log }, d),
  ]);
  const result = details?.output?.executionResult;
  const reason =
    stepDetails ??
    result?.errorDetails?.message ??
    result?.externalExecutionSummary ??
    d['execution-result']?.['external-execution-summary'] ??
    'the action reported no failure summary; open the execution';
  const revision = execution?.pipelineExecution?.artifactRevisions?.[0];
  const facts: FailureFacts = {
    pipeline: d.pipeline,
    region: event.region,
    executionId: d['execution-id'],
    stage: d.stage,
    action: d.action,
    provider: d.type?.provider,
    reason,
    commit: revision?.revisionId,
    commitMessage: commitMessageOf(revision?.revisionSummary),
    actionUrl: result?.externalExecutionUrl ?? d['execution-result']?.['external-execution-url'],
  };
  const { subject, message } = renderFailureMessage(facts);
  await callAws(
    'Publish failure notification',
    (abortSignal) =>
      deps.sns.send(new PublishCommand({ TopicArn: deps.topicArn, Subject: subject, Message: message }), {
        abortSignal,
      }),
    deps.call,
  );
  log.info('failure notified', { subject });
}

function requiredEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set; the failure notifier's construct sets it`);
  return v;
}

let cached: FailureNotifierDeps | undefined;
/** Clients built once per cold start from the function's environment. */
function productionDeps(): FailureNotifierDeps {
  if (!cached) {
    const detailsBucket = process.env[FAILURE_DETAILS_BUCKET_ENV] || undefined;
    cached = {
      topicArn: requiredEnv(FAILURE_TOPIC_ARN_ENV),
      detailsBucket,
      codePipeline: new CodePipelineClient({ maxAttempts: 1 }),
      sns: new SNSClient({ maxAttempts: 1 }),
      s3: detailsBucket ? new S3Client({ maxAttempts: 1 }) : undefined,
      log: createLogger({ stage: 'pipeline', component: 'failure-notifier' }),
    };
  }
  return cached;
}

/** Lambda entry: one EventBridge action state change event. */
export const handler = (event: ActionEvent): Promise<void> => notifyFailure(event, productionDeps());
