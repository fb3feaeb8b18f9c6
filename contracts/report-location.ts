/**
 * Where the change review leaves its reports and failure details in the reports bucket: shared by the
 * bucket and the approval link (lib/pipeline/change-review) and by the review script and the execution notifier (lambda/pipeline).
 *
 * @packageDocumentation
 */

/** Key prefix of the change reports in the reports bucket. */
export const REPORT_PREFIX = 'change-review';
/** Key prefix of the failure details steps leave for the execution notifier. */
export const FAILURE_DETAILS_PREFIX = 'failure-details';

/** Key of a stage's full report for one execution: `change-review/<stage>/<executionId>/report.md` (and `.json`). */
export function reportKey(stage: string, executionId: string, extension: 'md' | 'json' = 'md'): string {
  return `${REPORT_PREFIX}/${stage}/${executionId}/report.${extension}`;
}

/** Key of the failure details of one action of one execution, read by the execution notifier. */
export function failureDetailsKey(executionId: string, pipelineStage: string, actionName: string): string {
  return `${FAILURE_DETAILS_PREFIX}/${executionId}/${pipelineStage}/${actionName}.txt`;
}

/**
 * S3 console link to an object: one click opens it (Open / Download). CodePipeline variables in the
 * key (`#{codepipeline.PipelineExecutionId}`) are kept as they are, for CodePipeline to substitute.
 */
export function s3ConsoleUrl(bucket: string, key: string, region: string): string {
  const prefix = key
    .split(/(#\{[^}]+\})/)
    .map((part) => (part.startsWith('#{') ? part : encodeURIComponent(part).replace(/%2F/g, '/')))
    .join('');
  return `https://${region}.console.aws.amazon.com/s3/object/${bucket}?region=${region}&prefix=${prefix}`;
}
