import type { RecoveryPointByBackupVault, RecoveryPointByResource } from '@aws-sdk/client-backup';
import {
  BackupClient,
  DescribeBackupVaultCommand,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  GetRestoreTestingPlanCommand,
  DescribeRegionSettingsCommand,
  ListBackupSelectionsCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRecoveryPointsByResourceCommand,
  ListRestoreJobsCommand,
} from '@aws-sdk/client-backup';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CognitoIdentityProviderClient, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { mockClient } from 'aws-sdk-client-mock';
import { OUTPUTS } from '../contracts/output-names';
import type { CheckParameters, DrPolicy, IsolatedCopyPolicy } from '../contracts/check-parameters';

export const NOW = new Date('2026-06-01T12:00:00Z');
/** STS's answer to the check role's AssumeRole: fake session credentials. */
export const ASSUMED_ROLE = {
  Credentials: { AccessKeyId: 'AKIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: NOW },
};
export const HOUR = 3_600_000;
export const ACCOUNT = '222222222222';

export const TABLES = ['t-users', 't-projects', 't-quotes', 't-contracts'];
export const BUCKET = 'files-bucket';
export const TABLE_ARN = (name: string) => `arn:aws:dynamodb:eu-west-2:${ACCOUNT}:table/${name}`;
export const DR_VAULT_ARN = `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-vault:uk-home-improvement-staging-dr-vault`;
export const ISOLATED_VAULT_NAME = 'uk-home-improvement-staging-isolated-vault';
/** The logically air-gapped vault in the DR region (an air-gapped vault's ARN has the form of any backup vault's). */
export const ISOLATED_VAULT_ARN = `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-vault:${ISOLATED_VAULT_NAME}`;
/** ARN of a fake key; `id` tells the stage's keys apart. */
export const KEY_ARN = (id: string, region = 'eu-west-2') =>
  `arn:aws:kms:${region}:${ACCOUNT}:key/${id}abcd-0000-4000-8000-000000000000`;
export const CRITICAL_TOPIC_ARN = `arn:aws:sns:eu-west-2:${ACCOUNT}:uk-home-improvement-staging-critical`;
export const WARNING_TOPIC_ARN = `arn:aws:sns:eu-west-2:${ACCOUNT}:uk-home-improvement-staging-warning`;
export const RESTORE_PLAN_ARN = `arn:aws:backup:eu-west-2:${ACCOUNT}:restore-testing-plan:tables-monthly`;

/** Outputs of the fake stage's stacks, by stack name. */
export const STACK_OUTPUTS: Record<string, Record<string, string>> = {
  'Staging-Stateful': {
    [OUTPUTS.usersTableName]: TABLES[0],
    [OUTPUTS.projectsTableName]: TABLES[1],
    [OUTPUTS.quotesTableName]: TABLES[2],
    [OUTPUTS.contractsTableName]: TABLES[3],
    [OUTPUTS.fileStorageBucketName]: BUCKET,
    [OUTPUTS.userPoolId]: 'eu-west-2_example',
    [OUTPUTS.dataKeyArn]: KEY_ARN('1111'),
  },
  'Staging-Service': {
    [OUTPUTS.healthUrl]: 'https://api.example.com/prod/health',
    [OUTPUTS.stateMachineArn]: `arn:aws:states:eu-west-2:${ACCOUNT}:stateMachine:ai-workflow`,
    [OUTPUTS.stageUnhealthyAlarmName]: 'uk-home-improvement-staging-stage-unhealthy',
    [OUTPUTS.criticalAlertsTopicArn]: CRITICAL_TOPIC_ARN,
    [OUTPUTS.logKeyArn]: KEY_ARN('2222'),
  },
  'Staging-Backup': {
    [OUTPUTS.backupVaultName]: 'uk-home-improvement-staging-backup-vault',
    [OUTPUTS.backupPlanId]: 'plan-1',
    [OUTPUTS.restoreTestingPlanName]: 'tables-monthly',
    [OUTPUTS.backupVaultKeyArn]: KEY_ARN('3333'),
  },
  'Staging-DrVault': {
    [OUTPUTS.drBackupVaultArn]: DR_VAULT_ARN,
    [OUTPUTS.drBackupVaultKeyArn]: KEY_ARN('4444', 'eu-west-1'),
    [OUTPUTS.isolatedBackupVaultArn]: ISOLATED_VAULT_ARN,
  },
};

export const DR_POLICY: DrPolicy = {
  drRegion: 'eu-west-1',
  dailyRetentionDays: 30,
  weeklyRetentionDays: 365,
  weeklyColdStorageAfterDays: 7,
  recoveryPointMaxAgeHours: 26,
  newStageGraceHours: 48,
  restoreTesting: true,
  restoreJobMaxAgeDays: 35,
  vaultLock: 'governance',
};

/** The isolated copy of a stage that has one (add it to {@link DR_POLICY} as `isolatedCopy`). */
export const ISOLATED_COPY: IsolatedCopyPolicy = { minRetentionDays: 30, maxRetentionDays: 365, copyDelayHours: 12 };

export const PARAMS: CheckParameters = {
  stage: 'staging',
  region: 'eu-west-2',
  stackNames: Object.keys(STACK_OUTPUTS),
  stackRegions: { 'Staging-DrVault': 'eu-west-1' },
  roleArn: `arn:aws:iam::${ACCOUNT}:role/uk-home-improvement-staging-pipeline-validation`,
  dr: DR_POLICY,
};

/** A body of the health endpoint's contract (lambda/platform/health-endpoint) with every dependency OK. */
export const HEALTHY_BODY = JSON.stringify({
  status: 'ok',
  stage: 'staging',
  dependencies: [
    { name: 'table:users', ok: true, detail: 'ACTIVE' },
    { name: 'secret:claude', ok: true, detail: 'present' },
  ],
});

/** The mocked clients of a healthy stage; tests override single answers to break one thing. */
export interface StageMocks {
  cfn: AwsClientStub<CloudFormationClient>;
  ddb: AwsClientStub<DynamoDBClient>;
  cognito: AwsClientStub<CognitoIdentityProviderClient>;
  sfn: AwsClientStub<SFNClient>;
  secrets: AwsClientStub<SecretsManagerClient>;
  cw: AwsClientStub<CloudWatchClient>;
  kms: AwsClientStub<KMSClient>;
  s3: AwsClientStub<S3Client>;
  backup: BackupMock;
  restore(): void;
}

/** Mocks every AWS client so that the fake stage is healthy and DR-ready at {@link NOW}. */
export function mockHealthyStage(stackAgeHours = 24 * 400): StageMocks {
  const cfn = mockClient(CloudFormationClient);
  for (const [name, outputs] of Object.entries(STACK_OUTPUTS)) {
    cfn.on(DescribeStacksCommand, { StackName: name }).resolves({
      Stacks: [
        {
          StackName: name,
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(NOW.getTime() - stackAgeHours * HOUR),
          Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    });
  }
  const ddb = mockClient(DynamoDBClient);
  for (const t of TABLES) {
    ddb
      .on(DescribeTableCommand, { TableName: t })
      .resolves({ Table: { TableName: t, TableStatus: 'ACTIVE', TableArn: TABLE_ARN(t) } });
    ddb.on(DescribeContinuousBackupsCommand, { TableName: t }).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' },
      },
    });
  }
  const cognito = mockClient(CognitoIdentityProviderClient);
  cognito.on(DescribeUserPoolCommand).resolves({ UserPool: { Id: 'eu-west-2_example' } });
  const sfn = mockClient(SFNClient);
  sfn.on(DescribeStateMachineCommand).resolves({ name: 'ai-workflow', status: 'ACTIVE' } as never);
  const secrets = mockClient(SecretsManagerClient);
  secrets.on(DescribeSecretCommand).resolves({ Name: 'x' });
  const cw = mockClient(CloudWatchClient);
  cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
  cw.on(DescribeAlarmsCommand, { AlarmNames: ['uk-home-improvement-staging-stage-unhealthy'] }).resolves({
    CompositeAlarms: [{ AlarmName: 'uk-home-improvement-staging-stage-unhealthy', StateValue: 'OK' }],
  });
  const kms = mockClient(KMSClient);
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true });
  kms.on(DescribeKeyCommand).callsFake((input: { KeyId: string }) => ({
    KeyMetadata: { KeyId: input.KeyId, Arn: input.KeyId, KeyState: 'Enabled' },
  }));
  const s3 = mockClient(S3Client);
  s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
  const backup = mockBackupOf(TABLES.map(TABLE_ARN).concat(`arn:aws:s3:::${BUCKET}`));
  const all = [cfn, ddb, cognito, sfn, secrets, cw, kms, s3, backup];
  return { cfn, ddb, cognito, sfn, secrets, cw, kms, s3, backup, restore: () => all.forEach((m) => m.restore()) };
}

