import type { BackupRule } from '@aws-sdk/client-backup';
import {
  DescribeBackupVaultCommand,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  GetRestoreTestingPlanCommand,
  ListBackupSelectionsCommand,
  ListRecoveryPointsByResourceCommand,
  ListRestoreJobsCommand,
} from '@aws-sdk/client-backup';
import { DescribeContinuousBackupsCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetKeyRotationStatusCommand } from '@aws-sdk/client-kms';
import { GetBucketVersioningCommand } from '@aws-sdk/client-s3';
import { OUTPUTS } from '../../../contracts/output-names';
import { CheckFailure } from './aws-call';
import type { CheckOutcome, CheckReport } from './check-result';
import { toReport } from './check-result';
import type { DrPolicy } from '../../../contracts/check-parameters';
import { copyTargets, evaluateIsolatedCopyRules, evaluatePlanRules } from './backup-plan-rules';
import type { CheckContext } from './check-context';
import { call, fail, pass, warn } from './check-context';
import { stacksComplete, TABLE_OUTPUTS, tableActive } from './stage-health';
import { keyStates } from './key-states';
import type { ProtectedResource } from './dr-copies';
import { drCopies, newestWithinRpo, USABLE_RECOVERY_POINT } from './dr-copies';
import { isolatedCopies } from './isolated-copies';
import { runCheck } from './run-check';
import { vaultLock } from './vault-lock-check';
import type { StageStack } from './stage-stacks';
import { describeStageStacks, StageOutputs } from './stage-stacks';

const HOUR = 3_600_000;
type Protected = ProtectedResource;

async function tableArn(ctx: CheckContext, name: string): Promise<string> {
  const out = await call(ctx, `DescribeTable ${name}`, (abortSignal) =>
    ctx.clients.dynamoDb.send(new DescribeTableCommand({ TableName: name }), { abortSignal }),
  );
  if (!out.Table?.TableArn) throw new CheckFailure(`DescribeTable ${name} returned no ARN`);
  return out.Table.TableArn;
}

async function pitr(ctx: CheckContext, table: string): Promise<CheckOutcome> {
  const out = await call(ctx, `DescribeContinuousBackups ${table}`, (abortSignal) =>
    ctx.clients.dynamoDb.send(new DescribeContinuousBackupsCommand({ TableName: table }), { abortSignal }),
  );
  const status = out.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus;
  if (status === undefined) throw new CheckFailure(`DescribeContinuousBackups ${table} returned no PITR status`);
  return status === 'ENABLED'
    ? pass(`pitr ${table}`, 'enabled')
    : fail(`pitr ${table}`, `point-in-time recovery is ${status} on table ${table}`);
}

async function vaultExists(ctx: CheckContext, where: 'primary' | 'dr', name: string): Promise<void> {
  const client = where === 'dr' ? ctx.clients.drBackup : ctx.clients.backup;
  await call(ctx, `DescribeBackupVault ${name} (${where} region)`, (abortSignal) =>
    client.send(new DescribeBackupVaultCommand({ BackupVaultName: name }), { abortSignal }),
  );
}

async function planRules(ctx: CheckContext, planId: string): Promise<BackupRule[]> {
  const out = await call(ctx, `GetBackupPlan ${planId}`, (abortSignal) =>
    ctx.clients.backup.send(new GetBackupPlanCommand({ BackupPlanId: planId }), { abortSignal }),
  );
  if (!out.BackupPlan || !Array.isArray(out.BackupPlan.Rules))
    throw new CheckFailure(`GetBackupPlan ${planId} returned no rules`);
  return out.BackupPlan.Rules;
}

