import { Duration } from 'aws-cdk-lib';
import type * as backup from 'aws-cdk-lib/aws-backup';
import type { BackupPolicy } from '../../config';
import { COMPLIANCE_LOCK_CHANGEABLE_DAYS, vaultLockOf } from '../../../contracts/vault-lock';

/**
 * The `lockConfiguration` of a backup vault under `policy`: none when `vaultLock` is off; governance mode
 * (no lock date, removable by an allowed principal) or compliance mode (immutable after
 * {@link COMPLIANCE_LOCK_CHANGEABLE_DAYS} days), with the shortest and longest rule retention as minimum and maximum.
 */
export function vaultLockConfiguration(policy: BackupPolicy): backup.LockConfiguration | undefined {
  const lock = vaultLockOf(policy);
  if (lock.mode === 'off') return undefined;
  return {
    minRetention: Duration.days(lock.minRetentionDays),
    maxRetention: Duration.days(lock.maxRetentionDays),
    changeableFor: lock.mode === 'compliance' ? Duration.days(COMPLIANCE_LOCK_CHANGEABLE_DAYS) : undefined,
  };
}
