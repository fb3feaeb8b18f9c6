import type { GATE_KEYS, PIPELINE_KEYS, Settings, STAGE_KEYS } from './config-keys';

/*
 * The typed config is derived from the key declarations in config-keys.ts: a key's path there is its
 * path here (`<stage>.backup.dr.recoveryPointMaxAgeHours` is `stage.backup?.dr.recoveryPointMaxAgeHours`),
 * and what each key means is its `description` there (also in docs/configuration.md).
 */

/** Name of one deployment stage, as listed in `pipeline.stages` (`dev`). */
export type StageName = string;

/** Everything one stage's keys say, validated. */
export type StageSettings = Settings<typeof STAGE_KEYS>;

/** How much monitoring a stage gets: `basic` is a few critical alarms, `full` the whole set. */
export type MonitoringLevel = StageSettings['monitoring'];

/** Whether Cognito users must enrol a second factor. */
export type MfaMode = StageSettings['mfa'];

/** DynamoDB billing mode for the platform tables. */
export type TableBillingMode = StageSettings['tableBillingMode'];

/** Alarm thresholds of a stage. */
export type AlarmThresholds = StageSettings['alarms'];

/** How the pipeline delivers to a stage: approval, deployment window, bake time, rollback, termination protection. */
export type DeliveryPolicy = StageSettings['delivery'];

/** When a stage may start deploying. */
export type DeploymentWindow = NonNullable<DeliveryPolicy['window']>;

/**
 * AWS Backup policy of a stage, present only where the stage has backup and DR. A recovery point in cold
 * storage stays there at least 90 days, so the loader only accepts a weekly retention of cold-after + 90 days or more.
 */
export type BackupPolicy = NonNullable<StageSettings['backup']>;

/** What the DR check holds a stage to: recovery point age, the new-stage grace, restore job age (`undefined`: not required). */
export type DrPolicy = BackupPolicy['dr'];

/** How CodeDeploy releases the stage's functions: deployment config and release alarm thresholds. */
export type ReleasePolicy = StageSettings['release'];

/** Name of a predefined CodeDeploy Lambda deployment config. */
export type DeploymentConfigName = ReleasePolicy['deploymentConfig'];

/** Synthetic traffic of a stage, present only where the canary is on. */
export type SyntheticsPolicy = NonNullable<StageSettings['synthetics']>;

/** The acceptance journey of a stage, present only where it is on (`journey.enabled`). */
export type JourneyPolicy = NonNullable<StageSettings['journey']>;

/** WAF settings of a stage, present only where WAF is on. */
export type WafPolicy = NonNullable<StageSettings['waf']>;

/** Everything one stage needs, validated. Built once by `loadConfig` and passed down. */
export interface StageConfig extends StageSettings {
  /** Stage name as used in ids and resource names (`dev`). */
  readonly name: StageName;
  /** Stage name as shown in the pipeline (`Dev`). */
  readonly displayName: string;
}

/** The pipeline (tooling) account, the Git source and the promotion order. */
export type PipelineConfig = Settings<typeof PIPELINE_KEYS>;

/** Settings of the safety gates. */
export type GateConfig = Settings<typeof GATE_KEYS>;

/** The whole validated app configuration. */
export interface AppConfig {
  readonly pipeline: PipelineConfig;
  /** Stage configs in promotion order (`pipeline.stages`). */
  readonly stages: readonly StageConfig[];
  readonly gates: GateConfig;
  /** What the config allows but probably did not mean, one sentence each; synth prints each as a warning. */
  readonly warnings: readonly string[];
}
