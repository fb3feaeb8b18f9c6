/**
 * Environment variables the change review step's CodeBuild action sets (lib/pipeline/change-review)
 * and its script reads (lambda/pipeline/change-review). LEAD: fold into lambda/shared/env-names.ts.
 */
export const CHANGE_REVIEW_ENV = {
  /** The step's parameters as JSON (ChangeReviewParameters). */
  parameters: 'CHANGE_REVIEW_PARAMETERS',
  /** Bucket in the pipeline account that keeps the reports. */
  reportBucket: 'CHANGE_REVIEW_REPORT_BUCKET',
  /** Topic of the approval: the summary goes there when the review passes. */
  topicArn: 'CHANGE_REVIEW_TOPIC_ARN',
  /** The pipeline execution id (`#{codepipeline.PipelineExecutionId}`). */
  executionId: 'CHANGE_REVIEW_EXECUTION_ID',
  /** The source commit (`#{<source namespace>.CommitId}`). */
  commitId: 'CHANGE_REVIEW_COMMIT_ID',
  /** The CodePipeline stage and action that run the step, for the failure details the failure notifier reads. */
  pipelineStage: 'CHANGE_REVIEW_PIPELINE_STAGE',
  actionName: 'CHANGE_REVIEW_ACTION_NAME',
} as const;

/** Environment variable of the failure notifier: bucket holding failure details written by steps (optional). */
export const FAILURE_DETAILS_BUCKET_ENV = 'FAILURE_DETAILS_BUCKET';
/** Environment variable of the failure notifier: topic the failure message goes to. */
export const FAILURE_TOPIC_ARN_ENV = 'FAILURE_TOPIC_ARN';
