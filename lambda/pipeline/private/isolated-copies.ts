import type {
  DescribeBackupVaultCommandOutput,
  ListRecoveryPointsByBackupVaultCommandOutput,
  RecoveryPointByBackupVault,
} from '@aws-sdk/client-backup';
import {
  DescribeBackupVaultCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
} from '@aws-sdk/client-backup';
import { CheckFailure, describeError, isAccessDenied } from './aws-call';
import type { CheckOutcome } from './check-result';
import type { CheckContext } from './check-context';
import { call, fail, pass, warn } from './check-context';
import type { ProtectedResource } from './dr-copies';
import { newestWithinRpo, USABLE_RECOVERY_POINT } from './dr-copies';
import type { DrPolicy, IsolatedCopyPolicy } from '../../../contracts/check-parameters';
import { OUTPUTS } from '../../../contracts/output-names';

const HOUR = 3_600_000;
/** Pages of recovery points read per resource (1000 each): far more than a year of daily and weekly copies. */
const MAX_PAGES = 10;
const AIR_GAPPED = 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT';

/** The region and name of a backup vault ARN (`arn:aws:backup:<region>:<account>:backup-vault:<name>`). */
export function vaultOfArn(arn: string): { region: string; name: string } {
  const parts = arn.split(':');
  if (parts[2] !== 'backup' || parts[5] !== 'backup-vault' || !parts[3] || !parts[6])
    throw new CheckFailure(`${OUTPUTS.isolatedBackupVaultArn} ${arn} is not a backup vault ARN`);
  return { region: parts[3], name: parts.slice(6).join(':') };
}

/** DescribeBackupVault, or why AWS refused to describe it (a missing vault may also be answered with AccessDenied). */
async function describeVault(
  ctx: CheckContext,
  name: string,
  region: string,
): Promise<DescribeBackupVaultCommandOutput | { refused: string }> {
  return call(ctx, `DescribeBackupVault ${name} (${region})`, async (abortSignal) => {
    try {
      return await ctx.clients.drBackup.send(new DescribeBackupVaultCommand({ BackupVaultName: name }), {
        abortSignal,
      });
    } catch (error) {
      const e = error as { name?: string };
      if (e.name === 'ResourceNotFoundException') return { refused: `it does not exist in ${region}` };
      if (isAccessDenied(error))
        return {
          refused:
            `AWS Backup refused to describe it in ${region} (${describeError(error)}); it answers so for a vault that does not exist too, ` +
            'so either it is missing or the check role may not read it',
        };
      throw error;
    }
  });
}

/** What is wrong with the vault as an isolated copy target; empty when it is a locked air-gapped vault with the configured bounds. */
function vaultProblems(vault: DescribeBackupVaultCommandOutput, isolated: IsolatedCopyPolicy): string[] {
  const problems: string[] = [];
  if (vault.VaultType !== AIR_GAPPED)
    problems.push(
      `it is a ${vault.VaultType ?? 'standard (no VaultType reported)'} vault, not a logically air-gapped one, so its copies are within reach of the account`,
    );
  if (vault.Locked !== true) problems.push('it is not locked');
  if (vault.MinRetentionDays !== isolated.minRetentionDays)
    problems.push(`minimum retention ${vault.MinRetentionDays ?? 'unset'} days, expected ${isolated.minRetentionDays}`);
  if (vault.MaxRetentionDays !== isolated.maxRetentionDays)
    problems.push(`maximum retention ${vault.MaxRetentionDays ?? 'unset'} days, expected ${isolated.maxRetentionDays}`);
  if (vault.VaultState === 'FAILED') problems.push('its creation FAILED');
  return problems;
}

/** Every usable recovery point of `resource` in the vault, creation times in epoch ms. */
async function copyTimes(ctx: CheckContext, vaultName: string, resource: ProtectedResource): Promise<number[]> {
  const points: RecoveryPointByBackupVault[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page: ListRecoveryPointsByBackupVaultCommandOutput = await call(
      ctx,
      `ListRecoveryPointsByBackupVault ${vaultName} ${resource.label}`,
      (abortSignal) =>
        ctx.clients.drBackup.send(
          new ListRecoveryPointsByBackupVaultCommand({
            BackupVaultName: vaultName,
            ByResourceArn: resource.arn,
            MaxResults: 1000,
            NextToken: nextToken,
          }),
          { abortSignal },
        ),
    );
    points.push(...(page.RecoveryPoints ?? []));
    nextToken = page.NextToken;
  } while (nextToken && ++pages < MAX_PAGES);
  if (nextToken)
    throw new CheckFailure(
      `ListRecoveryPointsByBackupVault ${vaultName} ${resource.label}: more than ${MAX_PAGES} pages of recovery points, not all read`,
    );
  return points
    .filter((p) => USABLE_RECOVERY_POINT.has(p.Status ?? '') && p.CreationDate instanceof Date)
    .map((p) => p.CreationDate!.getTime());
}

