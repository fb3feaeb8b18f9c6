import { ConfigError } from './config-error';
import { ConfigKey, PIPELINE_KEYS, STAGE_KEYS } from './config-keys';
import { AppConfig, BackupPolicy, PipelineConfig, STAGE_NAMES, StageConfig, StageName } from './stage-config';

/** Looks up one raw config value by key (in the app: `app.node.tryGetContext`). */
export type ConfigSource = (key: string) => unknown;

type Parsed<K extends Record<string, ConfigKey>> = { [P in keyof K]: K[P] extends ConfigKey<infer T> ? T : never };

function show(raw: unknown): string {
  return JSON.stringify(raw) ?? String(raw);
}

/** Reads every key of `keys` under `prefix`, recording one problem per missing or bad value. */
function readKeys<K extends Record<string, ConfigKey>>(source: ConfigSource, prefix: string, keys: K, problems: string[]): Parsed<K> {
  const out: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(keys)) {
    const name = `${prefix}.${spec.name}`;
    const raw = source(name);
    if (raw === undefined || raw === null) {
      problems.push(`${name} is missing: expected ${spec.accepted}.`);
      continue;
    }
    const value = spec.parse(raw);
    if (value === undefined) problems.push(`${name} = ${show(raw)} is not valid: expected ${spec.accepted}.`);
    out[field] = value;
  }
  return out as Parsed<K>;
}

function readPipeline(source: ConfigSource, problems: string[]): PipelineConfig {
  const v = readKeys(source, 'pipeline', PIPELINE_KEYS, problems);
  return {
    account: v.account,
    region: v.region,
    repository: v.repository,
    branch: v.branch,
    connectionArn: v.connectionArn,
    notificationEmails: v.notificationEmails,
    prodDeploymentWindow: v.prodDeploymentWindow === 'off' ? undefined : { cron: v.prodDeploymentWindow, timeZone: v.prodDeploymentWindowTimeZone },
    rollbackProdOnFailure: v.rollbackProdOnFailure,
  };
}

function readStage(source: ConfigSource, name: StageName, problems: string[]): StageConfig {
  const v = readKeys(source, name, STAGE_KEYS, problems);
  if (v.region !== undefined && v.region === v.drRegion) {
    problems.push(`${name}.drRegion = "${v.drRegion}" is not valid: expected a region other than ${name}.region ("${v.region}").`);
  }
  const cold = v['backup.weeklyColdStorageAfterDays'];
  const weekly = v['backup.weeklyRetentionDays'];
  if (cold !== undefined && weekly !== undefined && cold > 0 && weekly < cold + 90) {
    problems.push(
      `${name}.backup.weeklyRetentionDays = ${weekly} is not valid: AWS Backup keeps a cold recovery point at least 90 days, ` +
      `so with ${name}.backup.weeklyColdStorageAfterDays = ${cold} it must be at least ${cold + 90}.`,
    );
  }
  const backup: BackupPolicy | undefined = v.backup
    ? {
      dailyRetentionDays: v['backup.dailyRetentionDays'],
      weeklyRetentionDays: weekly,
      weeklyColdStorageAfterDays: cold,
      recoveryPointMaxAgeHours: v['backup.recoveryPointMaxAgeHours'],
      newStageGraceHours: v['backup.newStageGraceHours'],
      restoreTesting: v['backup.restoreTesting'],
      restoreJobMaxAgeDays: v['backup.restoreJobMaxAgeDays'],
    }
    : undefined;
  return {
    name,
    displayName: name.charAt(0).toUpperCase() + name.slice(1),
    account: v.account,
    region: v.region,
    drRegion: v.drRegion,
    alertEmails: v.alertEmails,
    logRetentionDays: v.logRetentionDays,
    apiThrottleRateLimit: v.apiThrottleRateLimit,
    apiThrottleBurstLimit: v.apiThrottleBurstLimit,
    wafRateLimit: v.wafRateLimit,
    alarms: {
      api5xxPercent: v['alarm.api5xxPercent'],
      apiLatencyP99Ms: v['alarm.apiLatencyP99Ms'],
      lambdaErrors: v['alarm.lambdaErrors'],
      dynamoThrottles: v['alarm.dynamoThrottles'],
      workflowFailures: v['alarm.workflowFailures'],
    },
    manualApproval: v.manualApproval,
    bakeTimeMinutes: v.bakeTimeMinutes,
    features: {
      waf: v.waf,
      cloudTrail: v.cloudTrail,
      backup,
      provisionedConcurrency: v.provisionedConcurrency,
      monitoring: v.monitoring,
      retainData: v.retainData,
      terminationProtection: v.terminationProtection,
      mfa: v.mfa,
      threatProtection: v.threatProtection,
      tableBillingMode: v.tableBillingMode,
    },
  };
}

/**
 * Reads and validates the whole app configuration.
 *
 * @throws ConfigError listing every missing or invalid key, with its value and what is accepted.
 */
export function loadConfig(source: ConfigSource): AppConfig {
  const problems: string[] = [];
  const pipeline = readPipeline(source, problems);
  const stages = STAGE_NAMES.map((name) => readStage(source, name, problems));

  const seen = new Map<string, StageName>();
  for (const stage of stages) {
    const where = `${stage.account}/${stage.region}`;
    const other = seen.get(where);
    if (stage.account !== undefined && other !== undefined) {
      problems.push(
        `${stage.name}.account = "${stage.account}" is not valid: ${other} already deploys to account ${stage.account} in ${stage.region}; ` +
        'expected each stage in its own account or region.',
      );
    }
    seen.set(where, stage.name);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return { pipeline, stages };
}

/** Every config key with its scope, for the config reference and tests. */
export function allConfigKeys(): { name: string; spec: ConfigKey }[] {
  return [
    ...Object.values(PIPELINE_KEYS).map((spec) => ({ name: `pipeline.${spec.name}`, spec: spec as ConfigKey })),
    ...Object.values(STAGE_KEYS).map((spec) => ({ name: `<stage>.${spec.name}`, spec: spec as ConfigKey })),
  ];
}
