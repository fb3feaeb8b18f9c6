import type { BackupClient } from '@aws-sdk/client-backup';
import {
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  GetRestoreTestingPlanCommand,
  DescribeBackupVaultCommand,
  ListBackupSelectionsCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByResourceCommand,
  ListRestoreJobsCommand,
  DescribeRegionSettingsCommand,
} from '@aws-sdk/client-backup';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeContinuousBackupsCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, GetKeyRotationStatusCommand } from '@aws-sdk/client-kms';
import { GetBucketVersioningCommand } from '@aws-sdk/client-s3';
import 'aws-sdk-client-mock-jest';
import { OUTPUTS } from '../../../../contracts/output-names';
import { ruleFrequency } from '../../../../lambda/pipeline/private/backup-plan-rules';
import { runDrReadinessCheck } from '../../../../lambda/pipeline/private/dr-readiness';
import type { CheckReport } from '../../../../lambda/pipeline/private/check-result';
import type { StageMocks } from '../../../../support/check-fixtures';
import {
  BUCKET,
  DR_POLICY,
  DR_VAULT_ARN,
  HOUR,
  KEY_ARN,
  mockHealthyStage,
  NOW,
  STACK_OUTPUTS,
  TABLE_ARN,
  TABLES,
} from '../../../../support/check-fixtures';
import { testContext } from '../../../support/check-test-context';
import { awsError } from '../../../support/aws-error';

const failed = (r: CheckReport) => r.outcomes.filter((o) => o.status === 'fail');
const daily = {
  RuleName: 'Daily',
  TargetBackupVaultName: 'vault',
  ScheduleExpression: 'cron(0 3 * * ? *)',
  Lifecycle: { DeleteAfterDays: 30 },
};
const weekly = {
  RuleName: 'Weekly',
  TargetBackupVaultName: 'vault',
  ScheduleExpression: 'cron(0 4 ? * SUN *)',
  Lifecycle: { DeleteAfterDays: 365, MoveToColdStorageAfterDays: 7 },
};

let mocks: StageMocks;
beforeEach(() => {
  mocks = mockHealthyStage();
});
afterEach(() => mocks.restore());

