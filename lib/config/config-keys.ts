import * as p from './parsers';

/** One config key: how to read it, what it accepts and what it changes. */
export interface ConfigKey<T = unknown> {
  /** Key name; stage keys are prefixed with the stage name (`prod.account`). */
  readonly name: string;
  /** What is accepted, as shown in error messages and the config reference. */
  readonly accepted: string;
  /** What the key changes. */
  readonly description: string;
  readonly parse: p.Parser<T>;
}

function key<T>(name: string, parse: p.Parser<T>, accepted: string, description: string): ConfigKey<T> {
  return { name, parse, accepted, description };
}

/** Keys of the pipeline (tooling) account and Git source, read as `pipeline.<key>`. */
export const PIPELINE_KEYS = {
  account: key('account', p.accountId, 'a 12-digit AWS account id', 'Tooling account that hosts the pipeline.'),
  region: key('region', p.region, 'a known AWS region such as eu-west-2', 'Region of the pipeline.'),
  repository: key('repository', p.repository, 'a Git repository in owner/name form', 'Repository the pipeline watches.'),
  branch: key('branch', p.branch, 'a Git branch name such as main', 'Branch whose pushes trigger the pipeline.'),
  connectionArn: key(
    'connectionArn', p.connectionArn,
    'arn:aws:codeconnections:<region>:<12-digit account>:connection/<uuid>',
    'CodeConnections connection to the Git host (create it and complete its handshake first).',
  ),
  notificationEmails: key(
    'notificationEmails', p.emailList, 'a list of e-mail addresses (JSON array or comma-separated; may be empty)',
    'Subscribed to pipeline notifications: failures, successes, approvals needed.',
  ),
  prodDeploymentWindow: key(
    'prodDeploymentWindow', p.cronOrOff, '"off" or a CodePipeline cron (seconds field *) such as "* * 9-15 ? * MON-THU"',
    'Hours in which Prod may start deploying; outside them the Prod stage waits.',
  ),
  prodDeploymentWindowTimeZone: key(
    'prodDeploymentWindowTimeZone', p.timeZone, 'an IANA time zone such as Europe/London',
    'Time zone the deployment window cron is read in.',
  ),
  rollbackProdOnFailure: key(
    'rollbackProdOnFailure', p.bool, 'true or false',
    'Roll Prod back to the last successful pipeline execution when its deploy or checks fail.',
  ),
} as const;

