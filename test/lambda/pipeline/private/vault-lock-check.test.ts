import { DescribeBackupVaultCommand } from '@aws-sdk/client-backup';
import { vaultLock } from '../../../../lambda/pipeline/private/vault-lock-check';
import type { StageMocks } from '../../../../support/check-fixtures';
import { DR_POLICY, mockHealthyStage } from '../../../../support/check-fixtures';
import { testContext } from '../../../support/check-test-context';
import { awsError } from '../../../support/aws-error';

const VAULT = 'uk-home-improvement-staging-backup-vault';
const LOCK_DATE = new Date('2026-03-01T00:00:00Z');
/** An error as the AWS SDK throws it for an AWS Backup error answer. */
const regionOf = async (call: { thisValue: unknown }) =>
  (call.thisValue as { config: { region: () => Promise<string> } }).config.region();

let mocks: StageMocks;
beforeEach(() => {
  mocks = mockHealthyStage();
});
afterEach(() => mocks.restore());

const answer = (vault: object) =>
  mocks.backup.on(DescribeBackupVaultCommand, { BackupVaultName: VAULT }).resolves(vault);
const check = (policy = DR_POLICY, where: 'primary' | 'dr' = 'primary') =>
  vaultLock(testContext(), where, VAULT, policy);

describe('The Vault Lock check of one vault', () => {
  it('passes a governance-mode lock with the rules shortest and longest retention, in the region asked', async () => {
    answer({ Locked: true, MinRetentionDays: 30, MaxRetentionDays: 365 });
    expect(await check()).toEqual({
      name: `vault lock ${VAULT}`,
      status: 'pass',
      detail: 'locked (governance mode), retention 30 to 365 days',
    });
    expect(await check(DR_POLICY, 'dr')).toEqual(expect.objectContaining({ status: 'pass' }));
    const calls = mocks.backup.commandCalls(DescribeBackupVaultCommand, { BackupVaultName: VAULT });
    expect(await Promise.all(calls.map(regionOf))).toEqual(['eu-west-2', 'eu-west-1']);
  });

  it('passes a compliance-mode lock, saying from when it is immutable', async () => {
    answer({ Locked: true, MinRetentionDays: 30, MaxRetentionDays: 365, LockDate: LOCK_DATE });
    expect(await check({ ...DR_POLICY, vaultLock: 'compliance' })).toEqual({
      name: `vault lock ${VAULT}`,
      status: 'pass',
      detail: 'locked (compliance mode, immutable from 2026-03-01T00:00:00.000Z), retention 30 to 365 days',
    });
  });

  it('takes the bounds from the rules whichever of daily and weekly keeps longer', async () => {
    answer({ Locked: true, MinRetentionDays: 30, MaxRetentionDays: 90 });
    const policy = { ...DR_POLICY, dailyRetentionDays: 90, weeklyRetentionDays: 30 };
    expect((await check(policy)).detail).toBe('locked (governance mode), retention 30 to 90 days');
  });

  it('fails a vault locked with a maximum other than the longest rule retention', async () => {
    answer({ Locked: true, MinRetentionDays: 30, MaxRetentionDays: 366 });
    expect(await check()).toEqual({
      name: `vault lock ${VAULT}`,
      status: 'fail',
      detail: 'governance-mode Vault Lock expected: maximum retention 366 days, expected 365',
    });
  });

  it('fails a compliance policy on a vault that is not locked at all, listing every gap', async () => {
    answer({ BackupVaultName: VAULT });
    expect((await check({ ...DR_POLICY, vaultLock: 'compliance' })).detail).toBe(
      'compliance-mode Vault Lock expected: not locked, minimum retention unset days, expected 30, ' +
        'maximum retention unset days, expected 365, no lock date, so it is in governance mode, expected compliance',
    );
  });

  it('requires nothing with vaultLock off, and says when the vault is locked anyway', async () => {
    const off = { ...DR_POLICY, vaultLock: 'off' as const };
    answer({ Locked: false });
    expect(await check(off)).toEqual({
      name: `vault lock ${VAULT}`,
      status: 'pass',
      detail: 'not required (vaultLock off)',
    });
    answer({ Locked: true, MinRetentionDays: 1, MaxRetentionDays: 2 });
    expect((await check(off)).detail).toBe('not required (vaultLock off); the vault is locked anyway');
  });

  it('sends DescribeBackupVault with the signal that cancels it when its attempt times out', async () => {
    answer({ Locked: true, MinRetentionDays: 30, MaxRetentionDays: 365 });
    await check();
    const calls = mocks.backup.commandCalls(DescribeBackupVaultCommand, { BackupVaultName: VAULT });
    expect(calls).toHaveLength(1);
    expect((calls[0].args as unknown[])[1]).toEqual({ abortSignal: expect.any(AbortSignal) });
  });

  it('throws naming the vault and its region when the vault does not exist (a first run before the vault stack)', async () => {
    mocks.backup
      .on(DescribeBackupVaultCommand, { BackupVaultName: VAULT })
      .rejects(awsError('ResourceNotFoundException', 400));
    await expect(check(DR_POLICY, 'dr')).rejects.toThrow(
      `DescribeBackupVault ${VAULT} (dr region) failed: ResourceNotFoundException`,
    );
  });
});
