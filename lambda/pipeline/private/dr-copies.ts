import type { CopyJob, ListCopyJobsCommandOutput } from '@aws-sdk/client-backup';
import {
  DescribeRegionSettingsCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByResourceCommand,
} from '@aws-sdk/client-backup';
import { describeError } from './aws-call';
import type { CheckOutcome } from './check-result';
import type { CheckContext } from './check-context';
import { call, fail, pass, warn } from './check-context';
import type { DrPolicy } from '../../../contracts/check-parameters';

const HOUR = 3_600_000;
/** Recovery point statuses that can be restored from (AVAILABLE is the current name, COMPLETED the older one). */
export const USABLE_RECOVERY_POINT: ReadonlySet<string> = new Set(['AVAILABLE', 'COMPLETED']);

/** A resource the backup plan must protect. */
export interface ProtectedResource {
  readonly label: string;
  readonly arn: string;
}

/** Hint when DynamoDB copies are missing and the account's advanced DynamoDB backup features are off. */
export const DYNAMODB_ADVANCED_HINT =
  "AWS Backup's advanced features for DynamoDB are off in this region, so DynamoDB backups are not copied to another region: " +
  'turn them on (aws backup update-region-settings --resource-type-management-preference DynamoDB=true; see docs/runbook.md)';

/** How {@link newestWithinRpo} measures: what it allows beyond the RPO, and whose age the grace period counts. */
export interface RpoAllowance {
  /** Hours allowed on top of the RPO, and what for (`copy delay`). @default none */
  readonly extra?: { readonly hours: number; readonly why: string };
  /** What `ageHours` is the age of (`stage`, `isolated vault`). @default 'stage' */
  readonly ageOf?: string;
}

/**
 * Judges the newest of `times` (epoch ms) against the RPO (plus `allowance.extra`): pass within it, a warning
 * while a new stage (or whatever `allowance.ageOf` names, `ageHours` old) is inside its grace period and has none
 * yet, otherwise a failure.
 */
export function newestWithinRpo(
  name: string,
  times: readonly number[],
  now: Date,
  policy: DrPolicy,
  ageHours: number | undefined,
  what = 'recovery point',
  allowance: RpoAllowance = {},
): CheckOutcome {
  const ageOf = allowance.ageOf ?? 'stage';
  const young = ageHours !== undefined && ageHours < policy.newStageGraceHours;
  if (!times.length) {
    return young
      ? warn(
          name,
          `no ${what} yet; ${ageOf} is ${ageHours.toFixed(1)} h old, within the ${policy.newStageGraceHours} h grace period for a new ${ageOf}`,
        )
      : fail(
          name,
          `no available ${what}${ageHours === undefined ? '' : ` (${ageOf} is ${ageHours.toFixed(0)} h old)`}`,
        );
  }
  const newestAgeHours = (now.getTime() - Math.max(...times)) / HOUR;
  const rpo = policy.recoveryPointMaxAgeHours;
  const extra = allowance.extra;
  const limit = rpo + (extra?.hours ?? 0);
  const limitText = extra ? `the RPO of ${rpo} h plus the ${extra.hours} h ${extra.why}` : `the RPO of ${rpo} h`;
  if (newestAgeHours <= limit)
    return pass(
      name,
      `newest ${newestAgeHours.toFixed(1)} h old (RPO ${rpo} h${extra ? ` + ${extra.hours} h ${extra.why}` : ''})`,
    );
  return fail(name, `newest ${what} is ${newestAgeHours.toFixed(1)} h old, older than ${limitText}`);
}

async function failedCopyJobs(ctx: CheckContext, since: Date): Promise<CopyJob[]> {
  const jobs: CopyJob[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page: ListCopyJobsCommandOutput = await call(ctx, 'ListCopyJobs', (abortSignal) =>
      ctx.clients.backup.send(
        new ListCopyJobsCommand({ ByState: 'FAILED', ByCreatedAfter: since, NextToken: nextToken, MaxResults: 100 }),
        { abortSignal },
      ),
    );
    jobs.push(...(page.CopyJobs ?? []));
    nextToken = page.NextToken;
  } while (nextToken && ++pages < 10);
  return jobs;
}