/** The newest copy job into the vault that failed since `since`, by resource ARN (read once, when a copy is missing or stale). */
async function failedCopyJobsInto(ctx: CheckContext, vaultArn: string, since: Date): Promise<Map<string, string>> {
  const out = await call(ctx, `ListCopyJobs into ${vaultArn}`, (abortSignal) =>
    ctx.clients.backup.send(
      new ListCopyJobsCommand({
        ByState: 'FAILED',
        ByDestinationVaultArn: vaultArn,
        ByCreatedAfter: since,
        MaxResults: 100,
      }),
      { abortSignal },
    ),
  );
  const byResource = new Map<string, string>();
  for (const job of out.CopyJobs ?? [])
    if (job.ResourceArn && !byResource.has(job.ResourceArn))
      byResource.set(job.ResourceArn, job.StatusMessage ?? 'no message');
  return byResource;
}

/**
 * The isolated copy exists and is recent: the vault named by the DR vault stack's output is in the DR region, is a
 * logically air-gapped vault, locked, with the configured retention bounds; and for every protected resource its
 * newest copy there is within the RPO plus the copy delay. A new stage, or a vault created less than the grace
 * period ago (the isolated copy added to a running stage), gets a warning instead of a failure while it has no copy.
 * A vault that cannot be described fails with the reason, and its copies are not listed.
 */
export async function isolatedCopies(
  ctx: CheckContext,
  resources: readonly ProtectedResource[],
  vaultArn: string,
  policy: DrPolicy,
  isolated: IsolatedCopyPolicy,
  stageAgeHours: number | undefined,
): Promise<CheckOutcome[]> {
  const { region, name } = vaultOfArn(vaultArn);
  const vaultItem = `isolated vault ${name}`;
  if (region !== policy.drRegion)
    return [fail(vaultItem, `${vaultArn} is in ${region}, expected the DR region ${policy.drRegion}`)];
  const vault = await describeVault(ctx, name, region);
  if ('refused' in vault)
    return [
      fail(
        vaultItem,
        `no isolated copy can be checked: ${vault.refused}; the plan's isolated copies have nowhere to go`,
      ),
    ];

  const now = ctx.now().getTime();
  const vaultAgeHours = vault.CreationDate instanceof Date ? (now - vault.CreationDate.getTime()) / HOUR : undefined;
  const graceAge =
    vaultAgeHours !== undefined && (stageAgeHours === undefined || vaultAgeHours < stageAgeHours)
      ? { hours: vaultAgeHours, of: 'isolated vault' }
      : { hours: stageAgeHours, of: 'stage' };
  const outcomes: CheckOutcome[] = [];
  const problems = vaultProblems(vault, isolated);
  if (problems.length) outcomes.push(fail(vaultItem, problems.join(', ')));
  else if (vault.VaultState !== undefined && vault.VaultState !== 'AVAILABLE') {
    const young = graceAge.hours !== undefined && graceAge.hours < policy.newStageGraceHours;
    outcomes.push(
      (young ? warn : fail)(
        vaultItem,
        `vault state ${vault.VaultState}, expected AVAILABLE${young ? ` (${graceAge.of} is ${graceAge.hours!.toFixed(1)} h old)` : ''}`,
      ),
    );
  } else
    outcomes.push(
      pass(
        vaultItem,
        `logically air-gapped, locked${vault.LockDate instanceof Date ? ` since ${vault.LockDate.toISOString()}` : ''}, retention ${isolated.minRetentionDays} to ${isolated.maxRetentionDays} days`,
      ),
    );

  const since = new Date(now - (policy.recoveryPointMaxAgeHours + isolated.copyDelayHours) * HOUR);
  let failedJobs: Promise<Map<string, string>> | undefined;
  const copies = await Promise.all(
    resources.map(async (r): Promise<CheckOutcome> => {
      const item = `isolated copy ${r.label}`;
      let times: number[];
      try {
        times = await copyTimes(ctx, name, r);
      } catch (error) {
        return fail(item, describeError(error));
      }
      const outcome = newestWithinRpo(item, times, ctx.now(), policy, graceAge.hours, `copy in ${name} (${region})`, {
        extra: { hours: isolated.copyDelayHours, why: 'copy delay' },
        ageOf: graceAge.of,
      });
      if (outcome.status === 'pass') return outcome;
      failedJobs ??= failedCopyJobsInto(ctx, vaultArn, since);
      let note: string | undefined;
      try {
        const message = (await failedJobs).get(r.arn);
        if (message) note = `a copy job into it failed since ${since.toISOString()}: ${message}`;
      } catch (error) {
        note = `could not read the failed copy jobs (${describeError(error)})`;
      }
      return note ? { ...outcome, detail: `${outcome.detail}; ${note}` } : outcome;
    }),
  );
  return [...outcomes, ...copies];
}
