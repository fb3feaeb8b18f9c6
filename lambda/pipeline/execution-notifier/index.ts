/**
 * Sends one message per pipeline execution that ends (failed, stopped, superseded, cancelled, succeeded;
 * a rollback execution labelled as one), naming the stage, the cause and what happens next; and a
 * message about any event it cannot act on. See lib/pipeline/execution-notifier.ts.
 */
import type { Context } from 'aws-lambda';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '../../shared/logger';
import { createLogger } from '../../shared/logger';
import { EXECUTION_NOTIFIER_ENV } from '../../../contracts/env-names';
import { parseExecutionEvent } from '../private/execution-notifier/execution-event';
import type { NotifierMessage } from '../private/execution-notifier/execution-message';
import { renderExecutionMessage, renderMalformedMessage } from '../private/execution-notifier/execution-message';
import { readExecution } from '../private/execution-notifier/read-execution';

/** Clients and settings of the notifier. */
export interface ExecutionNotifierDeps {
  readonly topicArn: string;
  /** Bucket where steps leave failure details; @default none: actions' own summaries are used */
  readonly detailsBucket?: string;
  readonly codePipeline: CodePipelineClient;
  readonly sns: SNSClient;
  readonly s3?: S3Client;
  readonly log: Logger;
  /** Milliseconds the reads may take in all; the rest of the invocation is kept for publishing. */
  readonly readBudgetMs: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Time kept back from the function's timeout for publishing the message. */
export const PUBLISH_RESERVE_MS = 10_000;

async function publish(deps: ExecutionNotifierDeps, { subject, message }: NotifierMessage): Promise<void> {
  await deps.sns.send(new PublishCommand({ TopicArn: deps.topicArn, Subject: subject, Message: message }));
}

/**
 * Handles one event. A malformed event is reported as such. For an execution event, reading is best
 * effort (what cannot be read is named in the message); publishing is not: an error there throws, so
 * Lambda retries the invocation.
 */
export async function notifyExecution(raw: unknown, deps: ExecutionNotifierDeps): Promise<void> {
  const parsed = parseExecutionEvent(raw);
  if (!parsed.ok) {
    deps.log.warn('malformed event', { problem: parsed.malformed.problem });
    await publish(deps, renderMalformedMessage(parsed.malformed));
    return;
  }
  const { event } = parsed;
  const log = deps.log.child({ pipeline: event.pipeline, executionId: event.executionId, state: event.state });
  const now = deps.now ?? Date.now;
  const report = await readExecution(event, {
    codePipeline: deps.codePipeline,
    s3: deps.s3,
    detailsBucket: deps.detailsBucket,
    deadlineAt: now() + deps.readBudgetMs,
    now,
  });
  if (report.unread.length) log.warn('some details could not be read', { unread: report.unread });
  const message = renderExecutionMessage(report);
  await publish(deps, message);
  log.info('execution notified', { subject: message.subject });
}

function requiredEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set; the execution notifier's construct sets it`);
  return v;
}

let cached: Omit<ExecutionNotifierDeps, 'readBudgetMs'> | undefined;
/** Clients built once per cold start from the function's environment; the SDK retries throttling (standard mode). */
function productionDeps(): Omit<ExecutionNotifierDeps, 'readBudgetMs'> {
  if (!cached) {
    const detailsBucket = process.env[EXECUTION_NOTIFIER_ENV.detailsBucket] || undefined;
    cached = {
      topicArn: requiredEnv(EXECUTION_NOTIFIER_ENV.topicArn),
      detailsBucket,
      codePipeline: new CodePipelineClient({ maxAttempts: 3 }),
      sns: new SNSClient({ maxAttempts: 3 }),
      s3: detailsBucket ? new S3Client({ maxAttempts: 3 }) : undefined,
      log: createLogger({ stage: 'pipeline', component: 'execution-notifier' }),
    };
  }
  return cached;
}

/** Lambda entry: one EventBridge event, whatever it holds. */
export const handler = (event: unknown, context: Context): Promise<void> =>
  notifyExecution(event, {
    ...productionDeps(),
    readBudgetMs: Math.max(0, context.getRemainingTimeInMillis() - PUBLISH_RESERVE_MS),
  });
