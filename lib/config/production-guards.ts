import type { KeySpec } from './config-keys';
import * as p from './parsers';
import { show } from './read-keys';
import type { StageConfig } from './stage-config';

/*
 * The guards a production stage (`<stage>.production = true`) keeps. Each guard is declared once, in
 * PRODUCTION_GUARDS: its name is the suffix of its break-glass key (`<stage>.breakGlass.<name>`, declared
 * from this list in config-keys.ts), and its check reads the typed stage config. Adding a guard is adding
 * one entry; the loader, the break-glass keys, the synth warnings, the approval comment, the change
 * review report and docs/configuration.md follow from it.
 */

/** Shortest bake of a production stage, in minutes. */
export const MIN_PRODUCTION_BAKE_MINUTES = 10;

/** Shortest and longest break-glass reason, in characters. */
export const BREAK_GLASS_REASON_LENGTH = { min: 20, max: 300 } as const;

/** A guard that `stage` does not keep: the key that weakens it (relative to the stage) and its value. */
export interface GuardWeakening {
  /** The weakening key without the stage prefix (`delivery.manualApproval`). */
  readonly key: string;
  /** Its value as the stage has it. */
  readonly value: unknown;
}

/** One protection a production stage keeps unless a break-glass key with a reason weakens it. */
export interface ProductionGuard {
  /** Name of the guard, the suffix of its break-glass key `<stage>.breakGlass.<name>` (camelCase). */
  readonly name: string;
  /** What a production stage keeps, as a phrase after "keeps" ("a manual approval before it deploys"). */
  readonly requires: string;
  /** What is lost without it, as a phrase after "without it". */
  readonly risk: string;
  /** How `stage` weakens the guard, or `undefined` when it keeps it. */
  readonly check: (stage: StageConfig) => GuardWeakening | undefined;
}

const weakenedUnless = (kept: boolean, key: string, value: unknown): GuardWeakening | undefined =>
  kept ? undefined : { key, value };

