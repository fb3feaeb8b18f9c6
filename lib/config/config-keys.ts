import { DEFAULT_AI_MODEL_ID, retiredModelProblem } from '../../contracts/ai-models';
import { allowedReplacements, allowedReplacementsProblem } from './allowed-replacements';
import { cronProblem } from '../../contracts/cron';
import * as p from './parsers';
import { breakGlassKey, breakGlassKeys } from './production-guards';
import { AIR_GAPPED_MIN_RETENTION_DAYS } from '../../contracts/vault-lock';

/**
 * One config key: how to read it, what it accepts, its default and what it changes. Its name is
 * its path in the declarations below (`delivery.bakeTimeMinutes`), which is also its path in the
 * typed config the loader builds (`stage.delivery.bakeTimeMinutes`).
 */
export interface KeySpec<T> {
  readonly kind: 'key';
  readonly parse: p.Parser<T>;
  /** What is accepted, as shown in error messages and the config reference. */
  readonly accepted: string;
  /** What the key changes. */
  readonly description: string;
  /** Whether the key must be set; otherwise `default` applies. */
  readonly required: boolean;
  /** Value of an unset key that is not required. */
  readonly default?: T;
  /** Why a rejected value is wrong, beyond `accepted` (the bad field of a cron expression, say). */
  readonly explain?: (raw: unknown) => string | undefined;
  /** How the config reference shows the default when it is `undefined`; @default "off" */
  readonly defaultText?: string;
}

/** A group of keys under a common prefix (`alarms.*`). */
export interface GroupSpec<K extends Declarations> {
  readonly kind: 'group';
  readonly keys: K;
}

/**
 * A group that exists only while its `enabled` key is true (`backup.enabled`). While it is false the
 * group's value is `undefined` and its other keys are not read.
 */
export interface SwitchedGroupSpec<K extends Declarations> {
  readonly kind: 'switched';
  readonly keys: K;
}