describe('The DR check', () => {
  it('passes a stage with PITR, a matching plan, a DR copy, full selections, fresh recovery points, key rotation and restore tests', async () => {
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.outcomes.map((o) => o.name)).toEqual(
      expect.arrayContaining([
        `pitr ${TABLES[0]}`,
        'vault',
        'plan daily rule',
        'plan weekly rule',
        'copy rule',
        'selections',
        `recovery point table ${TABLES[0]}`,
        `recovery point bucket ${BUCKET}`,
        'key rotation',
        `versioning ${BUCKET}`,
        'restore testing',
      ]),
    );
  });

  it("asks each AWS call about the stage's own table, plan, key, bucket and restore testing plan", async () => {
    await runDrReadinessCheck(testContext());
    expect(mocks.ddb).toHaveReceivedCommandWith(DescribeTableCommand, { TableName: TABLES[0] });
    expect(mocks.ddb).toHaveReceivedCommandWith(DescribeContinuousBackupsCommand, { TableName: TABLES[0] });
    expect(mocks.backup).toHaveReceivedCommandWith(GetBackupPlanCommand, { BackupPlanId: 'plan-1' });
    expect(mocks.backup).toHaveReceivedCommandWith(ListBackupSelectionsCommand, { BackupPlanId: 'plan-1' });
    expect(mocks.kms).toHaveReceivedCommandWith(GetKeyRotationStatusCommand, { KeyId: KEY_ARN('1111') });
    expect(mocks.s3).toHaveReceivedCommandWith(GetBucketVersioningCommand, { Bucket: BUCKET });
    expect(mocks.backup).toHaveReceivedCommandWith(GetRestoreTestingPlanCommand, {
      RestoreTestingPlanName: 'tables-monthly',
    });
  });

  it('describes the DR vault through the DR-region client and the stage vault through the primary one', async () => {
    const ctx = testContext();
    const vaultsAsked = (client: BackupClient) => {
      const send = jest.spyOn(client, 'send');
      return () =>
        send.mock.calls
          .map(([command]) => command)
          .filter((command) => command instanceof DescribeBackupVaultCommand)
          .map((command) => command.input.BackupVaultName);
    };
    const primary = vaultsAsked(ctx.clients.backup);
    const dr = vaultsAsked(ctx.clients.drBackup);
    expect(failed(await runDrReadinessCheck(ctx))).toEqual([]);
    const drVault = DR_VAULT_ARN.split(':').slice(6).join(':');
    expect(dr()).toContain(drVault);
    expect(primary()).not.toContain(drVault);
    expect(primary()).toContain('uk-home-improvement-staging-backup-vault');
    expect(dr()).not.toContain('uk-home-improvement-staging-backup-vault');
  });

  it('fails naming the table when PITR is disabled on one table', async () => {
    mocks.ddb.on(DescribeContinuousBackupsCommand, { TableName: TABLES[1] }).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
      },
    });
    const report = await runDrReadinessCheck(testContext());
    expect(report.passed).toBe(false);
    expect(failed(report)).toEqual([
      { name: `pitr ${TABLES[1]}`, status: 'fail', detail: `point-in-time recovery is DISABLED on table ${TABLES[1]}` },
    ]);
  });

  it('fails naming a table that is missing from every backup selection', async () => {
    mocks.backup.on(GetBackupSelectionCommand).resolves({
      BackupSelection: {
        SelectionName: 's',
        IamRoleArn: 'r',
        Resources: [TABLE_ARN(TABLES[0]), TABLE_ARN(TABLES[1]), TABLE_ARN(TABLES[2]), `arn:aws:s3:::${BUCKET}`],
      },
    });
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({ name: 'selections', detail: `not in any backup selection: table ${TABLES[3]}` }),
    ]);
  });

  it('accepts a selection that covers the tables with a wildcard', async () => {
    mocks.backup.on(GetBackupSelectionCommand).resolves({
      BackupSelection: {
        SelectionName: 's',
        IamRoleArn: 'r',
        Resources: ['arn:aws:dynamodb:eu-west-2:222222222222:table/t-*', `arn:aws:s3:::${BUCKET}`],
      },
    });
    expect((await runDrReadinessCheck(testContext())).passed).toBe(true);
  });

  it('accepts resources spread over several selections, each resource in one of them', async () => {
    mocks.backup
      .on(ListBackupSelectionsCommand)
      .resolves({ BackupSelectionsList: [{ SelectionId: 'tables' }, { SelectionId: 'files' }] });
    mocks.backup.on(GetBackupSelectionCommand, { SelectionId: 'tables' }).resolves({
      BackupSelection: { SelectionName: 'tables', IamRoleArn: 'r', Resources: TABLES.map(TABLE_ARN) },
    });
    mocks.backup.on(GetBackupSelectionCommand, { SelectionId: 'files' }).resolves({
      BackupSelection: { SelectionName: 'files', IamRoleArn: 'r', Resources: [`arn:aws:s3:::${BUCKET}`] },
    });
    const report = await runDrReadinessCheck(testContext());
    expect(report.outcomes.find((o) => o.name === 'selections')?.status).toBe('pass');
  });

  it('fails when no rule copies to another region', async () => {
    mocks.backup.on(GetBackupPlanCommand).resolves({ BackupPlan: { BackupPlanName: 'p', Rules: [daily, weekly] } });
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({ name: 'copy rule', detail: 'no rule of the backup plan copies to another region' }),
    ]);
  });

  it('fails when the copy rule targets a vault other than the DR vault', async () => {
    const other = 'arn:aws:backup:eu-west-2:222222222222:backup-vault:other';
    mocks.backup.on(GetBackupPlanCommand).resolves({
      BackupPlan: {
        BackupPlanName: 'p',
        Rules: [{ ...daily, CopyActions: [{ DestinationBackupVaultArn: other }] }, weekly],
      },
    });
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)[0].detail).toContain(`copies go to ${other}, not to the DR vault`);
  });

  it('fails when the daily retention differs from the policy', async () => {
    mocks.backup.on(GetBackupPlanCommand).resolves({
      BackupPlan: {
        BackupPlanName: 'p',
        Rules: [
          {
            ...daily,
            Lifecycle: { DeleteAfterDays: 7 },
            CopyActions: [
              {
                DestinationBackupVaultArn:
                  'arn:aws:backup:eu-west-1:222222222222:backup-vault:uk-home-improvement-staging-dr-vault',
              },
            ],
          },
          weekly,
        ],
      },
    });
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({ name: 'plan daily rule', detail: 'retention 7 days, expected 30' }),
    ]);
  });

  it('fails naming the resource whose newest recovery point is older than the RPO', async () => {
    mocks.backup.setRecoveryPoints(
      'primary',
      [
        { Status: 'COMPLETED', CreationDate: new Date(NOW.getTime() - 50 * HOUR) },
        { Status: 'PARTIAL', CreationDate: new Date(NOW.getTime() - 1 * HOUR) },
      ],
      TABLE_ARN(TABLES[0]),
    );
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({
        name: `recovery point table ${TABLES[0]}`,
        detail: 'newest recovery point is 50.0 h old, older than the RPO of 26 h',
      }),
    ]);
  });

  it('gives a new stage a grace period for its first recovery point, and says so', async () => {
    mocks.restore();
    mocks = mockHealthyStage(10);
    mocks.backup.setRecoveryPoints('primary', []);
    mocks.backup.setRecoveryPoints('dr', []);
    const report = await runDrReadinessCheck(testContext());
    expect(report.passed).toBe(true);
    const warning = report.outcomes.find((o) => o.name === `recovery point table ${TABLES[0]}`);
    expect(warning).toEqual(
      expect.objectContaining({
        status: 'warn',
        detail: expect.stringContaining('within the 48 h grace period for a new stage'),
      }),
    );
  });

  it('fails a stage past its grace period that has no recovery point', async () => {
    mocks.backup.setRecoveryPoints('primary', [], `arn:aws:s3:::${BUCKET}`);
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({
        name: `recovery point bucket ${BUCKET}`,
        detail: expect.stringContaining('no available recovery point'),
      }),
    ]);
  });

  it('fails when key rotation is off', async () => {
    mocks.kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    expect(failed(await runDrReadinessCheck(testContext()))[0].name).toBe('key rotation');
  });

  it('fails naming the key and its state when the backup vault key is pending deletion (rotation still reads as on)', async () => {
    const arn = KEY_ARN('3333');
    mocks.kms.on(DescribeKeyCommand, { KeyId: arn }).resolves({
      KeyMetadata: { KeyId: arn, KeyState: 'PendingDeletion', DeletionDate: new Date('2026-06-08T00:00:00Z') },
    });
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)).toEqual([
      {
        name: 'key backup vault key',
        status: 'fail',
        detail: `${arn} is PendingDeletion, deleted on 2026-06-08T00:00:00.000Z, expected Enabled: what it encrypts cannot be read`,
      },
    ]);
  });

  it('checks the DR vault key in the DR region', async () => {
    const arn = KEY_ARN('4444', 'eu-west-1');
    mocks.kms.on(DescribeKeyCommand, { KeyId: arn }).resolves({ KeyMetadata: { KeyId: arn, KeyState: 'Disabled' } });
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({ name: 'key DR vault key', detail: expect.stringContaining('is Disabled') }),
    ]);
    const call = mocks.kms.commandCalls(DescribeKeyCommand, { KeyId: arn })[0];
    expect(await (call.thisValue as { config: { region: () => Promise<string> } }).config.region()).toBe('eu-west-1');
  });

  it('run alone, fails when a stage stack is not in a *_COMPLETE state', async () => {
    mocks.cfn.on(DescribeStacksCommand, { StackName: 'Staging-Backup' }).resolves({
      Stacks: [
        {
          StackName: 'Staging-Backup',
          StackStatus: 'UPDATE_ROLLBACK_FAILED',
          CreationTime: new Date(NOW.getTime() - 400 * 24 * HOUR),
          Outputs: Object.entries(STACK_OUTPUTS['Staging-Backup']).map(([OutputKey, OutputValue]) => ({
            OutputKey,
            OutputValue,
          })),
        },
      ],
    });
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({ name: 'stacks', detail: 'Staging-Backup is UPDATE_ROLLBACK_FAILED' }),
    ]);
  });

  it('run alone, fails when a table is not ACTIVE', async () => {
    mocks.ddb
      .on(DescribeTableCommand, { TableName: TABLES[0] })
      .resolves({ Table: { TableName: TABLES[0], TableStatus: 'ARCHIVED', TableArn: TABLE_ARN(TABLES[0]) } });
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)).toEqual([
      { name: `table ${TABLES[0]}`, status: 'fail', detail: 'is ARCHIVED, expected ACTIVE' },
    ]);
  });

  it('fails naming the resource whose newest copy in the DR-region vault is older than the RPO', async () => {
    mocks.backup.setRecoveryPoints(
      'dr',
      [
        {
          Status: 'AVAILABLE',
          CreationDate: new Date(NOW.getTime() - 60 * HOUR),
          BackupVaultName: 'uk-home-improvement-staging-dr-vault',
        },
      ],
      `arn:aws:s3:::${BUCKET}`,
    );
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)).toEqual([
      {
        name: `dr copy bucket ${BUCKET}`,
        status: 'fail',
        detail:
          'newest copy in uk-home-improvement-staging-dr-vault (eu-west-1) is 60.0 h old, older than the RPO of 26 h',
      },
    ]);
  });

  it('does not count a recovery point in another DR-region vault as the copy', async () => {
    mocks.backup.setRecoveryPoints(
      'dr',
      [{ Status: 'AVAILABLE', CreationDate: new Date(NOW.getTime() - HOUR), BackupVaultName: 'some-other-vault' }],
      `arn:aws:s3:::${BUCKET}`,
    );
    expect(failed(await runDrReadinessCheck(testContext())).map((o) => o.name)).toEqual([`dr copy bucket ${BUCKET}`]);
  });

  it('fails with the advanced-DynamoDB hint when tables are backed up but never copied and the feature is off', async () => {
    mocks.backup.setRecoveryPoints('dr', []);
    mocks.backup.on(DescribeRegionSettingsCommand).resolves({ ResourceTypeManagementPreference: { DynamoDB: false } });
    const report = await runDrReadinessCheck(testContext());
    const table = failed(report).find((o) => o.name === `dr copy table ${TABLES[0]}`);
    expect(table?.detail).toContain("AWS Backup's advanced features for DynamoDB are off");
    expect(table?.detail).toContain('resource-type-management-preference DynamoDB=true');
    expect(failed(report).find((o) => o.name === `dr copy bucket ${BUCKET}`)?.detail).not.toContain('DynamoDB');
  });

  it('still fails missing table copies, saying so, when the region settings cannot be read', async () => {
    mocks.backup.setRecoveryPoints('dr', [], TABLE_ARN(TABLES[2]));
    mocks.backup.on(DescribeRegionSettingsCommand).rejects(awsError('AccessDeniedException', 403));
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({
        name: `dr copy table ${TABLES[2]}`,
        detail: expect.stringContaining('could not read the region settings'),
      }),
    ]);
  });

  it('fails, not passes, when ListCopyJobs is denied', async () => {
    mocks.backup.on(ListCopyJobsCommand).rejects(awsError('AccessDeniedException', 403));
    expect(failed(await runDrReadinessCheck(testContext()))).toEqual([
      expect.objectContaining({ name: 'dr copies', detail: expect.stringContaining('access denied') }),
    ]);
  });

  it('reports failed copy jobs by resource: a failure without a fresh copy, a warning with one', async () => {
    mocks.backup.setRecoveryPoints('dr', [], TABLE_ARN(TABLES[1]));
    mocks.backup.on(ListCopyJobsCommand).resolves({
      CopyJobs: [
        { ResourceArn: TABLE_ARN(TABLES[1]), State: 'FAILED', StatusMessage: 'Access denied to the destination key' },
        { ResourceArn: `arn:aws:s3:::${BUCKET}`, State: 'FAILED', StatusMessage: 'Throttled' },
      ],
    });
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({
        name: `dr copy table ${TABLES[1]}`,
        detail: expect.stringContaining(
          '1 copy job(s) failed since 2026-05-31T10:00:00.000Z, last: Access denied to the destination key',
        ),
      }),
    ]);
    expect(report.outcomes.find((o) => o.name === 'copy jobs')).toEqual({
      name: 'copy jobs',
      status: 'warn',
      detail: `failed since 2026-05-31T10:00:00.000Z (newer copies exist): bucket ${BUCKET}: Throttled`,
    });
    expect(mocks.backup.commandCalls(ListCopyJobsCommand)[0].args[0].input).toMatchObject({
      ByState: 'FAILED',
      ByCreatedAfter: new Date('2026-05-31T10:00:00.000Z'),
    });
  });

  it('verifies the Vault Lock of both vaults, naming the vault that is not locked', async () => {
    mocks.backup
      .on(DescribeBackupVaultCommand, { BackupVaultName: 'uk-home-improvement-staging-dr-vault' })
      .resolves({ BackupVaultName: 'dr', Locked: false });
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)).toEqual([
      {
        name: 'vault lock uk-home-improvement-staging-dr-vault',
        status: 'fail',
        detail:
          'governance-mode Vault Lock expected: not locked, minimum retention unset days, expected 30, maximum retention unset days, expected 365',
      },
    ]);
    expect(report.outcomes.find((o) => o.name === 'vault lock uk-home-improvement-staging-backup-vault')?.status).toBe(
      'pass',
    );
  });

  it('fails a Vault Lock whose minimum retention would let recovery points go early', async () => {
    mocks.backup
      .on(DescribeBackupVaultCommand, { BackupVaultName: 'uk-home-improvement-staging-backup-vault' })
      .resolves({ Locked: true, MinRetentionDays: 1, MaxRetentionDays: 365 });
    expect(failed(await runDrReadinessCheck(testContext()))).toEqual([
      expect.objectContaining({
        name: 'vault lock uk-home-improvement-staging-backup-vault',
        detail: expect.stringContaining('minimum retention 1 days, expected 30'),
      }),
    ]);
  });

  it('expects a lock date in compliance mode', async () => {
    const report = await runDrReadinessCheck(
      testContext({ params: { dr: { ...DR_POLICY, vaultLock: 'compliance' } } }),
    );
    expect(failed(report).map((o) => o.detail)).toEqual([
      'compliance-mode Vault Lock expected: no lock date, so it is in governance mode, expected compliance',
      'compliance-mode Vault Lock expected: no lock date, so it is in governance mode, expected compliance',
    ]);
  });

  it('requires no lock when vaultLock is off', async () => {
    mocks.backup.on(DescribeBackupVaultCommand).resolves({ BackupVaultName: 'v', Locked: false });
    const report = await runDrReadinessCheck(testContext({ params: { dr: { ...DR_POLICY, vaultLock: 'off' } } }));
    expect(report.passed).toBe(true);
  });

  it('fails when the file bucket is not versioned', async () => {
    mocks.s3.on(GetBucketVersioningCommand).resolves({ Status: 'Suspended' });
    expect(failed(await runDrReadinessCheck(testContext()))[0].detail).toBe(
      `versioning is Suspended on bucket ${BUCKET}`,
    );
  });

  it('fails when the last successful restore job is older than required', async () => {
    mocks.backup
      .on(ListRestoreJobsCommand)
      .resolves({ RestoreJobs: [{ Status: 'COMPLETED', CompletionDate: new Date(NOW.getTime() - 40 * 24 * HOUR) }] });
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({
        name: 'restore testing',
        detail: 'last successful restore job is 40 days old, more than 35',
      }),
    ]);
  });

  it('does not ask for a restore job where the policy does not require one', async () => {
    mocks.backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
    const report = await runDrReadinessCheck(
      testContext({ params: { dr: { ...DR_POLICY, restoreJobMaxAgeDays: undefined } } }),
    );
    expect(report.passed).toBe(true);
    expect(mocks.backup.commandCalls(ListRestoreJobsCommand)).toHaveLength(0);
  });

  it('fails when the restore testing plan is gone', async () => {
    mocks.backup.on(GetRestoreTestingPlanCommand).rejects(awsError('ResourceNotFoundException', 404));
    expect(failed(await runDrReadinessCheck(testContext()))[0].detail).toContain(
      'GetRestoreTestingPlan tables-monthly failed: ResourceNotFoundException',
    );
  });

  it('fails every backup item with the reason when AWS Backup is throttled beyond the retries', async () => {
    mocks.backup.on(GetBackupPlanCommand).rejects(awsError('ThrottlingException', 400));
    const report = await runDrReadinessCheck(testContext());
    expect(
      failed(report)
        .map((o) => o.name)
        .sort(),
    ).toEqual(['copy rule', 'plan']);
    expect(failed(report)[0].detail).toContain('still failing after 3 attempts');
    expect(mocks.backup.commandCalls(GetBackupPlanCommand)).toHaveLength(3);
  });

  it('fails with access denied when the check role may not read continuous backups', async () => {
    mocks.ddb.on(DescribeContinuousBackupsCommand).rejects(awsError('AccessDeniedException', 400));
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({ name: 'pitr', detail: expect.stringContaining('access denied') }),
    ]);
  });

  it('fails when a call times out', async () => {
    mocks.kms.on(GetKeyRotationStatusCommand).callsFake(() => new Promise(() => undefined));
    expect(failed(await runDrReadinessCheck(testContext()))[0].detail).toBe(
      'GetKeyRotationStatus timed out after 500 ms',
    );
  });

  it('fails when the answer has an unexpected shape', async () => {
    mocks.ddb.on(DescribeContinuousBackupsCommand, { TableName: TABLES[0] }).resolves({});
    expect(failed(await runDrReadinessCheck(testContext()))[0].detail).toBe(
      `DescribeContinuousBackups ${TABLES[0]} returned no PITR status`,
    );
  });
});

