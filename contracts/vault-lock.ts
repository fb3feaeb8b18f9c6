/**
 * The Vault Lock a backup policy implies: set on the vaults (lib/platform/backup), verified by the DR check
 * (lambda/pipeline).
 *
 * @packageDocumentation
 */

/** Days after which a compliance-mode Vault Lock can no longer be changed or removed (AWS's minimum is 3). */
export const COMPLIANCE_LOCK_CHANGEABLE_DAYS = 3;

/**
 * The shortest minimum retention a logically air-gapped vault accepts, in days
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html, "Create a logically air-gapped vault").
 */
export const AIR_GAPPED_MIN_RETENTION_DAYS = 7;

/** Vault Lock mode of a stage's backup vaults (`<stage>.backup.vaultLock`). */
export type VaultLockMode = 'off' | 'governance' | 'compliance';

/** The Vault Lock a stage's backup vaults must have, derived from its backup policy. */
export interface VaultLockExpectation {
  readonly mode: VaultLockMode;
  /** The shortest retention of the plan's rules: no recovery point may be deleted earlier. */
  readonly minRetentionDays: number;
  /** The longest retention of the plan's rules. */
  readonly maxRetentionDays: number;
}

/** The Vault Lock of a backup policy: its mode, and the shortest and longest rule retention as minimum and maximum. */
export function vaultLockOf(policy: {
  readonly vaultLock: VaultLockMode;
  readonly dailyRetentionDays: number;
  readonly weeklyRetentionDays: number;
}): VaultLockExpectation {
  return {
    mode: policy.vaultLock,
    minRetentionDays: Math.min(policy.dailyRetentionDays, policy.weeklyRetentionDays),
    maxRetentionDays: Math.max(policy.dailyRetentionDays, policy.weeklyRetentionDays),
  };
}