/** The copy rule targets the DR vault output, in the DR region, and that vault exists. */
async function copyRule(
  ctx: CheckContext,
  rules: readonly BackupRule[],
  drVaultArn: string,
  policy: DrPolicy,
): Promise<CheckOutcome> {
  const targets = copyTargets(rules);
  if (!targets.length) return fail('copy rule', 'no rule of the backup plan copies to another region');
  const toDr = targets.filter((t) => t.vaultArn === drVaultArn);
  if (!toDr.length)
    return fail(
      'copy rule',
      `copies go to ${targets.map((t) => t.vaultArn).join(', ')}, not to the DR vault ${drVaultArn}`,
    );
  const [, , , region, , rest] = drVaultArn.split(':');
  if (region !== policy.drRegion)
    return fail('copy rule', `DR vault ${drVaultArn} is in ${region}, expected ${policy.drRegion}`);
  const vaultName = rest?.startsWith('backup-vault') ? drVaultArn.split(':').slice(6).join(':') : undefined;
  if (!vaultName) throw new CheckFailure(`${OUTPUTS.drBackupVaultArn} ${drVaultArn} is not a backup vault ARN`);
  await vaultExists(ctx, 'dr', vaultName);
  return pass('copy rule', `rules ${toDr.map((t) => t.rule).join(', ')} copy to ${vaultName} in ${region}`);
}

/** The vault name of a backup vault ARN (`arn:aws:backup:<region>:<account>:backup-vault:<name>`). */
function drVaultName(arn: string): string {
  const parts = arn.split(':');
  if (parts[5] !== 'backup-vault' || !parts[6])
    throw new CheckFailure(`${OUTPUTS.drBackupVaultArn} ${arn} is not a backup vault ARN`);
  return parts.slice(6).join(':');
}

function arnPattern(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** Every table and the file bucket are in a selection of the plan (by ARN, wildcards allowed). */
async function selections(ctx: CheckContext, planId: string, resources: readonly Protected[]): Promise<CheckOutcome> {
  const list = await call(ctx, `ListBackupSelections ${planId}`, (abortSignal) =>
    ctx.clients.backup.send(new ListBackupSelectionsCommand({ BackupPlanId: planId }), { abortSignal }),
  );
  const ids = (list.BackupSelectionsList ?? []).map((s) => s.SelectionId).filter((id): id is string => !!id);
  if (!ids.length) return fail('selections', `backup plan ${planId} has no selection`);
  const selected = await Promise.all(
    ids.map(async (id) => {
      const out = await call(ctx, `GetBackupSelection ${id}`, (abortSignal) =>
        ctx.clients.backup.send(new GetBackupSelectionCommand({ BackupPlanId: planId, SelectionId: id }), {
          abortSignal,
        }),
      );
      if (!out.BackupSelection) throw new CheckFailure(`GetBackupSelection ${id} returned no selection`);
      return {
        include: (out.BackupSelection.Resources ?? []).map(arnPattern),
        exclude: (out.BackupSelection.NotResources ?? []).map(arnPattern),
      };
    }),
  );
  const missing = resources.filter(
    (r) => !selected.some((s) => s.include.some((p) => p.test(r.arn)) && !s.exclude.some((p) => p.test(r.arn))),
  );
  if (missing.length)
    return fail('selections', `not in any backup selection: ${missing.map((r) => r.label).join(', ')}`);
  return pass('selections', `all ${resources.length} resources selected`);
}

/** The newest recovery point of each resource is within the RPO, with a grace period for a new stage. */
async function recoveryPoints(
  ctx: CheckContext,
  resource: Protected,
  policy: DrPolicy,
  stageAgeHours: number | undefined,
): Promise<CheckOutcome> {
  const out = await call(ctx, `ListRecoveryPointsByResource ${resource.label}`, (abortSignal) =>
    ctx.clients.backup.send(new ListRecoveryPointsByResourceCommand({ ResourceArn: resource.arn, MaxResults: 100 }), {
      abortSignal,
    }),
  );
  const times = (out.RecoveryPoints ?? [])
    .filter((p) => USABLE_RECOVERY_POINT.has(p.Status ?? '') && p.CreationDate instanceof Date)
    .map((p) => p.CreationDate!.getTime());
  return newestWithinRpo(`recovery point ${resource.label}`, times, ctx.now(), policy, stageAgeHours);
}

async function keyRotation(ctx: CheckContext, keyArn: string): Promise<CheckOutcome> {
  const out = await call(ctx, 'GetKeyRotationStatus', (abortSignal) =>
    ctx.clients.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }), { abortSignal }),
  );
  if (typeof out.KeyRotationEnabled !== 'boolean')
    throw new CheckFailure(`GetKeyRotationStatus ${keyArn} returned no status`);
  return out.KeyRotationEnabled
    ? pass('key rotation', 'enabled on the data key')
    : fail('key rotation', `disabled on ${keyArn}`);
}

