/** The three deployment stages, in promotion order. */
export const STAGE_NAMES = ['dev', 'staging', 'prod'] as const;

/** Name of one deployment stage. */
export type StageName = (typeof STAGE_NAMES)[number];

/** How much monitoring a stage gets: `basic` is a few critical alarms, `full` is the seed's full set. */
export type MonitoringLevel = 'basic' | 'full';

/** Whether Cognito users must enrol a second factor. */
export type MfaMode = 'optional' | 'required';

/** DynamoDB billing mode for the platform tables. */
export type TableBillingMode = 'PAY_PER_REQUEST' | 'PROVISIONED';

/** Alarm thresholds for one stage. */
export interface AlarmThresholds {
  /** Percentage of API requests answered 5xx over 5 minutes that raises the critical alarm. */
  readonly api5xxPercent: number;
  /** p99 API latency in milliseconds that raises the warning alarm. */
  readonly apiLatencyP99Ms: number;
  /** Lambda errors per function over 5 minutes that raise the critical alarm. */
  readonly lambdaErrors: number;
  /** DynamoDB throttled requests per table over 5 minutes that raise the warning alarm. */
  readonly dynamoThrottles: number;
  /** Step Functions failed executions over 5 minutes that raise the critical alarm. */
  readonly workflowFailures: number;
}

/**
 * AWS Backup policy of a stage. Present only where the stage has backup and DR.
 *
 * A recovery point moved to cold storage must stay there at least 90 days, so a rule
 * only moves to cold storage when its retention is at least cold-after + 90 days.
 */
export interface BackupPolicy {
  /** Days a daily recovery point is kept. */
  readonly dailyRetentionDays: number;
  /** Days a weekly recovery point is kept. */
  readonly weeklyRetentionDays: number;
  /** Days after which a weekly recovery point moves to cold storage; 0 keeps it warm. */
  readonly weeklyColdStorageAfterDays: number;
  /** Age in hours above which the newest recovery point of a resource fails the DR check. */
  readonly recoveryPointMaxAgeHours: number;
  /** Hours after a stage's first deploy during which a missing recovery point is not yet a failure. */
  readonly newStageGraceHours: number;
  /** Whether a monthly AWS Backup restore testing plan restores and validates the tables. */
  readonly restoreTesting: boolean;
  /** Days within which a restore job of the restore testing plan must have succeeded; 0 does not require one. */
  readonly restoreJobMaxAgeDays: number;
}

/** The feature matrix of one stage (the seed's environment table). */
export interface StageFeatures {
  /** Regional WebACL on the API and CloudFront-scope WebACL (in us-east-1) on the distribution. */
  readonly waf: boolean;
  /** Multi-region CloudTrail with log file validation, in its own Audit stack. */
  readonly cloudTrail: boolean;
  /** Backup plan, cross-region copy and restore testing; `undefined` means PITR only. */
  readonly backup?: BackupPolicy;
  /** Provisioned concurrency of the latency-critical functions; 0 turns it off. */
  readonly provisionedConcurrency: number;
  /** Monitoring level. */
  readonly monitoring: MonitoringLevel;
  /** Retain stateful resources (tables, buckets, keys, user pool, vaults, secrets) on delete or replace. */
  readonly retainData: boolean;
  /** CloudFormation termination protection on every stack of the stage. */
  readonly terminationProtection: boolean;
  /** Cognito MFA mode. */
  readonly mfa: MfaMode;
  /** Cognito threat protection, enforced (Plus feature plan). */
  readonly threatProtection: boolean;
  /** DynamoDB billing mode. */
  readonly tableBillingMode: TableBillingMode;
}

/** Everything one stage needs, validated. Built once by `loadConfig` and passed down. */
export interface StageConfig {
  /** Stage name as used in ids and resource names (`dev`). */
  readonly name: StageName;
  /** Stage name as shown in the pipeline (`Dev`). */
  readonly displayName: string;
  /** AWS account the stage deploys to. */
  readonly account: string;
  /** Primary region. */
  readonly region: string;
  /** Disaster-recovery region (backup copies). Never equal to `region`. */
  readonly drRegion: string;
  /** E-mail addresses subscribed to the stage's alert topics. May be empty. */
  readonly alertEmails: readonly string[];
  /** CloudWatch Logs retention for the stage's log groups, in days. */
  readonly logRetentionDays: number;
  /** API Gateway steady-state throttle, requests per second. */
  readonly apiThrottleRateLimit: number;
  /** API Gateway burst throttle, requests. */
  readonly apiThrottleBurstLimit: number;
  /** WAF rate limit per IP per 5 minutes. */
  readonly wafRateLimit: number;
  /** Alarm thresholds. */
  readonly alarms: AlarmThresholds;
  /** Whether a person must approve in the CodePipeline console before this stage deploys. */
  readonly manualApproval: boolean;
  /** Minutes the pipeline watches the stage's "stage unhealthy" alarm after a successful deploy; 0 disables. */
  readonly bakeTimeMinutes: number;
  /** Feature matrix. */
  readonly features: StageFeatures;
}

/** When production deploys may start. */
export interface DeploymentWindow {
  /** EventBridge-style cron expression of the window. */
  readonly cron: string;
  /** IANA time zone the cron expression is read in. */
  readonly timeZone: string;
}

/** The pipeline (tooling) account and the Git source. */
export interface PipelineConfig {
  /** AWS account that hosts the pipeline. */
  readonly account: string;
  /** Region of the pipeline. */
  readonly region: string;
  /** Git repository in `owner/name` form. */
  readonly repository: string;
  /** Branch whose pushes trigger the pipeline. */
  readonly branch: string;
  /** ARN of the CodeConnections (or CodeStar Connections) connection to the Git host. */
  readonly connectionArn: string;
  /** E-mail addresses subscribed to pipeline notifications (failures, approvals). May be empty. */
  readonly notificationEmails: readonly string[];
  /** Production deployment window; `undefined` lets prod deploy at any time. */
  readonly prodDeploymentWindow?: DeploymentWindow;
  /** Roll Prod back to the last successful execution when its deploy or checks fail. */
  readonly rollbackProdOnFailure: boolean;
}

/** The whole validated app configuration. */
export interface AppConfig {
  readonly pipeline: PipelineConfig;
  /** Stage configs in promotion order: dev, staging, prod. */
  readonly stages: readonly StageConfig[];
}