/** Keys of one stage, read as `<stage>.<key>` for each of dev, staging and prod. */
export const STAGE_KEYS = {
  account: key('account', p.accountId, 'a 12-digit AWS account id', 'Account the stage deploys to.'),
  region: key('region', p.region, 'a known AWS region such as eu-west-2', 'Primary region of the stage.'),
  drRegion: key('drRegion', p.region, 'a known AWS region other than the primary region', 'Region that holds backup copies.'),
  alertEmails: key(
    'alertEmails', p.emailList, 'a list of e-mail addresses (JSON array or comma-separated; may be empty)',
    'Subscribed to the stage\'s critical and warning alert topics.',
  ),
  logRetentionDays: key(
    'logRetentionDays', p.intIn(p.LOG_RETENTION_DAYS), `one of ${p.LOG_RETENTION_DAYS.join(', ')}`,
    'Retention of every log group of the stage.',
  ),
  apiThrottleRateLimit: key('apiThrottleRateLimit', p.int(1, 10000), 'a whole number from 1 to 10000', 'API Gateway steady-state requests per second.'),
  apiThrottleBurstLimit: key('apiThrottleBurstLimit', p.int(1, 5000), 'a whole number from 1 to 5000', 'API Gateway burst requests.'),
  wafRateLimit: key('wafRateLimit', p.int(100, 2000000000), 'a whole number from 100 to 2000000000', 'Requests per IP per 5 minutes before WAF blocks it.'),
  'alarm.api5xxPercent': key('alarm.api5xxPercent', p.decimal(0.1, 100), 'a number from 0.1 to 100', 'Percent of API 5xx answers over 5 minutes that raises a critical alarm.'),
  'alarm.apiLatencyP99Ms': key('alarm.apiLatencyP99Ms', p.int(50, 29000), 'a whole number from 50 to 29000', 'API p99 latency (ms) that raises a warning alarm.'),
  'alarm.lambdaErrors': key('alarm.lambdaErrors', p.int(1, 100000), 'a whole number from 1 to 100000', 'Errors of one function over 5 minutes that raise a critical alarm.'),
  'alarm.dynamoThrottles': key('alarm.dynamoThrottles', p.int(1, 100000), 'a whole number from 1 to 100000', 'Throttled requests of one table over 5 minutes that raise a warning alarm.'),
  'alarm.workflowFailures': key('alarm.workflowFailures', p.int(1, 100000), 'a whole number from 1 to 100000', 'Failed AI workflow executions over 5 minutes that raise a critical alarm.'),
  bakeTimeMinutes: key(
    'bakeTimeMinutes', p.int(0, 120), 'a whole number of minutes from 0 (off) to 120',
    'After a successful deploy, how long the pipeline watches the stage-unhealthy alarm and rolls back if it fires.',
  ),
  manualApproval: key(
    'manualApproval', p.bool, 'true or false',
    'A person must click Approve in the CodePipeline console before the stage deploys.',
  ),
  waf: key('waf', p.bool, 'true or false', 'Regional WebACL on the API and a CloudFront WebACL (us-east-1) on the distribution.'),
  cloudTrail: key('cloudTrail', p.bool, 'true or false', 'Multi-region CloudTrail with log file validation (Audit stack).'),
  backup: key('backup', p.bool, 'true or false', 'AWS Backup plan, cross-region copy, restore testing and the DR check; false keeps PITR only.'),
  provisionedConcurrency: key(
    'provisionedConcurrency', p.int(0, 100), 'a whole number from 0 (off) to 100',
    'Provisioned concurrency of the latency-critical functions (health, API handlers).',
  ),
  monitoring: key('monitoring', p.oneOf(['basic', 'full'] as const), 'basic or full', 'basic: a few critical alarms; full: the whole alarm set.'),
  retainData: key('retainData', p.bool, 'true or false', 'Retain stateful resources when their stack is deleted or they are replaced.'),
  terminationProtection: key('terminationProtection', p.bool, 'true or false', 'CloudFormation termination protection on every stack of the stage.'),
  mfa: key('mfa', p.oneOf(['optional', 'required'] as const), 'optional or required', 'Cognito MFA (TOTP) for users.'),
  threatProtection: key(
    'threatProtection', p.bool, 'true or false',
    'Cognito threat protection (compromised credentials, adaptive authentication), enforced; needs the Plus feature plan, billed per active user.',
  ),
  tableBillingMode: key(
    'tableBillingMode', p.oneOf(['PAY_PER_REQUEST', 'PROVISIONED'] as const), 'PAY_PER_REQUEST or PROVISIONED',
    'DynamoDB billing mode (PROVISIONED uses auto-scaling from 5 to 100 units).',
  ),
  'backup.dailyRetentionDays': key('backup.dailyRetentionDays', p.int(1, 36500), 'a whole number of days from 1 to 36500', 'Days a daily recovery point is kept.'),
  'backup.weeklyRetentionDays': key('backup.weeklyRetentionDays', p.int(1, 36500), 'a whole number of days from 1 to 36500', 'Days a weekly recovery point is kept.'),
  'backup.weeklyColdStorageAfterDays': key(
    'backup.weeklyColdStorageAfterDays', p.int(0, 36500), 'a whole number of days, 0 (never) or at least 1, with retention at least 90 days more',
    'Days after which a weekly recovery point moves to cold storage.',
  ),
  'backup.recoveryPointMaxAgeHours': key(
    'backup.recoveryPointMaxAgeHours', p.int(1, 720), 'a whole number of hours from 1 to 720',
    'The DR check fails when a resource\'s newest recovery point is older than this.',
  ),
  'backup.newStageGraceHours': key(
    'backup.newStageGraceHours', p.int(0, 720), 'a whole number of hours from 0 to 720',
    'After a stage\'s first deploy, how long a missing recovery point is reported but not failed.',
  ),
  'backup.restoreTesting': key('backup.restoreTesting', p.bool, 'true or false', 'Monthly AWS Backup restore testing of the tables, validated by a function.'),
  'backup.restoreJobMaxAgeDays': key(
    'backup.restoreJobMaxAgeDays', p.int(0, 365), 'a whole number of days from 0 (not required) to 365',
    'The DR check fails unless a restore job of the restore testing plan succeeded within this many days.',
  ),
} as const;