/** Declarations of one scope: keys and groups by name. */
export interface Declarations {
  readonly [name: string]: KeySpec<any> | GroupSpec<any> | SwitchedGroupSpec<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

type Setting<S> =
  S extends KeySpec<infer T>
    ? T
    : S extends SwitchedGroupSpec<infer K>
      ? Omit<Settings<K>, 'enabled'> | undefined
      : S extends GroupSpec<infer K>
        ? Settings<K>
        : never;

/** The typed values of a scope, derived from its declarations. */
export type Settings<D> = { readonly [P in keyof D]: Setting<D[P]> };

/** A key that must be set. */
function required<T>(
  parse: p.Parser<T>,
  accepted: string,
  description: string,
  explain?: (raw: unknown) => string | undefined,
): KeySpec<T> {
  return { kind: 'key', parse, accepted, description, required: true, explain };
}

/** A key with a default. */
function optional<T>(
  parse: p.Parser<T>,
  defaultValue: T,
  accepted: string,
  description: string,
  explain?: (raw: unknown) => string | undefined,
): KeySpec<T> {
  return { kind: 'key', parse, accepted, description, required: false, default: defaultValue, explain };
}

function group<K extends Declarations>(keys: K): GroupSpec<K> {
  return { kind: 'group', keys };
}

function switched<K extends Declarations>(
  enabled: string,
  keys: K,
): SwitchedGroupSpec<K & { enabled: KeySpec<boolean> }> {
  return { kind: 'switched', keys: { enabled: optional(p.bool, false, 'true or false', enabled), ...keys } };
}

/** CodeDeploy's predefined Lambda deployment configs (codedeploy.LambdaDeploymentConfig), by name. */
export const DEPLOYMENT_CONFIGS = [
  'ALL_AT_ONCE',
  'CANARY_10PERCENT_5MINUTES',
  'CANARY_10PERCENT_10MINUTES',
  'CANARY_10PERCENT_15MINUTES',
  'CANARY_10PERCENT_30MINUTES',
  'LINEAR_10PERCENT_EVERY_1MINUTE',
  'LINEAR_10PERCENT_EVERY_2MINUTES',
  'LINEAR_10PERCENT_EVERY_3MINUTES',
  'LINEAR_10PERCENT_EVERY_10MINUTES',
] as const;

const EMAILS = 'a list of e-mail addresses: a JSON array, or comma-separated with -c (may be empty)';
/** Memory Lambda accepts, in MB (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). */
const MEMORY = 'a whole number of MB from 128 to 10240';
const memoryMb = (defaultMb: number, what: string) =>
  optional(
    p.int(128, 10240),
    defaultMb,
    MEMORY,
    `Memory of ${what}, in MB; Lambda gives CPU in proportion to it. Raise it when the dashboard shows the function near its timeout.`,
  );
/** A Claude model id that Anthropic has not retired (contracts/ai-models.ts). */
const aiModelId: p.Parser<string> = (raw) => {
  const id = p.matching(/^[a-z0-9][a-z0-9.-]*$/)(raw);
  return id !== p.INVALID && retiredModelProblem(id) === undefined ? id : p.INVALID;
};
const wholeNumber = (min: number, max: number, unit = '') =>
  `a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max}`;

/** Keys of the pipeline (tooling) account, the Git source and the promotion order, read as `pipeline.<key>`. */
export const PIPELINE_KEYS = {
  account: required(
    p.accountId,
    'a 12-digit AWS account id',
    'Tooling account that hosts the pipeline; no stage may deploy to it.',
  ),
  region: optional(p.region, 'eu-west-2', 'a known AWS region such as eu-west-2', 'Region of the pipeline.'),
  repository: required(p.repository, 'a Git repository in owner/name form', 'Repository the pipeline watches.'),
  branch: optional(p.branch, 'main', 'a Git branch name such as main', 'Branch whose pushes trigger the pipeline.'),
  connectionArn: required(
    p.connectionArn,
    'arn:aws:codeconnections:<region>:<12-digit account>:connection/<uuid>',
    'CodeConnections connection to the Git host (create it and complete its handshake first).',
  ),
  notificationEmails: optional(
    p.emailList,
    [],
    EMAILS,
    'Subscribed to pipeline notifications: failures, approvals needed, successes.',
  ),
  stages: optional(
    p.listOf(p.stageName, { nonEmpty: true, distinct: true }),
    ['dev', 'staging', 'prod'],
    'a non-empty list of distinct stage names (lower case, a letter first, at most 12 characters), in promotion order',
    'The stages a push is promoted through, in order. Each stage reads its own keys as `<stage>.<key>`.',
  ),
  logRetentionDays: optional(
    p.intIn(p.LOG_RETENTION_DAYS),
    365,
    `one of ${p.LOG_RETENTION_DAYS.join(', ')}`,
    "Retention of the pipeline's build logs (every CodeBuild project of the pipeline).",
  ),
  auditLogRetentionDays: optional(
    p.intIn(p.LOG_RETENTION_DAYS),
    365,
    `one of ${p.LOG_RETENTION_DAYS.join(', ')}`,
    "Days the tooling account's CloudTrail log files are kept, in COMPLIANCE-mode S3 Object Lock for all of that time: nobody in the tooling account can delete them sooner.",
  ),
  allowSharedStageAccounts: optional(
    p.bool,
    false,
    'true or false',
    'Let two stages deploy to the same account (in different regions or not). Off: every stage has its own account, as AWS recommends.',
  ),
  breakGlass: group({
    noProductionStage: breakGlassKey(
      'Break-glass: lets pipeline.stages go without a production stage (none has `<stage>.production` true), so no production guard applies. Synth prints it as a warning.',
    ),
  }),
} as const satisfies Declarations;

/** Keys of one stage, read as `<stage>.<key>` for each stage of `pipeline.stages`. */
export const STAGE_KEYS = {
  production: optional(
    p.bool,
    false,
    'true or false',
    'The stage serves users: it keeps every production guard (approval, retained data, termination protection, window, ' +
      'rollback, bake, checks, compliance-mode Vault Lock, an isolated backup copy, SES e-mail, drift fails the review; docs/delivery-gates.md), each weakened only with `<stage>.breakGlass.<guard>`; ' +
      "and the pipeline's self-mutation step refuses a new pipeline that weakens its pipeline gates unless the break-glass parameter allows it.",
  ),
  breakGlass: group(breakGlassKeys()),
  account: required(p.accountId, 'a 12-digit AWS account id', 'Account the stage deploys to.'),
  region: optional(p.region, 'eu-west-2', 'a known AWS region such as eu-west-2', 'Primary region of the stage.'),
  drRegion: optional(
    p.region,
    'eu-west-1',
    'a known AWS region other than the primary region',
    'Region that holds backup copies.',
  ),
  alertEmails: optional(p.emailList, [], EMAILS, "Subscribed to the stage's critical and warning alert topics."),
  logRetentionDays: optional(
    p.intIn(p.LOG_RETENTION_DAYS),
    30,
    `one of ${p.LOG_RETENTION_DAYS.join(', ')}`,
    'Retention of every log group of the stage.',
  ),
  workflowLogging: optional(
    p.oneOf(['errors', 'all-with-data'] as const),
    'errors',
    'errors or all-with-data',
    'What the AI workflow logs: errors only, without execution data; or every event with its input and output, which hold personal data (for dev).',
  ),
  api: group({
    throttleRateLimit: optional(
      p.int(1, 10000),
      100,
      wholeNumber(1, 10000),
      'API Gateway steady-state requests per second.',
    ),
    throttleBurstLimit: optional(p.int(1, 5000), 200, wholeNumber(1, 5000), 'API Gateway burst requests.'),
  }),
  waf: switched('Regional WebACL on the API and a CloudFront WebACL (us-east-1) on the distribution.', {
    rateLimit: optional(
      p.int(100, 2000000000),
      2000,
      wholeNumber(100, 2000000000),
      'Requests per IP per 5 minutes before WAF blocks it.',
    ),
  }),
  frontend: group({
    requireCustomDomain: optional(
      p.bool,
      false,
      'true or false',
      'Refuse to synthesize the stage unless frontend.customDomain is set: the default *.cloudfront.net certificate accepts TLS 1.0.',
    ),
    customDomain: switched(
      'Serve the web app on its own domain with an ACM certificate and a TLS 1.2 (2021) minimum; off: *.cloudfront.net.',
      {
        domainName: required(
          p.domainName,
          'a lower-case DNS name such as app.example.com',
          'Domain name the distribution answers on (an alias; point DNS at the distribution).',
        ),
        certificateArn: required(
          p.cloudFrontCertificateArn,
          'arn:aws:acm:us-east-1:<12-digit account>:certificate/<uuid> (CloudFront takes certificates from us-east-1 only)',
          'ACM certificate of domainName, in us-east-1 of the stage account.',
        ),
      },
    ),
  }),
  ai: group({
    modelId: optional(
      aiModelId,
      DEFAULT_AI_MODEL_ID,
      `a Claude API model id Anthropic has not retired, such as ${DEFAULT_AI_MODEL_ID} (retired ids: contracts/ai-models.ts)`,
      "Claude model the AI workflow's agents (project scoping, quote estimation) call; their pre-traffic probe asks Anthropic's Models API for it before a release gets traffic.",
      (raw) => (typeof raw === 'string' ? retiredModelProblem(raw.trim()) : undefined),
    ),
  }),
  memoryMb: group({
    health: memoryMb(256, 'the health endpoint (GET /health)'),
    projectsApi: memoryMb(256, 'the projects API'),
    projectScoping: memoryMb(512, 'the project scoping agent'),
    quoteEstimation: memoryMb(512, 'the quote estimation agent'),
    notify: memoryMb(256, 'the notify function'),
  }),
  email: group({
    ses: switched(
      "Cognito sends the user pool's e-mail (sign-up codes, password resets) through Amazon SES in the stage's account and region; " +
        "off: Cognito's own sender, which allows only a limited number of e-mails a day, below production volume.",
      {
        fromAddress: required(
          p.email,
          'an e-mail address such as no-reply@example.com',
          'Sender of the user pool e-mail: a verified SES identity in the stage account and region, or an address of verifiedDomain.',
        ),
        verifiedDomain: optional(
          p.offOr(p.domainName),
          undefined,
          '"off" (fromAddress itself is the verified identity) or the verified SES domain of fromAddress, such as example.com',
          'SES domain identity that covers fromAddress (Cognito sends as that domain identity).',
        ),
      },
    ),
  }),
  alarms: group({
    api5xxPercent: optional(
      p.decimal(0.1, 100),
      5,
      'a number from 0.1 to 100',
      'Percent of API 5xx answers over 5 minutes that raises a critical alarm.',
    ),
    apiLatencyP99Ms: optional(
      p.int(50, 29000),
      3000,
      wholeNumber(50, 29000),
      'API p99 latency (ms) that raises a warning alarm.',
    ),
    lambdaErrors: optional(
      p.int(1, 100000),
      5,
      wholeNumber(1, 100000),
      'Errors of one function over 5 minutes that raise a critical alarm.',
    ),
    dynamoThrottles: optional(
      p.int(1, 100000),
      10,
      wholeNumber(1, 100000),
      'Throttled requests of one table over 5 minutes that raise a warning alarm.',
    ),
    workflowFailures: optional(
      p.int(1, 100000),
      1,
      wholeNumber(1, 100000),
      'Failed AI workflow executions over 5 minutes that raise a critical alarm.',
    ),
  }),
  delivery: group({
    manualApproval: optional(
      p.bool,
      false,
      'true or false',
      'A person must click Approve in the CodePipeline console, in an approval stage of its own before the stage; a rejection stops the execution without touching the stage.',
    ),
    bakeTimeMinutes: optional(
      p.int(0, 120),
      0,
      'a whole number of minutes from 0 (off) to 120',
      "After the stage's health check, how long its Bake action proves the stage-unhealthy alarm stays out of ALARM; an alarm in that time fails the stage (rolled back with rollbackOnFailure).",
    ),
    rollbackOnFailure: optional(
      p.bool,
      false,
      'true or false',
      'Roll the stage back to its last successful pipeline execution when its deploy, checks or bake fail.',
    ),
    terminationProtection: optional(
      p.bool,
      false,
      'true or false',
      'CloudFormation termination protection on every stack of the stage, turned on by a pipeline step after each deploy; the health check fails on an unprotected stack.',
    ),
    window: switched('Hold executions outside a deployment window before the stage deploys.', {
      cron: required(
        p.deploymentWindowCron,
        'a CodePipeline DeploymentWindow cron (seconds field *) such as "* * 9-15 ? * MON-THU"',
        'When the stage may start deploying; outside it the stage does not start.',
        (raw) => (typeof raw === 'string' ? cronProblem(raw) : undefined),
      ),
      timeZone: optional(
        p.timeZone,
        'Europe/London',
        'an IANA time zone such as Europe/London',
        "Time zone the window's cron is read in.",
      ),
    }),
  }),
  changeReview: group({
    allowReplace: optional(
      allowedReplacements,
      [],
      'a JSON list of { "logicalId": "<LogicalId>" or "<StackName>/<LogicalId>", "reason": "<at least 10 characters>" }',
      'Retained resources the change review lets through although they would be replaced or removed; each reason is shown in the report.',
      allowedReplacementsProblem,
    ),
    failOnDrift: optional(
      p.bool,
      false,
      'true or false',
      'Fail the change review before the approval when a stack of the stage has drifted; false shows drift in the report only.',
    ),
  }),
  release: group({
    deploymentConfig: optional(
      p.oneOf(DEPLOYMENT_CONFIGS),
      'ALL_AT_ONCE',
      `one of ${DEPLOYMENT_CONFIGS.join(', ')}`,
      "How CodeDeploy shifts each API and workflow function's `live` alias to a new version; it rolls the alias back when a release alarm fires.",
    ),
    maxErrors: optional(
      p.int(1, 100000),
      1,
      wholeNumber(1, 100000),
      'Errors of one function in one minute that fire its release alarm (CodeDeploy rolls back while a deployment runs).',
    ),
    apiLatencyP99Ms: optional(
      p.int(50, 29000),
      3000,
      wholeNumber(50, 29000),
      'p99 duration (ms) over one minute of an API function (health endpoint, projects API) that fires its release latency alarm.',
    ),
    workerLatencyP99Ms: optional(
      p.int(50, 900000),
      45000,
      wholeNumber(50, 900000),
      'p99 duration (ms) over one minute of a workflow function (project scoping, quote estimation, notify) that fires its release latency alarm.',
    ),
  }),
  synthetics: switched(
    "CloudWatch Synthetics canary calling the API's /health, one read-only route and the frontend; needs monitoring full.",
    {
      scheduleMinutes: optional(p.int(1, 60), 1, wholeNumber(1, 60, 'minutes'), 'Minutes between two canary runs.'),
    },
  ),
  journey: switched(
    'Acceptance journey after the health check: a synthetic user signs in, creates a project through the public API, ' +
      'follows it to a stored quote and removes everything it made (docs/post-deploy-checks.md); off: no Journey action and no journey role.',
    {
      timeoutMinutes: optional(
        p.int(1, 60),
        10,
        wholeNumber(1, 60, 'minutes'),
        'How long the journey may wait for the workflow to store the quote; past it the journey fails naming its step and cleans up.',
      ),
      readOnly: optional(
        p.bool,
        false,
        'true or false',
        'Run only the read-only part (the public API refuses unauthenticated calls): no user, project or quote is created, and the journey role may only read the stage stacks. A production stage must set it (production guard journeyReadOnly).',
      ),
    },
  ),
  backup: switched('AWS Backup plan, cross-region copy, restore testing and the DR check; off keeps PITR only.', {
    dailyRetentionDays: optional(
      p.int(1, 36500),
      30,
      wholeNumber(1, 36500, 'days'),
      'Days a daily recovery point is kept.',
    ),
    weeklyRetentionDays: optional(
      p.int(1, 36500),
      365,
      wholeNumber(1, 36500, 'days'),
      'Days a weekly recovery point is kept.',
    ),
    weeklyColdStorageAfterDays: optional(
      p.int(0, 36500),
      7,
      'a whole number of days, 0 (never) or at least 1, with weekly retention at least 90 days more',
      'Days after which a weekly recovery point moves to cold storage.',
    ),
    restoreTesting: optional(
      p.bool,
      true,
      'true or false',
      'Monthly AWS Backup restore testing of the tables, validated by a function.',
    ),
    vaultLock: optional(
      p.oneOf(['off', 'governance', 'compliance'] as const),
      'off',
      'off, governance or compliance',
      'AWS Backup Vault Lock on the primary and the DR vault, with the shortest and longest rule retention as minimum and maximum: ' +
        'governance can be removed by a principal allowed to, compliance becomes immutable after a 3-day cooling-off period ' +
        '(docs/runbook.md, Vault Lock and the isolated copy). The DR check verifies it.',
    ),
    isolatedCopy: switched(
      'Copy every recovery point also to a logically air-gapped vault in the DR region: compliance-locked by AWS, encrypted with an ' +
        "AWS-owned key, out of reach of the account's administrators; restored through AWS RAM sharing (docs/runbook.md). The DR check verifies it.",
      {
        minRetentionDays: optional(
          p.int(AIR_GAPPED_MIN_RETENTION_DAYS, 36500),
          30,
          `a whole number of days from ${AIR_GAPPED_MIN_RETENTION_DAYS} to 36500, at most the shortest rule retention`,
          'Minimum retention of the isolated vault: a copy kept shorter is refused (no copy in it can be deleted before its retention ends). Fixed when the vault is created.',
        ),
        maxRetentionDays: optional(
          p.int(AIR_GAPPED_MIN_RETENTION_DAYS, 36500),
          365,
          `a whole number of days from ${AIR_GAPPED_MIN_RETENTION_DAYS} to 36500, at least the longest rule retention`,
          'Maximum retention of the isolated vault: a copy kept longer is refused. Fixed when the vault is created.',
        ),
        copyDelayHours: optional(
          p.int(0, 168),
          12,
          wholeNumber(0, 168, 'hours'),
          'Hours a copy may take to reach the isolated vault after its backup; the DR check allows the isolated copies backup.dr.recoveryPointMaxAgeHours plus this.',
        ),
      },
    ),
    dr: group({
      recoveryPointMaxAgeHours: optional(
        p.int(1, 720),
        26,
        "a whole number of hours from 1 to 720, and at least the daily schedule's interval plus its windows",
        "The DR check fails when a resource's newest recovery point is older than this.",
      ),
      newStageGraceHours: optional(
        p.int(0, 720),
        48,
        wholeNumber(0, 720, 'hours'),
        "After a stage's first deploy, how long a missing recovery point is reported but not failed.",
      ),
      restoreJobMaxAgeDays: optional(
        p.offOr(p.int(1, 365)),
        undefined,
        '"off" (not required) or a whole number of days from 1 to 365',
        'The DR check fails unless a restore job of the restore testing plan succeeded within this many days.',
      ),
    }),
  }),
  cloudTrail: optional(
    p.bool,
    false,
    'true or false',
    'Multi-region CloudTrail with log file validation (Audit stack).',
  ),
  provisionedConcurrency: optional(
    p.int(0, 100),
    0,
    'a whole number from 0 (off) to 100',
    'Provisioned concurrency of the latency-critical functions (health endpoint, API handlers).',
  ),
  monitoring: optional(
    p.oneOf(['basic', 'full'] as const),
    'basic',
    'basic or full',
    'basic: a few critical alarms; full: the whole alarm set.',
  ),
  retainData: optional(
    p.bool,
    true,
    'true or false',
    'Retain stateful resources when their stack is deleted or they are replaced.',
  ),
  mfa: optional(
    p.oneOf(['optional', 'required'] as const),
    'optional',
    'optional or required',
    'Cognito MFA (TOTP) for users.',
  ),
  threatProtection: optional(
    p.bool,
    false,
    'true or false',
    'Cognito threat protection (compromised credentials, adaptive authentication), enforced; needs the Plus feature plan, billed per active user.',
  ),
  tableBillingMode: optional(
    p.oneOf(['PAY_PER_REQUEST', 'PROVISIONED'] as const),
    'PAY_PER_REQUEST',
    'PAY_PER_REQUEST or PROVISIONED',
    'DynamoDB billing mode (PROVISIONED uses auto-scaling from 5 to 100 units).',
  ),
} as const satisfies Declarations;

/** Keys of the safety gates, read as `gates.<key>`. */
export const GATE_KEYS = {
  controlTower: optional(
    p.bool,
    false,
    'true or false',
    "Run the Control Tower controls (cfn-guard) in `cdk synth` too; `npm test` and the pipeline's build always run them.",
  ),
  cfnValidation: optional(
    p.bool,
    false,
    'true or false',
    "Run CDK's built-in CloudFormation validation in `cdk synth`; the pipeline's build runs it once, over the assembly it deploys.",
  ),
} as const satisfies Declarations;
