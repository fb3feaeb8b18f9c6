import { ContextProvider } from 'aws-cdk-lib/cloud-assembly-schema';
import { BACKUP_SCHEDULE, MIN_RECOVERY_POINT_MAX_AGE_HOURS } from './backup-schedule';
import { ConfigError } from './config-error';
import { GATE_KEYS, PIPELINE_KEYS, STAGE_KEYS } from './config-keys';
import { configWarnings } from './config-warnings';
import { productionGuardProblems } from './production-guards';
import type { DeclaredKey, RawConfig } from './read-keys';
import { declaredKeys, invalidKeys, isCdkContextKey, nearestKeys, orList, readScope } from './read-keys';
import type { AppConfig, PipelineConfig, StageConfig, StageName } from './stage-config';

/** Cross-key rules of one stage that no single key can state. */
function checkStage(stage: StageConfig, problems: string[]): void {
  const n = stage.name;
  if (stage.region === stage.drRegion) {
    problems.push(
      `${n}.drRegion = "${stage.drRegion}" is not valid: expected a region other than ${n}.region ("${stage.region}").`,
    );
  }
  if (stage.synthetics !== undefined && stage.monitoring !== 'full') {
    problems.push(
      `${n}.synthetics.enabled = true is not valid: ${n}.monitoring is "${stage.monitoring}", and the canary's alarm feeds the ` +
        `stage-unhealthy alarm only with the whole alarm set; expected ${n}.monitoring = "full" or ${n}.synthetics.enabled = false.`,
    );
  }
  const domain = stage.frontend.customDomain;
  if (stage.frontend.requireCustomDomain && domain === undefined) {
    problems.push(
      `${n}.frontend.customDomain.enabled = false is not valid: ${n}.frontend.requireCustomDomain is true, because CloudFront's default certificate accepts TLS 1.0; ` +
        `set ${n}.frontend.customDomain.enabled to true with ${n}.frontend.customDomain.domainName and ${n}.frontend.customDomain.certificateArn.`,
    );
  }
  // An invalid ARN was reported by its key already and reads as undefined.
  const certificateAccount =
    typeof domain?.certificateArn === 'string' ? domain.certificateArn.split(':')[4] : undefined;
  if (
    domain !== undefined &&
    certificateAccount !== undefined &&
    stage.account !== undefined &&
    certificateAccount !== stage.account
  ) {
    problems.push(
      `${n}.frontend.customDomain.certificateArn = "${domain.certificateArn}" is not valid: it is in account ${certificateAccount}; ` +
        `expected a certificate of the stage account ${stage.account} (${n}.account).`,
    );
  }
  const bake = stage.delivery.bakeTimeMinutes;
  if (stage.synthetics !== undefined && bake > 0 && stage.synthetics.scheduleMinutes > bake) {
    problems.push(
      `${n}.synthetics.scheduleMinutes = ${stage.synthetics.scheduleMinutes} is not valid: ${n}.delivery.bakeTimeMinutes is ${bake}, so a bake ` +
        `can end before the canary has run once and prove nothing about real requests; expected at most ${bake} (or a longer bake).`,
    );
  }
  const ses = stage.email.ses;
  if (ses?.verifiedDomain !== undefined && typeof ses.fromAddress === 'string') {
    const domain = ses.fromAddress.slice(ses.fromAddress.lastIndexOf('@') + 1).toLowerCase();
    // Cognito sends as the domain identity, so the address must be of that domain itself (CDK's UserPoolEmail.withSES checks the same).
    if (domain !== ses.verifiedDomain) {
      problems.push(
        `${n}.email.ses.fromAddress = "${ses.fromAddress}" is not valid: it is not an address of ${n}.email.ses.verifiedDomain ("${ses.verifiedDomain}"), ` +
          'and SES sends only from addresses its verified identity covers; expected an address @' +
          `${ses.verifiedDomain}, or ${n}.email.ses.verifiedDomain = "off" with the address itself verified.`,
      );
    }
  }
  const backup = stage.backup;
  if (backup === undefined) return;
  const cold = backup.weeklyColdStorageAfterDays;
  if (cold > 0 && backup.weeklyRetentionDays < cold + 90) {
    problems.push(
      `${n}.backup.weeklyRetentionDays = ${backup.weeklyRetentionDays} is not valid: AWS Backup keeps a cold recovery point at least 90 days, ` +
        `so with ${n}.backup.weeklyColdStorageAfterDays = ${cold} it must be at least ${cold + 90}.`,
    );
  }
  if (backup.dr.recoveryPointMaxAgeHours < MIN_RECOVERY_POINT_MAX_AGE_HOURS) {
    problems.push(
      `${n}.backup.dr.recoveryPointMaxAgeHours = ${backup.dr.recoveryPointMaxAgeHours} is not valid: the daily backup runs every 24 hours ` +
        `within a ${BACKUP_SCHEDULE.startWindowHours}-hour start window, so the newest recovery point can be ${MIN_RECOVERY_POINT_MAX_AGE_HOURS} hours old ` +
        `on a healthy stage; expected at least ${MIN_RECOVERY_POINT_MAX_AGE_HOURS}.`,
    );
  }
  const isolated = backup.isolatedCopy;
  if (isolated !== undefined) {
    // A copy whose retention is outside the air-gapped vault's bounds is refused by AWS Backup, and the bounds
    // cannot change once the vault exists (CloudFormation replaces it, which a vault holding copies refuses).
    const shortest = Math.min(backup.dailyRetentionDays, backup.weeklyRetentionDays);
    const longest = Math.max(backup.dailyRetentionDays, backup.weeklyRetentionDays);
    if (isolated.minRetentionDays > shortest) {
      problems.push(
        `${n}.backup.isolatedCopy.minRetentionDays = ${isolated.minRetentionDays} is not valid: the isolated vault would refuse the copies ` +
          `of a rule kept ${shortest} days (${n}.backup.dailyRetentionDays = ${backup.dailyRetentionDays}, ${n}.backup.weeklyRetentionDays = ` +
          `${backup.weeklyRetentionDays}); expected at most ${shortest}.`,
      );
    }
    if (isolated.maxRetentionDays < longest) {
      problems.push(
        `${n}.backup.isolatedCopy.maxRetentionDays = ${isolated.maxRetentionDays} is not valid: the isolated vault would refuse the copies ` +
          `of a rule kept ${longest} days (${n}.backup.dailyRetentionDays = ${backup.dailyRetentionDays}, ${n}.backup.weeklyRetentionDays = ` +
          `${backup.weeklyRetentionDays}); expected at least ${longest}.`,
      );
    }
  }
  if (backup.dr.restoreJobMaxAgeDays !== undefined && !backup.restoreTesting) {
    problems.push(
      `${n}.backup.dr.restoreJobMaxAgeDays = ${backup.dr.restoreJobMaxAgeDays} can never pass: ${n}.backup.restoreTesting is false, so no restore job runs; ` +
        `set it to "off" or turn restore testing on.`,
    );
  }
}

