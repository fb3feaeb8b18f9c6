import { DescribeBackupVaultCommand } from '@aws-sdk/client-backup';
import { vaultLockOf } from '../../../contracts/vault-lock';
import type { CheckOutcome } from './check-result';
import type { CheckContext } from './check-context';
import { call, fail, pass } from './check-context';
import type { DrPolicy } from '../../../contracts/check-parameters';

/**
 * The vault's AWS Backup Vault Lock matches the policy: when `vaultLock` is governance or compliance, the
 * vault is Locked with the shortest and longest rule retention as minimum and maximum, and in compliance
 * mode it has a lock date (after which the lock is immutable); with `off` nothing is required.
 */
export async function vaultLock(
  ctx: CheckContext,
  where: 'primary' | 'dr',
  vaultName: string,
  policy: DrPolicy,
): Promise<CheckOutcome> {
  const name = `vault lock ${vaultName}`;
  const expected = vaultLockOf(policy);
  const client = where === 'dr' ? ctx.clients.drBackup : ctx.clients.backup;
  const out = await call(ctx, `DescribeBackupVault ${vaultName} (${where} region)`, (abortSignal) =>
    client.send(new DescribeBackupVaultCommand({ BackupVaultName: vaultName }), { abortSignal }),
  );
  if (expected.mode === 'off')
    return pass(name, `not required (vaultLock off)${out.Locked ? '; the vault is locked anyway' : ''}`);
  const problems: string[] = [];
  if (out.Locked !== true) problems.push('not locked');
  if (out.MinRetentionDays !== expected.minRetentionDays)
    problems.push(`minimum retention ${out.MinRetentionDays ?? 'unset'} days, expected ${expected.minRetentionDays}`);
  if (out.MaxRetentionDays !== expected.maxRetentionDays)
    problems.push(`maximum retention ${out.MaxRetentionDays ?? 'unset'} days, expected ${expected.maxRetentionDays}`);
  if (expected.mode === 'compliance' && !(out.LockDate instanceof Date))
    problems.push('no lock date, so it is in governance mode, expected compliance');
  if (problems.length) return fail(name, `${expected.mode}-mode Vault Lock expected: ${problems.join(', ')}`);
  const mode =
    out.LockDate instanceof Date ? `compliance mode, immutable from ${out.LockDate.toISOString()}` : 'governance mode';
  return pass(name, `locked (${mode}), retention ${expected.minRetentionDays} to ${expected.maxRetentionDays} days`);
}
