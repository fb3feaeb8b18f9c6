/**
 * Custom business metrics the platform's functions publish (CloudWatch embedded metric format or
 * PutMetricData) and the stage dashboard shows. Each stage has its own account, so no stage dimension.
 */
export const BUSINESS_METRICS = {
  /** Namespace of every business metric. */
  namespace: 'UKHomeImprovement/Business',
  /** Count of completed user registrations. */
  registrations: 'UserRegistrations',
  /** Count of projects created. */
  projectsCreated: 'ProjectsCreated',
  /** Milliseconds the AI agent took to answer one request. */
  aiAgentLatency: 'AiAgentLatencyMs',
} as const;