/** Rules across stages and the pipeline: accounts kept apart, one stage per account and region. */
function checkAccounts(pipeline: PipelineConfig, stages: readonly StageConfig[], problems: string[]): void {
  const byAccount = new Map<string, StageName>();
  const byEnvironment = new Map<string, StageName>();
  for (const stage of stages) {
    if (stage.account === undefined) continue;
    if (stage.account === pipeline.account) {
      problems.push(
        `${stage.name}.account = "${stage.account}" is not valid: it is the pipeline's own account (pipeline.account); ` +
          'expected a stage account apart from the tooling account.',
      );
    }
    const environment = `${stage.account}/${stage.region}`;
    const sameEnvironment = byEnvironment.get(environment);
    const sameAccount = byAccount.get(stage.account);
    if (sameEnvironment !== undefined) {
      problems.push(
        `${stage.name}.account = "${stage.account}" is not valid: ${sameEnvironment} already deploys to account ${stage.account} in ${stage.region}; ` +
          'expected each stage in its own account or region.',
      );
    } else if (sameAccount !== undefined && !pipeline.allowSharedStageAccounts) {
      problems.push(
        `${stage.name}.account = "${stage.account}" is not valid: ${sameAccount} already deploys to account ${stage.account}; ` +
          'expected each stage in its own account, or set pipeline.allowSharedStageAccounts to true to share it.',
      );
    }
    byEnvironment.set(environment, stage.name);
    byAccount.set(stage.account, stage.name);
  }
}