describe('Reading a backup rule schedule', () => {
  it.each([
    ['cron(0 5 ? * * *)', 'daily'],
    ['cron(0 5 * * ? *)', 'daily'],
    ['cron(0 5 ? * SUN *)', 'weekly'],
    ['cron(0 5 1 * ? *)', 'monthly'],
    ['rate(1 day)', 'other'],
  ])('reads %s as %s', (expression, frequency) => {
    expect(ruleFrequency(expression)).toBe(frequency);
  });
});

describe('The DR check, on what a first run or a partial stage answers', () => {
  it('fails with the reason when no DR policy is given, calling nothing', async () => {
    const report = await runDrReadinessCheck(testContext({ params: { dr: undefined } }));
    expect(report.outcomes).toEqual([{ name: 'parameters', status: 'fail', detail: 'no DR policy given' }]);
    expect(mocks.cfn.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });

  it('fails the stacks item alone when a stage stack does not exist yet', async () => {
    mocks.cfn.on(DescribeStacksCommand, { StackName: 'Staging-Backup' }).rejects(
      Object.assign(new Error('Stack with id Staging-Backup does not exist'), {
        name: 'ValidationError',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const report = await runDrReadinessCheck(testContext());
    expect(report.passed).toBe(false);
    expect(report.outcomes).toEqual([
      { name: 'stacks', status: 'fail', detail: expect.stringContaining('Staging-Backup') },
    ]);
  });

  it('fails the copy rule naming the DR vault when it does not exist in the DR region', async () => {
    mocks.backup
      .on(DescribeBackupVaultCommand, { BackupVaultName: 'uk-home-improvement-staging-dr-vault' })
      .rejects(awsError('ResourceNotFoundException', 400));
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report).find((o) => o.name === 'copy rule')?.detail).toBe(
      'DescribeBackupVault uk-home-improvement-staging-dr-vault (dr region) failed: ResourceNotFoundException: ResourceNotFoundException happened',
    );
  });

  it('fails the copy rule when the DR vault is not in the DR region', async () => {
    const report = await runDrReadinessCheck(
      testContext({ params: { dr: { ...DR_POLICY, drRegion: 'eu-central-1' } } }),
    );
    expect(failed(report).find((o) => o.name === 'copy rule')?.detail).toBe(
      'DR vault arn:aws:backup:eu-west-1:222222222222:backup-vault:uk-home-improvement-staging-dr-vault is in eu-west-1, expected eu-central-1',
    );
  });

  it('fails the primary vault item naming the vault when it does not exist', async () => {
    mocks.backup
      .on(DescribeBackupVaultCommand, { BackupVaultName: 'uk-home-improvement-staging-backup-vault' })
      .rejects(awsError('ResourceNotFoundException', 400));
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report).find((o) => o.name === 'vault')?.detail).toContain(
      'DescribeBackupVault uk-home-improvement-staging-backup-vault (primary region) failed: ResourceNotFoundException',
    );
  });

  it('fails the plan items when the plan answers without rules', async () => {
    mocks.backup.on(GetBackupPlanCommand).resolves({ BackupPlan: { BackupPlanName: 'p' } as never });
    const report = await runDrReadinessCheck(testContext());
    expect(failed(report).map((o) => [o.name, o.detail])).toEqual([
      ['plan', 'GetBackupPlan plan-1 returned no rules'],
      ['copy rule', 'GetBackupPlan plan-1 returned no rules'],
    ]);
  });

  it('fails the selections of a plan that has none yet', async () => {
    mocks.backup.on(ListBackupSelectionsCommand).resolves({ BackupSelectionsList: [] });
    expect(failed(await runDrReadinessCheck(testContext()))).toEqual([
      { name: 'selections', status: 'fail', detail: 'backup plan plan-1 has no selection' },
    ]);
  });

  it('matches selections by whole ARN: a prefix, or an ARN excluded by NotResources, is not selected', async () => {
    const all = [...TABLES.map(TABLE_ARN), `arn:aws:s3:::${BUCKET}`];
    mocks.backup.on(GetBackupSelectionCommand).resolves({
      BackupSelection: {
        SelectionName: 's',
        IamRoleArn: 'r',
        Resources: ['arn:aws:dynamodb:eu-west-2:222222222222:table/t-user', ...all.slice(1), 'table/t-users'],
        NotResources: ['arn:aws:s3:::files-*'],
      },
    });
    expect(failed(await runDrReadinessCheck(testContext()))).toEqual([
      {
        name: 'selections',
        status: 'fail',
        detail: `not in any backup selection: table ${TABLES[0]}, bucket ${BUCKET}`,
      },
    ]);
    mocks.backup.on(GetBackupSelectionCommand).resolves({
      BackupSelection: {
        SelectionName: 's',
        IamRoleArn: 'r',
        Resources: ['arn:aws:dynamodb:eu-west-2:222222222222:table/t.users'],
      },
    });
    expect(failed(await runDrReadinessCheck(testContext()))[0].detail).toContain(`table ${TABLES[0]}`);
  });

  it('passes the selections naming how many resources are selected', async () => {
    const report = await runDrReadinessCheck(testContext());
    expect(report.outcomes.find((o) => o.name === 'selections')?.detail).toBe('all 5 resources selected');
    expect(mocks.backup.commandCalls(GetBackupSelectionCommand)[0].args[0].input).toEqual({
      BackupPlanId: 'plan-1',
      SelectionId: 'sel-1',
    });
  });

  it('fails the versioning of a bucket that was never versioned', async () => {
    mocks.s3.on(GetBucketVersioningCommand).resolves({});
    expect(failed(await runDrReadinessCheck(testContext()))[0].detail).toBe(`versioning is off on bucket ${BUCKET}`);
  });

  it('fails when a table answers without its ARN, or key rotation without a status', async () => {
    mocks.ddb.on(DescribeTableCommand, { TableName: TABLES[3] }).resolves({ Table: { TableStatus: 'ACTIVE' } });
    mocks.kms.on(GetKeyRotationStatusCommand).resolves({});
    const details = failed(await runDrReadinessCheck(testContext())).map((o) => o.detail);
    expect(details).toContain(`DescribeTable ${TABLES[3]} returned no ARN`);
    expect(details).toContain(`GetKeyRotationStatus ${KEY_ARN('1111')} returned no status`);
  });

  describe('restore testing', () => {
    const jobDaysAgo = (days: number) =>
      mocks.backup.on(ListRestoreJobsCommand).resolves({
        RestoreJobs: [{ Status: 'COMPLETED', CompletionDate: new Date(NOW.getTime() - days * 24 * HOUR) }],
      });
    const restoreItem = (r: CheckReport) => r.outcomes.find((o) => o.name === 'restore testing');

    it('passes a restore job exactly as old as allowed, asking by the plan ARN', async () => {
      jobDaysAgo(35);
      expect(restoreItem(await runDrReadinessCheck(testContext()))).toEqual({
        name: 'restore testing',
        status: 'pass',
        detail: 'last restore job succeeded 35.0 days ago',
      });
      expect(mocks.backup.commandCalls(ListRestoreJobsCommand)[0].args[0].input).toEqual({
        ByRestoreTestingPlanArn: 'arn:aws:backup:eu-west-2:222222222222:restore-testing-plan:tables-monthly',
        MaxResults: 100,
      });
    });

    it('judges by the newest of several completed restore jobs, in whatever order AWS lists them', async () => {
      mocks.backup.on(ListRestoreJobsCommand).resolves({
        RestoreJobs: [40, 10, 90].map((days) => ({
          Status: 'COMPLETED',
          CompletionDate: new Date(NOW.getTime() - days * 24 * HOUR),
        })),
      });
      expect(restoreItem(await runDrReadinessCheck(testContext()))).toEqual({
        name: 'restore testing',
        status: 'pass',
        detail: 'last restore job succeeded 10.0 days ago',
      });
    });

    it('fails a stage past its grace period with no completed restore job', async () => {
      mocks.backup.on(ListRestoreJobsCommand).resolves({
        RestoreJobs: [{ Status: 'FAILED', CompletionDate: new Date(NOW.getTime() - HOUR) }, { Status: 'COMPLETED' }],
      });
      expect(restoreItem(await runDrReadinessCheck(testContext()))).toEqual({
        name: 'restore testing',
        status: 'fail',
        detail: 'no successful restore job of plan tables-monthly',
      });
    });

    it('warns while the stage is younger than the restore window plus the grace period', async () => {
      mocks.restore();
      mocks = mockHealthyStage(35 * 24 + 47);
      mocks.backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
      expect(restoreItem(await runDrReadinessCheck(testContext()))).toEqual({
        name: 'restore testing',
        status: 'warn',
        detail: 'no successful restore job within 35 days yet; stage is 37.0 days old (grace period)',
      });
      mocks.restore();
      mocks = mockHealthyStage(35 * 24 + 48);
      mocks.backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
      expect(restoreItem(await runDrReadinessCheck(testContext()))?.status).toBe('fail');
    });

    it('only checks the plan is present when no restore job age is required, and nothing without restore testing', async () => {
      expect(
        restoreItem(
          await runDrReadinessCheck(testContext({ params: { dr: { ...DR_POLICY, restoreJobMaxAgeDays: undefined } } })),
        ),
      ).toEqual({ name: 'restore testing', status: 'pass', detail: 'plan tables-monthly present' });
      const off = await runDrReadinessCheck(testContext({ params: { dr: { ...DR_POLICY, restoreTesting: false } } }));
      expect(restoreItem(off)).toBeUndefined();
      expect(mocks.backup.commandCalls(GetRestoreTestingPlanCommand)).toHaveLength(1);
    });

    it('fails when the restore testing plan answers without its ARN', async () => {
      mocks.backup.on(GetRestoreTestingPlanCommand).resolves({ RestoreTestingPlan: {} as never });
      expect(restoreItem(await runDrReadinessCheck(testContext()))?.detail).toBe(
        'GetRestoreTestingPlan tables-monthly returned no plan',
      );
    });
  });
});