/** Every guard of a production stage, in the order messages list them. */
export const PRODUCTION_GUARDS: readonly ProductionGuard[] = [
  {
    name: 'manualApproval',
    requires: 'a manual approval before it deploys',
    risk: 'a push reaches the stage without a person reading the change review',
    check: (s) => weakenedUnless(s.delivery.manualApproval, 'delivery.manualApproval', s.delivery.manualApproval),
  },
  {
    name: 'retainData',
    requires: 'its tables, bucket, keys and user pool retained (DeletionPolicy Retain)',
    risk: 'deleting or replacing a stack deletes the data in it',
    check: (s) => weakenedUnless(s.retainData, 'retainData', s.retainData),
  },
  {
    name: 'terminationProtection',
    requires: 'termination protection on every stack',
    risk: 'one delete-stack call removes a stack and everything it does not retain',
    check: (s) =>
      weakenedUnless(
        s.delivery.terminationProtection,
        'delivery.terminationProtection',
        s.delivery.terminationProtection,
      ),
  },
  {
    name: 'deploymentWindow',
    requires: 'a deployment window (delivery.window.enabled)',
    risk: 'an approved change deploys at any hour, also when nobody is on hand to watch it',
    check: (s) => weakenedUnless(s.delivery.window !== undefined, 'delivery.window.enabled', false),
  },
  {
    name: 'rollbackOnFailure',
    requires: 'a rollback to the last good execution when a deploy or check fails',
    risk: 'a failed deploy or check leaves the stage half changed',
    check: (s) =>
      weakenedUnless(s.delivery.rollbackOnFailure, 'delivery.rollbackOnFailure', s.delivery.rollbackOnFailure),
  },
  {
    // The stage-unhealthy alarm's inputs alarm over 5-minute periods (lib/platform/observability), so a bake
    // of two periods lets at least one whole period of traffic after the deploy be evaluated before it ends.
    name: 'bake',
    requires: `a bake of at least ${MIN_PRODUCTION_BAKE_MINUTES} minutes (two 5-minute alarm periods)`,
    risk: 'the execution moves on before the stage alarm has judged one whole period of traffic after the deploy',
    check: (s) =>
      weakenedUnless(
        s.delivery.bakeTimeMinutes >= MIN_PRODUCTION_BAKE_MINUTES,
        'delivery.bakeTimeMinutes',
        s.delivery.bakeTimeMinutes,
      ),
  },
  {
    // The health check runs after every deploy of every stage; the DR check runs where backup is on.
    name: 'checks',
    requires: 'its health and DR checks after each deploy (the DR check needs backup.enabled)',
    risk: 'no DR check runs and no backup plan copies the data to the DR region',
    check: (s) => weakenedUnless(s.backup !== undefined, 'backup.enabled', false),
  },
  {
    // Governance mode can be removed by any principal allowed backup:DeleteBackupVaultLockConfiguration, which an
    // administrator of the account, and the CloudFormation execution role, is; compliance mode by nobody once its
    // cooling-off period ends (https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html).
    name: 'vaultLock',
    requires: 'AWS Backup Vault Lock in compliance mode on its primary and DR vaults (backup.vaultLock compliance)',
    risk: 'an administrator of the account can remove the lock and delete recovery points before their retention ends',
    check: (s) =>
      s.backup === undefined
        ? { key: 'backup.enabled', value: false }
        : weakenedUnless(s.backup.vaultLock === 'compliance', 'backup.vaultLock', s.backup.vaultLock),
  },
  {
    // The stage's own vaults are encrypted with keys of the stage account, which its administrators can disable or
    // schedule for deletion; a logically air-gapped vault keeps its copies in an account AWS Backup owns, under an
    // AWS-owned key (https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html).
    name: 'isolatedCopy',
    requires: 'a copy of every backup in a logically air-gapped vault (backup.isolatedCopy.enabled)',
    risk: 'every recovery point depends on keys and vaults that an administrator of the account can disable or delete',
    check: (s) =>
      s.backup === undefined
        ? { key: 'backup.enabled', value: false }
        : weakenedUnless(s.backup.isolatedCopy !== undefined, 'backup.isolatedCopy.enabled', false),
  },
  {
    // Cognito's own sender "allows only a limited number of emails each day"; "for typical production environments, the
    // default email limit is below the required delivery volume"
    // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_EmailConfigurationType.html).
    name: 'sesEmail',
    requires: 'its user pool e-mail sent through Amazon SES (email.ses.enabled)',
    risk: "Cognito's own sender stops after a limited number of e-mails a day, so sign-up codes and password resets stop arriving",
    check: (s) => weakenedUnless(s.email.ses !== undefined, 'email.ses.enabled', false),
  },
  {
    // The full journey creates users in the stage's pool and items in its tables; a production stage runs only
    // the read-only part (unauthenticated calls to the public API) where its config turns the journey on.
    name: 'journeyReadOnly',
    requires: 'the acceptance journey limited to its read-only part, where the journey is on (journey.readOnly)',
    risk: "the journey creates synthetic users, projects and quotes among real users' data, and spends model requests",
    check: (s) =>
      s.journey === undefined ? undefined : weakenedUnless(s.journey.readOnly, 'journey.readOnly', s.journey.readOnly),
  },
  {
    name: 'driftFailsReview',
    requires: 'a change review that fails on drift (changeReview.failOnDrift)',
    risk: 'a change made outside CloudFormation is overwritten, or the review compares against what is not there',
    check: (s) => weakenedUnless(s.changeReview.failOnDrift, 'changeReview.failOnDrift', s.changeReview.failOnDrift),
  },
];

/** A break-glass key: an optional reason, unset by default. */
export function breakGlassKey(description: string): KeySpec<string | undefined> {
  const { min, max } = BREAK_GLASS_REASON_LENGTH;
  return {
    kind: 'key',
    parse: p.reason(min, max),
    accepted: `a reason of ${min} to ${max} characters (why, who decided, until when)`,
    description,
    required: false,
    default: undefined,
    defaultText: '(not set)',
  };
}

