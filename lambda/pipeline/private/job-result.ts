import type { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { PutJobFailureResultCommand, PutJobSuccessResultCommand } from '@aws-sdk/client-codepipeline';
import type { CodePipelineEvent } from 'aws-lambda';
import type { CallOptions } from './aws-call';
import { callAws } from './aws-call';

/**
 * The job of a Lambda invoke action's event, with its id.
 * @throws Error naming `handler` when the event is not a pipeline job (nothing can be reported without an id)
 */
export function pipelineJob(
  event: CodePipelineEvent | undefined,
  handler: string,
): { readonly job: CodePipelineEvent['CodePipeline.job']; readonly jobId: string } {
  const job = event?.['CodePipeline.job'];
  const jobId = job?.id;
  if (!job || typeof jobId !== 'string' || !jobId)
    throw new Error(`${handler}: event has no CodePipeline.job.id; this handler only runs as a pipeline action`);
  return { job, jobId };
}

/**
 * What a Lambda invoke action's function tells CodePipeline about its job: a failure, a success that ends
 * the action, or a success with a continuation token, which keeps the action in progress and makes
 * CodePipeline invoke the function again with the token in the job data
 * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PutJobSuccessResult.html).
 */
export type JobResult =
  | { readonly success: false; readonly summary: string }
  | {
      readonly success: true;
      readonly summary: string;
      /** Keeps the action in progress; CodePipeline accepts 1 to 2048 characters. */
      readonly continuationToken?: string;
      /** Progress shown in the console while the action is in progress, 0 to 100. */
      readonly percentComplete?: number;
    };

/**
 * Reports `result` for `jobId` with PutJobSuccessResult or PutJobFailureResult, with `callAws`'s bounded
 * retries. Only this report ends (or continues) the action: without it the action hangs until it times out.
 *
 * @throws CheckFailure when the report cannot be sent.
 */
export async function reportJobResult(
  codePipeline: CodePipelineClient,
  jobId: string,
  result: JobResult,
  externalExecutionId: string,
  options: CallOptions,
): Promise<void> {
  if (result.success) {
    const { summary, continuationToken, percentComplete } = result;
    await callAws(
      'PutJobSuccessResult',
      (abortSignal) =>
        codePipeline.send(
          new PutJobSuccessResultCommand({
            jobId,
            ...(continuationToken ? { continuationToken } : {}),
            executionDetails: {
              summary,
              externalExecutionId,
              ...(percentComplete === undefined ? {} : { percentComplete }),
            },
          }),
          // Stryker disable next-line ObjectLiteral: the signal only aborts an attempt callAws has already given up on (timed out); the call's result is the same without it
          { abortSignal },
        ),
      options,
    );
    return;
  }
  await callAws(
    'PutJobFailureResult',
    (abortSignal) =>
      codePipeline.send(
        new PutJobFailureResultCommand({
          jobId,
          failureDetails: { type: 'JobFailed', message: result.summary, externalExecutionId },
        }),
        // Stryker disable next-line ObjectLiteral: the signal only aborts an attempt callAws has already given up on (timed out); the call's result is the same without it
        { abortSignal },
      ),
    options,
  );
}