/** The AWS Backup mock, with the recovery points each region answers. */
export type BackupMock = AwsClientStub<BackupClient> & {
  /** Sets the recovery points of `resourceArn` (every resource when omitted) in the primary or the DR region. */
  setRecoveryPoints(where: 'primary' | 'dr', points: RecoveryPointByResource[], resourceArn?: string): void;
  /** Sets the recovery points of `resourceArn` (every resource when omitted) in the isolated vault. */
  setIsolatedCopies(points: RecoveryPointByBackupVault[], resourceArn?: string): void;
};

/**
 * Mocks AWS Backup (which moto does not model: no recovery points) for a plan that selects `selected`: in the
 * primary region fresh recovery points, in the DR region (`drVaultArn`'s region) a fresh copy in the DR vault and
 * in the isolated (logically air-gapped) vault `isolatedVaultArn`, which answers as an air-gapped vault does.
 */
export function mockBackupOf(
  selected: string[],
  now = NOW,
  drVaultArn = DR_VAULT_ARN,
  isolatedVaultArn = ISOLATED_VAULT_ARN,
): BackupMock {
  const backup = mockClient(BackupClient);
  const [, , , drRegion, , , drVaultName] = drVaultArn.split(':');
  const isolatedVaultName = isolatedVaultArn.split(':')[6];
  const isolated = new Map<string | undefined, RecoveryPointByBackupVault[]>();
  const freshCopy = (resourceArn: string): RecoveryPointByBackupVault[] => [
    {
      Status: 'AVAILABLE',
      CreationDate: new Date(now.getTime() - 3 * HOUR),
      BackupVaultName: isolatedVaultName,
      ResourceArn: resourceArn,
      VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
    },
  ];
  backup
    .on(ListRecoveryPointsByBackupVaultCommand)
    .callsFake(async (input: { BackupVaultName: string; ByResourceArn?: string }) => {
      if (input.BackupVaultName !== isolatedVaultName) return { RecoveryPoints: [] };
      const arn = input.ByResourceArn ?? '';
      return { RecoveryPoints: isolated.get(arn) ?? isolated.get(undefined) ?? freshCopy(arn) };
    });
  const defaults: Record<'primary' | 'dr', RecoveryPointByResource[]> = {
    primary: [
      { Status: 'COMPLETED', CreationDate: new Date(now.getTime() - 30 * HOUR) },
      { Status: 'AVAILABLE', CreationDate: new Date(now.getTime() - 2 * HOUR) },
    ],
    dr: [{ Status: 'AVAILABLE', CreationDate: new Date(now.getTime() - 1 * HOUR), BackupVaultName: drVaultName }],
  };
  const overrides: Record<'primary' | 'dr', Map<string | undefined, RecoveryPointByResource[]>> = {
    primary: new Map(),
    dr: new Map(),
  };
  backup.on(ListRecoveryPointsByResourceCommand).callsFake(async (input: { ResourceArn: string }, getClient) => {
    const where = (await getClient().config.region()) === drRegion ? 'dr' : 'primary';
    return {
      RecoveryPoints: overrides[where].get(input.ResourceArn) ?? overrides[where].get(undefined) ?? defaults[where],
    };
  });
  backup.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
  backup.on(DescribeRegionSettingsCommand).resolves({ ResourceTypeManagementPreference: { DynamoDB: true } });
  // Governance-mode Vault Lock (no lock date) with the retention of the rules below.
  backup
    .on(DescribeBackupVaultCommand)
    .resolves({ BackupVaultName: 'vault', Locked: true, MinRetentionDays: 30, MaxRetentionDays: 365 });
  // The air-gapped vault as DescribeBackupVault shows one: its type, locked in compliance mode from creation.
  backup.on(DescribeBackupVaultCommand, { BackupVaultName: isolatedVaultName }).resolves({
    BackupVaultName: isolatedVaultName,
    BackupVaultArn: isolatedVaultArn,
    VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
    VaultState: 'AVAILABLE',
    EncryptionKeyType: 'AWS_OWNED_KMS_KEY',
    CreationDate: new Date(now.getTime() - 400 * 24 * HOUR),
    Locked: true,
    LockDate: new Date(now.getTime() - 400 * 24 * HOUR),
    MinRetentionDays: 30,
    MaxRetentionDays: 365,
  });
  backup.on(GetBackupPlanCommand).resolves({
    BackupPlan: {
      BackupPlanName: 'plan',
      Rules: [
        {
          RuleName: 'Daily',
          TargetBackupVaultName: 'vault',
          ScheduleExpression: 'cron(0 3 * * ? *)',
          Lifecycle: { DeleteAfterDays: 30 },
          CopyActions: [
            { DestinationBackupVaultArn: drVaultArn, Lifecycle: { DeleteAfterDays: 30 } },
            { DestinationBackupVaultArn: isolatedVaultArn, Lifecycle: { DeleteAfterDays: 30 } },
          ],
        },
        {
          RuleName: 'Weekly',
          TargetBackupVaultName: 'vault',
          ScheduleExpression: 'cron(0 4 ? * SUN *)',
          Lifecycle: { DeleteAfterDays: 365, MoveToColdStorageAfterDays: 7 },
          CopyActions: [{ DestinationBackupVaultArn: isolatedVaultArn, Lifecycle: { DeleteAfterDays: 365 } }],
        },
      ],
    },
  });
  backup.on(ListBackupSelectionsCommand).resolves({ BackupSelectionsList: [{ SelectionId: 'sel-1' }] });
  backup.on(GetBackupSelectionCommand).resolves({
    BackupSelection: {
      SelectionName: 'all',
      IamRoleArn: 'arn:aws:iam::222222222222:role/backup',
      Resources: selected,
    },
  });
  backup
    .on(GetRestoreTestingPlanCommand)
    .resolves({ RestoreTestingPlan: { RestoreTestingPlanArn: RESTORE_PLAN_ARN } as never });
  backup
    .on(ListRestoreJobsCommand)
    .resolves({ RestoreJobs: [{ Status: 'COMPLETED', CompletionDate: new Date(now.getTime() - 10 * 24 * HOUR) }] });
  return Object.assign(backup, {
    setRecoveryPoints(where: 'primary' | 'dr', points: RecoveryPointByResource[], resourceArn?: string) {
      overrides[where].set(resourceArn, points);
    },
    setIsolatedCopies(points: RecoveryPointByBackupVault[], resourceArn?: string) {
      isolated.set(resourceArn, points);
    },
  });
}