async function bucketVersioning(ctx: CheckContext, bucket: string): Promise<CheckOutcome> {
  const out = await call(ctx, `GetBucketVersioning ${bucket}`, (abortSignal) =>
    ctx.clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }), { abortSignal }),
  );
  return out.Status === 'Enabled'
    ? pass(`versioning ${bucket}`, 'enabled (AWS Backup needs it for S3)')
    : fail(`versioning ${bucket}`, `versioning is ${out.Status ?? 'off'} on bucket ${bucket}`);
}

async function restoreTesting(
  ctx: CheckContext,
  planName: string,
  policy: DrPolicy,
  stageAgeHours: number | undefined,
): Promise<CheckOutcome> {
  const plan = await call(ctx, `GetRestoreTestingPlan ${planName}`, (abortSignal) =>
    ctx.clients.backup.send(new GetRestoreTestingPlanCommand({ RestoreTestingPlanName: planName }), { abortSignal }),
  );
  const arn = plan.RestoreTestingPlan?.RestoreTestingPlanArn;
  if (!arn) throw new CheckFailure(`GetRestoreTestingPlan ${planName} returned no plan`);
  const maxDays = policy.restoreJobMaxAgeDays;
  if (maxDays === undefined) return pass('restore testing', `plan ${planName} present`);
  const jobs = await call(ctx, 'ListRestoreJobs', (abortSignal) =>
    ctx.clients.backup.send(new ListRestoreJobsCommand({ ByRestoreTestingPlanArn: arn, MaxResults: 100 }), {
      abortSignal,
    }),
  );
  const completed = (jobs.RestoreJobs ?? [])
    .filter((j) => j.Status === 'COMPLETED' && j.CompletionDate instanceof Date)
    .map((j) => j.CompletionDate!.getTime());
  const ageDays = completed.length ? (ctx.now().getTime() - Math.max(...completed)) / (24 * HOUR) : undefined;
  if (ageDays !== undefined && ageDays <= maxDays)
    return pass('restore testing', `last restore job succeeded ${ageDays.toFixed(1)} days ago`);
  if (stageAgeHours !== undefined && stageAgeHours < maxDays * 24 + policy.newStageGraceHours) {
    return warn(
      'restore testing',
      `no successful restore job within ${maxDays} days yet; stage is ${(stageAgeHours / 24).toFixed(1)} days old (grace period)`,
    );
  }
  return fail(
    'restore testing',
    ageDays === undefined
      ? `no successful restore job of plan ${planName}`
      : `last successful restore job is ${ageDays.toFixed(0)} days old, more than ${maxDays}`,
  );
}

/**
 * The DR-readiness check of a stage: every stack *_COMPLETE and every table ACTIVE (as in the health check,
 * so the DR check is complete when run alone); PITR on every table; backup plan rules match the policy; the copy
 * rule targets the DR vault in the DR region; selections cover every table and the file bucket; the newest
 * recovery point of each is within the RPO (grace period for a new stage); key rotation on; file bucket
 * versioned; the keys Enabled; the newest copy in the DR vault within the RPO; Vault Lock as the policy asks;
 * where the policy asks for an isolated copy, every rule copies to the logically air-gapped vault, which exists,
 * is locked with the configured bounds, and holds a copy of each resource within the RPO plus the copy delay;
 * restore testing plan present and, where required, a recent successful restore job.
 */