/**
 * The connection must belong to the pipeline's account: a CodeConnections connection is used through the
 * account's own `codeconnections:UseConnection` permission. Its region may differ: connections are global
 * resources, usable from every region
 * (https://docs.aws.amazon.com/dtconsole/latest/userguide/welcome-connections-how-it-works-global.html),
 * so another region is a warning, most often an ARN copied from the example config.
 */
function checkConnection(pipeline: PipelineConfig, problems: string[], warnings: string[]): void {
  // An invalid ARN was reported by its key already and reads as undefined.
  if (typeof pipeline.connectionArn !== 'string' || pipeline.account === undefined) return;
  const [, , , region, account] = pipeline.connectionArn.split(':');
  if (account !== pipeline.account) {
    problems.push(
      `pipeline.connectionArn = "${pipeline.connectionArn}" is not valid: it is a connection of account ${account}; ` +
        `expected a connection created in the pipeline's account ${pipeline.account} (pipeline.account), which the pipeline can use.`,
    );
  } else if (region !== pipeline.region) {
    warnings.push(
      `pipeline.connectionArn = "${pipeline.connectionArn}" was created in ${region}, not in the pipeline's region ${pipeline.region} (pipeline.region). ` +
        'A connection works from every region; if this ARN was copied from an example, create the connection in the pipeline account and put its ARN here.',
    );
  }
}

/** The stage keys whose default is a region, and what the stage uses each for. */
const REGION_KEYS = [
  { key: 'region', what: 'deploys to' },
  { key: 'drRegion', what: 'copies its backups to' },
] as const;

/**
 * A stage that leaves a region key unset while another stage sets it to another region is refused: a stage added as
 * `pipeline.stages` plus `<stage>.account` would otherwise deploy its data to the default region, where nobody chose
 * to put it and nobody bootstrapped the CDK. A stage that inherits the same region the others set explicitly is accepted.
 */
function checkInheritedRegions(raw: RawConfig, stages: readonly StageConfig[], problems: string[]): void {
  for (const { key, what } of REGION_KEYS) {
    const isSet = (s: StageConfig) => raw[`${s.name}.${key}`] !== undefined && raw[`${s.name}.${key}`] !== null;
    for (const stage of stages.filter((s) => !isSet(s))) {
      const others = stages.filter((s) => isSet(s) && s[key] !== stage[key]);
      if (others.length === 0) continue;
      const elsewhere = [...new Set(others.map((s) => s[key]))];
      problems.push(
        `${stage.name}.${key} is not set, so ${stage.name} ${what} the default "${stage[key]}", while ` +
          `${others.map((s) => `${s.name}.${key} = "${s[key]}"`).join(', ')}; set ${stage.name}.${key} explicitly ` +
          `(${orList(elsewhere.map((r) => `"${r}"`))} to join them, or "${stage[key]}" to keep the default).`,
      );
    }
  }
}

/** Every key the config may hold for these stages. */
function knownKeys(stages: readonly StageName[]): DeclaredKey[] {
  return [
    ...declaredKeys('pipeline', PIPELINE_KEYS),
    ...declaredKeys('gates', GATE_KEYS),
    ...stages.flatMap((stage) => declaredKeys(stage, STAGE_KEYS)),
  ];
}

/** The context providers whose lookups cdk.context.json caches under `<provider>:...` keys. */
const LOOKUP_PROVIDERS: readonly string[] = Object.values(ContextProvider);

/**
 * One problem per context key that is neither declared nor the CDK's own, whatever its shape (case, `_`,
 * `-`, digits, an unknown scope), naming the nearest declared key.
 */
