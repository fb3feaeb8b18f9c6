/**
 * Environment variable names: set by the constructs (lib/), read by the handlers (lambda/).
 *
 * @packageDocumentation
 */

/**
 * Names of the environment variables a construct sets and a handler reads. Both sides import
 * these constants, so a renamed variable cannot leave a handler reading a name no construct sets.
 */
export const ENV_NAMES = {
  /** Stage name on every log line of a platform function (PlatformFunction sets it on every function). */
  stage: 'STAGE',
  /** Projects table name (projects API, project scoping, quote estimation, notify). */
  projectsTable: 'PROJECTS_TABLE',
  /** Quotes table name (quote estimation). */
  quotesTable: 'QUOTES_TABLE',
  /** Event bus the projects API publishes domain events on. */
  eventBusName: 'EVENT_BUS_NAME',
  /** ARN of the Claude API key secret (AI agents). */
  claudeSecretArn: 'CLAUDE_SECRET_ARN',
  /** Claude model id the AI agents call (`<stage>.ai.modelId`; contracts/ai-models.ts). */
  aiModelId: 'AI_MODEL_ID',
  /** Milliseconds a pipeline check (CheckFunction) or a pre-traffic hook (PreTrafficHook) keeps back from its Lambda timeout to report the result. */
  reportReserveMs: 'REPORT_RESERVE_MS',
  /** ARN of the version a release is about to shift the `live` alias to (PreTrafficHook). */
  preTrafficTargetVersion: 'TARGET_VERSION_ARN',
  /** Name of the harmless request the pre-traffic hook sends the new version, one of PRE_TRAFFIC_PROBES (PreTrafficHook). */
  preTrafficProbe: 'PROBE',
  /** Stage name on the restore validation function's log lines (RestoreTesting). */
  restoreValidationStage: 'STAGE_NAME',
  /** Item-count tolerance of restore validation, percent of the source table's count (RestoreTesting). */
  itemCountTolerancePercent: 'ITEM_COUNT_TOLERANCE_PERCENT',
  /** Base URL of the API stage, ending in `/` (the synthetic traffic canary). */
  canaryApiUrl: 'API_URL',
  /** Base URL of the frontend distribution, ending in `/` (the synthetic traffic canary). */
  canaryFrontendUrl: 'FRONTEND_URL',
} as const;

/** Name of one of the {@link ENV_NAMES}. */
export type EnvName = (typeof ENV_NAMES)[keyof typeof ENV_NAMES];

/**
 * Prefixes of the health endpoint's dependency variables: `TABLE_USERS=<table name>`,
 * `SECRET_CLAUDE=<secret arn>`; the rest of the name (lower-cased) names the dependency.
 */
export const HEALTH_ENDPOINT_ENV_PREFIXES = {
  table: 'TABLE_',
  secret: 'SECRET_',
} as const;

/**
 * Environment variables the change review step's CodeBuild action sets (lib/pipeline/change-review)
 * and its script reads (lambda/pipeline/change-review).
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
  /** The CodePipeline stage and action that run the step, for the failure details the execution notifier reads. */
  pipelineStage: 'CHANGE_REVIEW_PIPELINE_STAGE',
  actionName: 'CHANGE_REVIEW_ACTION_NAME',
} as const;

/**
 * Environment variables the execution notifier's construct (lib/pipeline/execution-notifier.ts) sets and
 * its handler (lambda/pipeline/execution-notifier) reads.
 */
export const EXECUTION_NOTIFIER_ENV = {
  /** Topic every message goes to. */
  topicArn: 'NOTIFIER_TOPIC_ARN',
  /** Bucket where steps leave failure details (the change review's reason); optional. */
  detailsBucket: 'FAILURE_DETAILS_BUCKET',
} as const;
