/**
 * Physical names that cross the pipeline/stage boundary: set by the stacks (lib/platform), used by the
 * pipeline (lib/pipeline) and by the checks (lambda/pipeline).
 *
 * @packageDocumentation
 */

/** Prefix of every physical name the platform sets. */
export const PLATFORM_PREFIX = 'uk-home-improvement';

/**
 * Physical names that cross a boundary (pipeline to stage, stack to stack, code to operator)
 * and so must be known without a CloudFormation reference. Everything else is left to CloudFormation.
 */
export function resourceNames(stage: string) {
  const p = `${PLATFORM_PREFIX}-${stage}`;
  return {
    /** Read-only role the pipeline's check functions assume in the stage account. */
    checkRole: `${p}-pipeline-check`,
    /** Role the pipeline's journey function assumes in the stage account: it may manage only synthetic users and items. */
    journeyRole: `${p}-pipeline-journey`,
    /** Role in the stage account that may only turn on termination protection of the stage's stacks. */
    terminationProtectionRole: `${p}-pipeline-termination-protection`,
    /** Composite alarm that is in ALARM when the stage is unhealthy; the pipeline's Bake action watches it. */
    stageUnhealthyAlarm: `${p}-stage-unhealthy`,
    /** CloudWatch dashboard of the stage. */
    dashboard: `${p}-dashboard`,
    /** DynamoDB table names by logical table. */
    tables: {
      users: `${p}-users`,
      projects: `${p}-projects`,
      quotes: `${p}-quotes`,
      contracts: `${p}-contracts`,
    },
    /** Backup vault in the primary region. */
    backupVault: `${p}-backup-vault`,
    /** Backup copy target in the DR region. */
    drBackupVault: `${p}-dr-vault`,
    /** Logically air-gapped vault in the DR region: the isolated copy target (at most 50 characters, as AWS Backup accepts). */
    isolatedBackupVault: `${p}-isolated-vault`,
    /** Request log groups of the WebACLs (WAF accepts only destinations named `aws-waf-logs-*`). */
    wafLogs: { api: `aws-waf-logs-${p}-api`, edge: `aws-waf-logs-${p}-edge` },
  };
}

/** Secrets Manager names, as in the seed (each stage has its own account). */
export const SECRET_NAMES = {
  stripe: `${PLATFORM_PREFIX}/stripe`,
  docusign: `${PLATFORM_PREFIX}/docusign`,
  claude: `${PLATFORM_PREFIX}/claude`,
} as const;

/** Names of the pipeline's check function roles, trusted by each stage's check role. */
export const CHECK_ROLE_NAMES = {
  health: `${PLATFORM_PREFIX}-pipeline-health-check`,
  dr: `${PLATFORM_PREFIX}-pipeline-dr-check`,
  /** The bake function, which watches the stage-unhealthy alarm after the deploy. */
  bake: `${PLATFORM_PREFIX}-pipeline-bake`,
} as const;

/**
 * Name of the customer managed policy of the people who approve deploys: a fixed name, so an IAM
 * Identity Center permission set can reference it (permission sets name customer managed policies).
 */
export const APPROVERS_POLICY_NAME = `${PLATFORM_PREFIX}-delivery-approvers`;

/** Name of the delivery pipeline's own role; the stages' check roles trust it for the bake-time alarm rule. */
export const PIPELINE_ROLE_NAME = `${PLATFORM_PREFIX}-delivery-pipeline`;

/** Name of the customer managed policy `cdk bootstrap` gives the CloudFormation execution role of each stage account. */
export const EXECUTION_POLICY_NAME = `${PLATFORM_PREFIX}-cfn-execution`;

/** Alias of the key that encrypts the tooling (pipeline) account's CloudTrail log files. */
export const TOOLING_TRAIL_KEY_ALIAS = `alias/${PLATFORM_PREFIX}-tooling-cloudtrail`;

/** Name of the role of the pipeline function that turns on termination protection; only it may assume a stage's termination protection role. */
export const TERMINATION_PROTECTION_FUNCTION_ROLE_NAME = `${PLATFORM_PREFIX}-pipeline-termination-protection`;

/**
 * Prefix of the table an AWS Backup restore test creates: AWS Backup names it `awsbackup-restore-test-` and a
 * random suffix (DynamoDB's inferred `targetTableName`,
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html). The restore
 * validation function may count the items of such tables only.
 */
export const RESTORE_TEST_TABLE_PREFIX = 'awsbackup-restore-test-';

/** Name of the role of the pipeline's journey function; only it may assume a stage's journey role. */
export const JOURNEY_FUNCTION_ROLE_NAME = `${PLATFORM_PREFIX}-pipeline-journey`;