export async function runDrReadinessCheck(ctx: CheckContext): Promise<CheckReport> {
  const started = Date.now();
  const policy = ctx.params.dr;
  if (!policy) return toReport('dr', ctx.params.stage, [fail('parameters', 'no DR policy given')], 0);
  let stacks: StageStack[];
  try {
    stacks = await describeStageStacks(ctx);
  } catch (error) {
    return toReport('dr', ctx.params.stage, [fail('stacks', (error as Error).message)], Date.now() - started);
  }
  const outputs = new StageOutputs(stacks);
  const firstDeploy = outputs.firstDeployedAt();
  const stageAgeHours = firstDeploy ? (ctx.now().getTime() - firstDeploy.getTime()) / HOUR : undefined;

  // Shared look-ups, started once and awaited by the items that need them.
  const rules = (async () => planRules(ctx, outputs.require(OUTPUTS.backupPlanId)))();
  const resources = (async (): Promise<Protected[]> => {
    const tables = await Promise.all(
      TABLE_OUTPUTS.map(async (key) => {
        const name = outputs.require(key);
        return { label: `table ${name}`, arn: await tableArn(ctx, name) };
      }),
    );
    const bucket = outputs.require(OUTPUTS.fileStorageBucketName);
    return [...tables, { label: `bucket ${bucket}`, arn: `arn:aws:s3:::${bucket}` }];
  })();
  rules.catch(() => undefined);
  resources.catch(() => undefined);

  const items: Record<string, () => Promise<CheckOutcome | CheckOutcome[]>> = {
    // Also in the health check; repeated so the DR check run alone (npm run check -- dr) is complete.
    stacks: async () => stacksComplete(stacks),
    tables: () => Promise.all(TABLE_OUTPUTS.map((key) => tableActive(ctx, outputs, key))),
    pitr: () => Promise.all(TABLE_OUTPUTS.map((key) => pitr(ctx, outputs.require(key)))),
    vault: async () => {
      const name = outputs.require(OUTPUTS.backupVaultName);
      await vaultExists(ctx, 'primary', name);
      return pass('vault', `${name} exists`);
    },
    plan: async () => evaluatePlanRules(await rules, policy),
    'copy rule': async () => copyRule(ctx, await rules, outputs.require(OUTPUTS.drBackupVaultArn), policy),
    selections: async () => selections(ctx, outputs.require(OUTPUTS.backupPlanId), await resources),
    'recovery points': async () =>
      Promise.all((await resources).map((r) => recoveryPoints(ctx, r, policy, stageAgeHours))),
    'vault lock': () =>
      Promise.all([
        vaultLock(ctx, 'primary', outputs.require(OUTPUTS.backupVaultName), policy),
        vaultLock(ctx, 'dr', drVaultName(outputs.require(OUTPUTS.drBackupVaultArn)), policy),
      ]),
    'dr copies': async () =>
      drCopies(ctx, await resources, drVaultName(outputs.require(OUTPUTS.drBackupVaultArn)), policy, stageAgeHours),
    'key rotation': () => keyRotation(ctx, outputs.require(OUTPUTS.dataKeyArn)),
    keys: () => keyStates(ctx, outputs, { backup: true }),
    versioning: () => bucketVersioning(ctx, outputs.require(OUTPUTS.fileStorageBucketName)),
  };
  const isolated = policy.isolatedCopy;
  if (isolated) {
    items['isolated copy rule'] = async () =>
      evaluateIsolatedCopyRules(await rules, outputs.require(OUTPUTS.isolatedBackupVaultArn), isolated);
    items['isolated copies'] = async () =>
      isolatedCopies(
        ctx,
        await resources,
        outputs.require(OUTPUTS.isolatedBackupVaultArn),
        policy,
        isolated,
        stageAgeHours,
      );
  }
  if (policy.restoreTesting)
    items['restore testing'] = () =>
      restoreTesting(ctx, outputs.require(OUTPUTS.restoreTestingPlanName), policy, stageAgeHours);
  return runCheck('dr', ctx, items);
}