/** Why DynamoDB copies may be missing, from the region settings, or undefined when the setting is on. */
async function dynamoDbCopyHint(ctx: CheckContext): Promise<string | undefined> {
  try {
    const out = await call(ctx, 'DescribeRegionSettings', (abortSignal) =>
      ctx.clients.backup.send(new DescribeRegionSettingsCommand({}), { abortSignal }),
    );
    return out.ResourceTypeManagementPreference?.DynamoDB === true ? undefined : DYNAMODB_ADVANCED_HINT;
  } catch (error) {
    return `could not read the region settings to tell whether AWS Backup's advanced features for DynamoDB are on (${describeError(error)})`;
  }
}

/**
 * The copies reach the DR region: for every protected resource the newest copy in the DR-region vault
 * is within the RPO (with the new-stage grace), and copy jobs that failed within the RPO window are
 * reported by resource (a failure when the resource has no fresh copy, a warning otherwise). A table
 * without a copy while AWS Backup's advanced DynamoDB features are off fails with that hint.
 */
export async function drCopies(
  ctx: CheckContext,
  resources: readonly ProtectedResource[],
  drVaultName: string,
  policy: DrPolicy,
  stageAgeHours: number | undefined,
): Promise<CheckOutcome[]> {
  const since = new Date(ctx.now().getTime() - policy.recoveryPointMaxAgeHours * HOUR);
  const failedJobs = await failedCopyJobs(ctx, since);
  const failedFor = (r: ProtectedResource) => failedJobs.filter((j) => j.ResourceArn === r.arn);
  let hint: Promise<string | undefined> | undefined;
  const outcomes = await Promise.all(
    resources.map(async (r): Promise<CheckOutcome> => {
      const name = `dr copy ${r.label}`;
      const out = await call(ctx, `ListRecoveryPointsByResource ${r.label} (DR region)`, (abortSignal) =>
        ctx.clients.drBackup.send(new ListRecoveryPointsByResourceCommand({ ResourceArn: r.arn, MaxResults: 100 }), {
          abortSignal,
        }),
      );
      const times = (out.RecoveryPoints ?? [])
        .filter(
          (p) =>
            p.BackupVaultName === drVaultName &&
            USABLE_RECOVERY_POINT.has(p.Status ?? '') &&
            p.CreationDate instanceof Date,
        )
        .map((p) => p.CreationDate!.getTime());
      const outcome = newestWithinRpo(
        name,
        times,
        ctx.now(),
        policy,
        stageAgeHours,
        `copy in ${drVaultName} (${policy.drRegion})`,
      );
      if (outcome.status === 'pass') return outcome;
      const notes: string[] = [];
      const failed = failedFor(r);
      if (failed.length)
        notes.push(
          `${failed.length} copy job(s) failed since ${since.toISOString()}, last: ${failed[0].StatusMessage ?? 'no message'}`,
        );
      if (r.arn.includes(':dynamodb:')) {
        hint ??= dynamoDbCopyHint(ctx);
        const h = await hint;
        if (h) notes.push(h);
      }
      return notes.length ? { ...outcome, detail: `${outcome.detail}; ${notes.join('; ')}` } : outcome;
    }),
  );
  const freshButFailed = resources.filter((r, i) => outcomes[i].status === 'pass' && failedFor(r).length);
  if (freshButFailed.length) {
    outcomes.push(
      warn(
        'copy jobs',
        `failed since ${since.toISOString()} (newer copies exist): ${freshButFailed.map((r) => `${r.label}: ${failedFor(r)[0].StatusMessage ?? 'no message'}`).join('; ')}`,
      ),
    );
  } else if (!failedJobs.length) {
    outcomes.push(pass('copy jobs', `no copy job failed since ${since.toISOString()}`));
  }
  return outcomes;
}