describe('The DR check, on what an operator reads and what AWS answers', () => {
  const item = (r: CheckReport, name: string) => r.outcomes.find((o) => o.name === name);
  /** The stage's stack `stack` publishing `changed` over its usual outputs. */
  const publish = (stack: string, changed: Record<string, string | undefined>) =>
    mocks.cfn.on(DescribeStacksCommand, { StackName: stack }).resolves({
      Stacks: [
        {
          StackName: stack,
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(NOW.getTime() - 400 * 24 * HOUR),
          Outputs: Object.entries({ ...STACK_OUTPUTS[stack], ...changed })
            .filter(([, value]) => value !== undefined)
            .map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    });
  /** The backup plan's daily and weekly rules, copying to `copyTo[0]` and `copyTo[1]` (`copyTo[0]` if only one). */
  const copyingTo = (...copyTo: string[]) =>
    mocks.backup.on(GetBackupPlanCommand).resolves({
      BackupPlan: {
        BackupPlanName: 'p',
        Rules: [daily, weekly].map((rule, i) => ({
          ...rule,
          CopyActions: [{ DestinationBackupVaultArn: copyTo[i] ?? copyTo[0] }],
        })),
      },
    });

  it('sends every AWS call with the signal that cancels it when its attempt times out', async () => {
    await runDrReadinessCheck(testContext());
    const calls: { args: unknown[] }[] = [mocks.ddb, mocks.backup, mocks.kms, mocks.s3].flatMap(
      (m: { calls(): { args: unknown[] }[] }) => m.calls(),
    );
    const unsignalled = calls
      .filter((c) => !((c.args[1] as { abortSignal?: unknown } | undefined)?.abortSignal instanceof AbortSignal))
      .map((c) => (c.args[0] as object).constructor.name);
    expect(calls.length).toBeGreaterThan(20);
    expect(unsignalled).toEqual([]);
  });

  it.each([
    ['selections', `DescribeTable ${TABLES[0]}`, () => mocks.ddb.on(DescribeTableCommand, { TableName: TABLES[0] })],
    ['pitr', `DescribeContinuousBackups ${TABLES[0]}`, () => mocks.ddb.on(DescribeContinuousBackupsCommand)],
    ['plan', 'GetBackupPlan plan-1', () => mocks.backup.on(GetBackupPlanCommand)],
    ['selections', 'ListBackupSelections plan-1', () => mocks.backup.on(ListBackupSelectionsCommand)],
    ['selections', 'GetBackupSelection sel-1', () => mocks.backup.on(GetBackupSelectionCommand)],
    [
      'recovery points',
      `ListRecoveryPointsByResource table ${TABLES[0]}`,
      () => mocks.backup.on(ListRecoveryPointsByResourceCommand, { ResourceArn: TABLE_ARN(TABLES[0]) }),
    ],
    ['versioning', `GetBucketVersioning ${BUCKET}`, () => mocks.s3.on(GetBucketVersioningCommand)],
    ['restore testing', 'ListRestoreJobs', () => mocks.backup.on(ListRestoreJobsCommand)],
  ])('fails the %s item naming the refused call (%s)', async (name, what, on) => {
    on().rejects(awsError('AccessDeniedException', 400));
    const report = await runDrReadinessCheck(testContext());
    expect(item(report, name)).toEqual({
      name,
      status: 'fail',
      detail: expect.stringMatching(new RegExp(`^${what} failed: access denied`)),
    });
  });

  it('fails naming the call when a selection, a table, its continuous backups or the restore testing plan answer without what was asked', async () => {
    mocks.backup.on(GetBackupSelectionCommand).resolves({});
    expect(item(await runDrReadinessCheck(testContext()), 'selections')?.detail).toBe(
      'GetBackupSelection sel-1 returned no selection',
    );
    mocks.ddb.on(DescribeTableCommand, { TableName: TABLES[3] }).resolves({});
    mocks.ddb
      .on(DescribeContinuousBackupsCommand, { TableName: TABLES[0] })
      .resolves({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED' } });
    mocks.backup.on(GetRestoreTestingPlanCommand).resolves({});
    const report = await runDrReadinessCheck(testContext());
    expect(item(report, 'selections')?.detail).toBe(`DescribeTable ${TABLES[3]} returned no ARN`);
    expect(item(report, 'pitr')?.detail).toBe(`DescribeContinuousBackups ${TABLES[0]} returned no PITR status`);
    expect(item(report, 'restore testing')?.detail).toBe('GetRestoreTestingPlan tables-monthly returned no plan');
  });

  it('fails the selections when the list of selections has none with an id', async () => {
    // Every member of an SDK answer is optional in its types; an answer without selections never passes.
    mocks.backup.on(ListBackupSelectionsCommand).resolves({});
    expect(item(await runDrReadinessCheck(testContext()), 'selections')?.detail).toBe(
      'backup plan plan-1 has no selection',
    );
    mocks.backup.on(ListBackupSelectionsCommand).resolves({ BackupSelectionsList: [{ SelectionName: 'all' }] });
    expect(item(await runDrReadinessCheck(testContext()), 'selections')?.detail).toBe(
      'backup plan plan-1 has no selection',
    );
    expect(mocks.backup.commandCalls(GetBackupSelectionCommand)).toHaveLength(0);
  });

  it('matches a dot in a selected ARN as a dot (an S3 bucket name may have dots)', async () => {
    publish('Staging-Stateful', { [OUTPUTS.fileStorageBucketName]: 'files.bucket' });
    mocks.backup.on(GetBackupSelectionCommand).resolves({
      BackupSelection: {
        SelectionName: 's',
        IamRoleArn: 'r',
        Resources: [...TABLES.map(TABLE_ARN), 'arn:aws:s3:::files.bucket'],
      },
    });
    expect(item(await runDrReadinessCheck(testContext()), 'selections')).toEqual({
      name: 'selections',
      status: 'pass',
      detail: 'all 5 resources selected',
    });
  });

  it.each([
    ['another resource type', 'arn:aws:backup:eu-west-1:222222222222:backup-plan:uk-home-improvement-staging-dr-vault'],
    ['a type that only ends in backup-vault', 'arn:aws:backup:eu-west-1:222222222222:old-backup-vault:dr-vault'],
    ['no resource part', 'arn:aws:backup:eu-west-1:222222222222'],
  ])('fails every DR vault item when the DR vault output is not a backup vault ARN (%s)', async (_, arn) => {
    publish('Staging-DrVault', { [OUTPUTS.drBackupVaultArn]: arn });
    copyingTo(arn);
    const report = await runDrReadinessCheck(testContext());
    const notAVault = `${OUTPUTS.drBackupVaultArn} ${arn} is not a backup vault ARN`;
    expect(failed(report)).toEqual(
      ['copy rule', 'vault lock', 'dr copies'].map((name) => ({ name, status: 'fail', detail: notAVault })),
    );
  });

  it('names the rules that copy to the DR vault, and the vaults copied to instead of it', async () => {
    expect(item(await runDrReadinessCheck(testContext()), 'copy rule')).toEqual({
      name: 'copy rule',
      status: 'pass',
      detail: 'rules Daily copy to uk-home-improvement-staging-dr-vault in eu-west-1',
    });
    copyingTo(DR_VAULT_ARN);
    expect(item(await runDrReadinessCheck(testContext()), 'copy rule')?.detail).toBe(
      'rules Daily, Weekly copy to uk-home-improvement-staging-dr-vault in eu-west-1',
    );
    const other = (name: string) => `arn:aws:backup:eu-west-1:222222222222:backup-vault:${name}`;
    copyingTo(other('a'), other('b'));
    expect(failed(await runDrReadinessCheck(testContext()))).toEqual([
      {
        name: 'copy rule',
        status: 'fail',
        detail: `copies go to ${other('a')}, ${other('b')}, not to the DR vault ${DR_VAULT_ARN}`,
      },
    ]);
  });

  it('says what passed: PITR, the vault, key rotation and versioning', async () => {
    const report = await runDrReadinessCheck(testContext());
    expect(item(report, `pitr ${TABLES[0]}`)?.detail).toBe('enabled');
    expect(item(report, 'vault')?.detail).toBe('uk-home-improvement-staging-backup-vault exists');
    expect(item(report, 'key rotation')?.detail).toBe('enabled on the data key');
    expect(item(report, `versioning ${BUCKET}`)?.detail).toBe('enabled (AWS Backup needs it for S3)');
  });

  it('names the key whose rotation is off, and the bucket that is not versioned', async () => {
    mocks.kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    mocks.s3.on(GetBucketVersioningCommand).resolves({ Status: 'Suspended' });
    expect(failed(await runDrReadinessCheck(testContext()))).toEqual([
      { name: 'key rotation', status: 'fail', detail: `disabled on ${KEY_ARN('1111')}` },
      { name: `versioning ${BUCKET}`, status: 'fail', detail: `versioning is Suspended on bucket ${BUCKET}` },
    ]);
  });

  it.each([
    ['primary', 'uk-home-improvement-staging-backup-vault'],
    ['dr', 'uk-home-improvement-staging-dr-vault'],
  ])('fails the vault lock naming the %s region when its vault cannot be described', async (where, vault) => {
    mocks.backup
      .on(DescribeBackupVaultCommand, { BackupVaultName: vault })
      .rejects(awsError('AccessDeniedException', 400));
    expect(item(await runDrReadinessCheck(testContext()), 'vault lock')?.detail).toMatch(
      new RegExp(`^DescribeBackupVault ${vault} \\(${where} region\\) failed: access denied`),
    );
  });

  it('checks the backup keys even when the Backup stack does not publish its vault name', async () => {
    publish('Staging-Backup', { [OUTPUTS.backupVaultName]: undefined });
    mocks.kms.on(DescribeKeyCommand, { KeyId: KEY_ARN('3333') }).resolves({
      KeyMetadata: { KeyId: KEY_ARN('3333'), KeyState: 'Disabled' },
    });
    expect(item(await runDrReadinessCheck(testContext()), 'key backup vault key')?.status).toBe('fail');
  });

  it('reports as the dr check, with the time it took, whether it ran, found no policy or no stacks', async () => {
    const ran = await runDrReadinessCheck(testContext());
    const noPolicy = await runDrReadinessCheck(testContext({ params: { dr: undefined } }));
    mocks.cfn.on(DescribeStacksCommand).rejects(awsError('AccessDenied', 403));
    const noStacks = await runDrReadinessCheck(testContext());
    expect(noStacks.outcomes.map((o) => o.name)).toEqual(['stacks']);
    for (const report of [ran, noPolicy, noStacks]) {
      expect(report).toMatchObject({ check: 'dr', stage: 'staging' });
      expect(report.durationMs).toBeGreaterThanOrEqual(0);
      expect(report.durationMs).toBeLessThan(60_000);
    }
  });
});
