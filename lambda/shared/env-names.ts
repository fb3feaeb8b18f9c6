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
  /** Milliseconds a pipeline check keeps back from its Lambda timeout to report the result (CheckFunction). */
  reportReserveMs: 'REPORT_RESERVE_MS',
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
export type EnvName = typeof ENV_NAMES[keyof typeof ENV_NAMES];

/**
 * Prefixes of the health endpoint's dependency variables: `TABLE_USERS=<table name>`,
 * `SECRET_CLAUDE=<secret arn>`; the rest of the name (lower-cased) names the dependency.
 */
export const HEALTH_ENDPOINT_ENV_PREFIXES = {
  table: 'TABLE_',
  secret: 'SECRET_',
} as const;