/** The break-glass keys of a stage, one per guard, for config-keys.ts (`<stage>.breakGlass.<guard>`). */
export function breakGlassKeys(): { readonly [guard: string]: KeySpec<string | undefined> } {
  return Object.fromEntries(
    PRODUCTION_GUARDS.map((guard) => [
      guard.name,
      breakGlassKey(
        `Break-glass of a production stage: lets it go without ${guard.requires}. Synth prints it as a warning; ` +
          'the approval and the change review report show it. Refused where the guard is kept or the stage is not production.',
      ),
    ]),
  );
}

/** A guard a production stage goes without, under a break-glass key. */
export interface BreakGlassInUse {
  /** The guard's name. */
  readonly guard: string;
  /** The break-glass key (`prod.breakGlass.manualApproval`). */
  readonly key: string;
  /** The weakening key and value (`prod.delivery.manualApproval = false`). */
  readonly weakened: string;
  /** The reason the break-glass key gives. */
  readonly reason: string;
}

const breakGlassKeyName = (stage: StageConfig, guard: ProductionGuard) => `${stage.name}.breakGlass.${guard.name}`;
const reasonOf = (stage: StageConfig, guard: ProductionGuard) => stage.breakGlass[guard.name];

/** The guards `stage` goes without under a break-glass key; empty for a stage that is not production. */
export function breakGlassInUse(stage: StageConfig): BreakGlassInUse[] {
  if (!stage.production) return [];
  return PRODUCTION_GUARDS.flatMap((guard) => {
    const weakening = guard.check(stage);
    const reason = reasonOf(stage, guard);
    if (weakening === undefined || reason === undefined) return [];
    return [
      {
        guard: guard.name,
        key: breakGlassKeyName(stage, guard),
        weakened: `${stage.name}.${weakening.key} = ${show(weakening.value)}`,
        reason,
      },
    ];
  });
}

/**
 * Why `stage`'s guards refuse its config, one problem per weakened guard without a break-glass key, and
 * per break-glass key that is not in use (on a guard the stage keeps, or on a stage that is not
 * production): a key left set would let a later change weaken the guard without anyone deciding it.
 *
 * @param invalid keys (full names) whose value was already reported as invalid; a guard whose weakening or break-glass
 *   key is one of them says nothing more.
 */
export function productionGuardProblems(stage: StageConfig, invalid: ReadonlySet<string> = new Set()): string[] {
  const n = stage.name;
  const problems: string[] = [];
  for (const guard of PRODUCTION_GUARDS) {
    const key = breakGlassKeyName(stage, guard);
    const reason = reasonOf(stage, guard);
    if (!stage.production) {
      if (reason !== undefined) {
        problems.push(
          `${key} is set, but ${n} is not a production stage (${n}.production = false), so it has no guard to weaken; ` +
            'remove the key (a break-glass left set would let a later change pass without anyone deciding it).',
        );
      }
      continue;
    }
    const weakening = guard.check(stage);
    // A bad value, or a bad reason, was reported as invalid already.
    if (invalid.has(key) || (weakening !== undefined && invalid.has(`${n}.${weakening.key}`))) continue;
    if (weakening === undefined && reason !== undefined) {
      problems.push(
        `${key} is set, but ${n} keeps ${guard.requires}, so the break-glass is not in use; ` +
          'remove the key (a break-glass left set would let a later change pass without anyone deciding it).',
      );
    } else if (weakening !== undefined && reason === undefined) {
      problems.push(
        `${n}.${weakening.key} = ${show(weakening.value)} is refused: ${n} is a production stage (${n}.production = true), ` +
          `which keeps ${guard.requires}; without it ${guard.risk}. To weaken it anyway, set ${key} to the reason ` +
          `(${BREAK_GLASS_REASON_LENGTH.min} to ${BREAK_GLASS_REASON_LENGTH.max} characters: why, who decided, until when).`,
      );
    }
  }
  return problems;
}

/** The one-line warning synth prints for a break-glass in use. */
export function breakGlassWarning(stage: StageConfig, use: BreakGlassInUse): string {
  return `BREAK-GLASS ${use.key}: production stage ${stage.name} goes without its ${use.guard} guard (${use.weakened}). Reason: ${use.reason}`;
}