function checkUnknownKeys(raw: RawConfig, stages: readonly StageName[], problems: string[]): void {
  const known = knownKeys(stages).map((k) => k.name);
  const knownSet = new Set(known);
  const scopes = ['pipeline', 'gates', ...stages];
  for (const key of Object.keys(raw)) {
    if (knownSet.has(key) || isCdkContextKey(key, LOOKUP_PROVIDERS)) continue;
    const suggestion = orList(nearestKeys(key, known));
    const dot = key.indexOf('.');
    const scope = dot < 0 ? key : key.slice(0, dot);
    if (scopes.includes(scope)) {
      problems.push(
        `${key} is not a known key: did you mean ${suggestion}? Every key is listed in docs/configuration.md.`,
      );
    } else if (scopes.some((s) => s.toLowerCase() === scope.toLowerCase())) {
      problems.push(`${key} is not a known key: did you mean ${suggestion}? Keys are case-sensitive.`);
    } else {
      problems.push(
        `${key} is not a known key: "${scope}" is not a stage of pipeline.stages (${stages.join(', ')}) nor pipeline or gates; ` +
          `did you mean ${suggestion}? To configure a new stage, add it to pipeline.stages.`,
      );
    }
  }
}

/** A pipeline without a production stage has no guard at all: refused unless pipeline.breakGlass.noProductionStage says why. */
function checkProductionStages(pipeline: PipelineConfig, stages: readonly StageConfig[], problems: string[]): void {
  const hasProduction = stages.some((s) => s.production);
  const reason = pipeline.breakGlass.noProductionStage;
  if (!hasProduction && reason === undefined) {
    problems.push(
      `pipeline.stages = ${JSON.stringify(pipeline.stages)} has no production stage: no <stage>.production is true, so no production guard ` +
        'applies (approval, retained data, termination protection, window, rollback, bake, checks, Vault Lock, isolated backup copy); set <stage>.production = true ' +
        'on the stage users rely on, or set pipeline.breakGlass.noProductionStage to the reason (20 to 300 characters).',
    );
  } else if (hasProduction && reason !== undefined) {
    problems.push(
      `pipeline.breakGlass.noProductionStage is set, but ${stages
        .filter((s) => s.production)
        .map((s) => s.name)
        .join(', ')} is production, so the break-glass is not in use; remove the key.`,
    );
  }
}

function displayName(name: StageName): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Reads and validates the whole app configuration from the raw context (cdk.json's `context` with
 * `-c` overrides; in the app `app.node.getAllContext()`).
 *
 * @throws ConfigError listing every missing, invalid, unknown or incoherent key, with its value and what is accepted.
 */
export function loadConfig(raw: RawConfig): AppConfig {
  const problems: string[] = [];
  const pipeline = readScope(raw, 'pipeline', PIPELINE_KEYS, problems);
  const gates = readScope(raw, 'gates', GATE_KEYS, problems);
  const stages: StageConfig[] = pipeline.stages.map((name) => ({
    name,
    displayName: displayName(name),
    ...readScope(raw, name, STAGE_KEYS, problems),
  }));
  if (pipeline.stages.some((name) => name === 'pipeline' || name === 'gates')) {
    problems.push(
      `pipeline.stages = ${JSON.stringify(pipeline.stages)} is not valid: "pipeline" and "gates" name config scopes, not stages.`,
    );
  }
  const warnings: string[] = [];
  for (const stage of stages) checkStage(stage, problems);
  checkAccounts(pipeline, stages, problems);
  checkConnection(pipeline, problems, warnings);
  checkInheritedRegions(raw, stages, problems);
  for (const stage of stages)
    problems.push(...productionGuardProblems(stage, invalidKeys(raw, stage.name, STAGE_KEYS)));
  checkProductionStages(pipeline, stages, problems);
  checkUnknownKeys(raw, pipeline.stages, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { pipeline, stages, gates, warnings: [...warnings, ...configWarnings(raw, pipeline, stages)] };
}

/** Every config key with its scope (`pipeline.account`, `<stage>.delivery.bakeTimeMinutes`), for the config reference and tests. */
export function allConfigKeys(): DeclaredKey[] {
  return [
    ...declaredKeys('pipeline', PIPELINE_KEYS),
    ...declaredKeys('gates', GATE_KEYS),
    ...declaredKeys('<stage>', STAGE_KEYS),
  ];
}
