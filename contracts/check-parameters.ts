/**
 * The user parameters of the pipeline's check actions (health, DR, bake): built by the pipeline
 * (lib/pipeline/checks) and the operator CLI, parsed by the check functions
 * (lambda/pipeline/private/user-parameters.ts).
 *
 * @packageDocumentation
 */
import type { VaultLockMode } from './vault-lock';

/**
 * The isolated copy the DR check holds a stage to (`<stage>.backup.isolatedCopy.*`): every rule of the plan also
 * copies to a logically air-gapped vault in the DR region, whose retention bounds are fixed when it is created.
 */
export interface IsolatedCopyPolicy {
  /** Minimum retention of the isolated vault (its compliance lock): a copy kept shorter is refused. */
  readonly minRetentionDays: number;
  /** Maximum retention of the isolated vault: a copy kept longer is refused. */
  readonly maxRetentionDays: number;
  /** Hours a copy may take to reach the isolated vault after its backup, added to the RPO for the isolated copies. */
  readonly copyDelayHours: number;
}

/**
 * DR policy the DR check compares the stage against, as the pipeline passes it: the stage's backup
 * rules, its DR policy (an absent `restoreJobMaxAgeDays` means no restore job is required, as in config) and its DR region.
 * Each field but `drRegion` is the config key of the same name under `<stage>.backup` (or `<stage>.backup.dr`).
 */
export interface DrPolicy {
  /** Region that must hold the copy target vault. */
  readonly drRegion: string;
  /** Days a daily recovery point is kept. */
  readonly dailyRetentionDays: number;
  /** Days a weekly recovery point is kept. */
  readonly weeklyRetentionDays: number;
  /** Days after which a weekly recovery point moves to cold storage (0: never). */
  readonly weeklyColdStorageAfterDays: number;
  /** Whether the stage has a restore testing plan. */
  readonly restoreTesting: boolean;
  /** Vault Lock of both vaults. */
  readonly vaultLock: VaultLockMode;
  /** Age beyond which a resource's newest recovery point fails the check. */
  readonly recoveryPointMaxAgeHours: number;
  /** How long after a stage's first deploy a missing recovery point is reported but not failed. */
  readonly newStageGraceHours: number;
  /** Age beyond which the newest successful restore job fails the check; `undefined`: no restore job is required. */
  readonly restoreJobMaxAgeDays: number | undefined;
  /** The isolated copy the stage must have; absent: none is required. */
  readonly isolatedCopy?: IsolatedCopyPolicy;
}

/** What the acceptance journey is told about its stage, besides the common parameters. */
export interface JourneyParameters {
  /** Run only the read-only part: unauthenticated calls to the public API, nothing created. */
  readonly readOnly: boolean;
  /** Minutes the journey waits for the workflow to store the quote. */
  readonly timeoutMinutes: number;
}

/** What the pipeline passes to a check function as the action's UserParameters. */
export interface CheckParameters {
  /** Stage name (`staging`). */
  readonly stage: string;
  /** Primary region of the stage. */
  readonly region: string;
  /** CloudFormation stack names of the stage. */
  readonly stackNames: readonly string[];
  /** Region of each stack that is not in the primary region (edge stack in us-east-1, DR vault stack). */
  readonly stackRegions?: Readonly<Record<string, string>>;
  /** Check role to assume in the stage account; absent when running with the caller's own credentials. */
  readonly roleArn?: string;
  /** DR policy; required by the DR check. */
  readonly dr?: DrPolicy;
  /** Whether the stage's config asks for termination protection: the health check then fails on an unprotected stack. */
  readonly terminationProtection?: boolean;
  /** The acceptance journey's settings; present only where the stage's config turns the journey on. */
  readonly journey?: JourneyParameters;
}

/** What the pipeline passes to the bake function (the stage's `Bake` action) as its UserParameters. */
export interface BakeParameters {
  /** Stage name (`staging`). */
  readonly stage: string;
  /** Region of the alarm (the stage's primary region). */
  readonly region: string;
  /** Check role to assume in the stage account. */
  readonly roleArn: string;
  /** Name of the stage-unhealthy composite alarm the bake watches. */
  readonly alarmName: string;
  /** Minutes the alarm must stay out of ALARM after the deploy (the stage's `delivery.bakeTimeMinutes`). */
  readonly minutes: number;
}
