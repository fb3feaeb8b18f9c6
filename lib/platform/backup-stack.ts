import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { restrictKmsGrantsToAwsServices } from '../compliance/restrict-kms-grants';
import type { BackupPolicy, StageConfig } from '../config';
import { BACKUP_SCHEDULE } from '../config';
import { OUTPUTS } from '../../contracts/output-names';
import { PLATFORM_PREFIX, resourceNames } from '../../contracts/resource-names';
import { RestoreTesting } from './backup/restore-testing';
import { vaultLockConfiguration } from './backup/vault-lock-configuration';

/** Props of {@link BackupStack}. */
export interface BackupStackProps extends StackProps {
  /** The stage this stack belongs to; `stage.backup` must be set. */
  readonly stage: StageConfig;
  /** Tables to back up (the stage's four tables). */
  readonly tables: readonly dynamodb.ITable[];
  /** File storage bucket to back up (must be versioned). */
  readonly fileBucket: s3.IBucket;
  /** Key of the tables and the bucket; the backup role may use it to read them. */
  readonly dataKey: kms.IKey;
  /** Vault in the DR region that every rule copies to. */
  readonly drVault: backup.IBackupVault;
  /** Key of the DR vault; the backup role encrypts the copies with it. */
  readonly drVaultKey: kms.IKey;
  /**
   * Logically air-gapped vault that every rule also copies to; required exactly when `stage.backup.isolatedCopy` is set.
   * @default no isolated copy
   */
  readonly isolatedVault?: backup.IBackupVault;
}

/**
 * AWS Backup in the primary region: a vault with its own key, a plan with a daily and a weekly rule,
 * each copied to the DR-region vault (and, when the policy asks, to the logically air-gapped vault there),
 * selections for every table and the file bucket, and (when the policy asks) monthly restore testing of the tables.
 *
 * Cold storage: AWS Backup keeps a cold recovery point at least 90 days, so only the weekly rule
 * moves to cold storage (after `weeklyColdStorageAfterDays`, with `weeklyRetentionDays` at least 90
 * days more, which config validation enforces). The daily rule stays warm: with a 30-day retention it
 * could not go cold, and lengthening it to 97+ days only to save on storage would cost more in
 * minimum cold-storage charges than it saves. S3 recovery points ignore the cold-storage setting
 * (AWS Backup does not tier S3 backups); DynamoDB needs the account's "advanced features for
 * DynamoDB backups" turned on (see docs/runbook.md) for cold storage and cross-region copies.
 */
export class BackupStack extends Stack {
  /** Key that encrypts the primary vault. */
  readonly vaultKey: kms.Key;
  /** Primary-region vault. */
  readonly vault: backup.BackupVault;
  /** Backup plan. */
  readonly plan: backup.BackupPlan;
  /** Role AWS Backup assumes to back up and restore. */
  readonly role: iam.Role;
  /** Monthly restore testing, when the policy turns it on. */
  readonly restoreTesting?: RestoreTesting;

  constructor(scope: Construct, id: string, props: BackupStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const policy: BackupPolicy | undefined = stage.backup;
    if (!policy) {
      throw new Error(
        `${id}: ${stage.name}.backup.enabled is false; create the Backup stack only for stages with a backup policy.`,
      );
    }
    if ((policy.isolatedCopy !== undefined) !== (props.isolatedVault !== undefined)) {
      throw new Error(
        policy.isolatedCopy
          ? `${id}: ${stage.name}.backup.isolatedCopy.enabled is true, so isolatedVault (the DR vault stack's air-gapped vault) is required.`
          : `${id}: isolatedVault is given, but ${stage.name}.backup.isolatedCopy.enabled is false; give it only to a stage with an isolated copy.`,
      );
    }
    const names = resourceNames(stage.name);
    const prefix = `${PLATFORM_PREFIX}-${stage.name}`;
    const removalPolicy = stage.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.vaultKey = new kms.Key(this, 'VaultKey', {
      description: `UK Home Improvement ${stage.name} backup vault key`,
      enableKeyRotation: true,
      removalPolicy,
    });
    restrictKmsGrantsToAwsServices(this.vaultKey);
    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: names.backupVault,
      encryptionKey: this.vaultKey,
      removalPolicy,
      blockRecoveryPointDeletion: stage.retainData,
      lockConfiguration: vaultLockConfiguration(policy),
    });

    this.role = new iam.Role(this, 'BackupRole', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: 'AWS Backup: back up, copy and restore the stage tables and file bucket',
      managedPolicies: [
        'AWSBackupServiceRolePolicyForBackup',
        'AWSBackupServiceRolePolicyForRestores',
        'AWSBackupServiceRolePolicyForS3Backup',
        'AWSBackupServiceRolePolicyForS3Restore',
      ].map((n) => iam.ManagedPolicy.fromAwsManagedPolicyName(`service-role/${n}`)),
    });
    props.dataKey.grantEncryptDecrypt(this.role);
    this.vaultKey.grantEncryptDecrypt(this.role);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CopyIntoDrVault',
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant'],
        resources: [props.drVaultKey.keyArn],
      }),
    );
    for (const policy of [
      'AWSBackupServiceRolePolicyForBackup',
      'AWSBackupServiceRolePolicyForRestores',
      'AWSBackupServiceRolePolicyForS3Backup',
      'AWSBackupServiceRolePolicyForS3Restore',
    ]) {
      acknowledge(this.role, [
        {
          id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`,
          reason:
            "AWS Backup's own service-role policy, which AWS keeps current as resource types are added; scoped to the backup service principal.",
        },
      ]);
    }
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
      acknowledge(this.role, [
        {
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason:
            'From CDK key grants (grantEncryptDecrypt) on the data key and the vault key only; AWS Backup re-encrypts recovery points with them.',
        },
      ]);
    }

    acknowledge(this.role, [
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          'The key grants of the backup role are scoped to this role and to the data, vault and DR vault keys; a managed policy would be shareable and no narrower.',
      },
    ]);

    const days = Duration.days;
    // The isolated copy keeps the rule's retention and stays warm: AWS Backup copies a recovery point across Regions
    // or accounts only from warm storage, and lists no cold tier for air-gapped vaults
    // (https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html,
    // https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-feature-availability.html). A lifecycle is always
    // given: without one a copy takes the source's, cold storage included.
    const isolatedVault = props.isolatedVault;
    const copyTo = (deleteAfter: number, coldAfter?: number): backup.BackupPlanCopyActionProps[] => [
      {
        destinationBackupVault: props.drVault,
        deleteAfter: days(deleteAfter),
        moveToColdStorageAfter: coldAfter ? days(coldAfter) : undefined,
      },
      ...(isolatedVault ? [{ destinationBackupVault: isolatedVault, deleteAfter: days(deleteAfter) }] : []),
    ];
    const weeklyCold = policy.weeklyColdStorageAfterDays > 0 ? policy.weeklyColdStorageAfterDays : undefined;
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: `${prefix}-backup-plan`,
      backupVault: this.vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: events.Schedule.cron({ minute: '0', hour: String(BACKUP_SCHEDULE.dailyHourUtc) }),
          startWindow: Duration.hours(BACKUP_SCHEDULE.startWindowHours),
          completionWindow: Duration.hours(BACKUP_SCHEDULE.completionWindowHours),
          deleteAfter: days(policy.dailyRetentionDays),
          copyActions: copyTo(policy.dailyRetentionDays),
        }),
        new backup.BackupPlanRule({
          ruleName: 'Weekly',
          scheduleExpression: events.Schedule.cron({
            minute: '0',
            hour: String(BACKUP_SCHEDULE.weeklyHourUtc),
            weekDay: 'SUN',
          }),
          startWindow: Duration.hours(BACKUP_SCHEDULE.startWindowHours),
          completionWindow: Duration.hours(BACKUP_SCHEDULE.completionWindowHours),
          deleteAfter: days(policy.weeklyRetentionDays),
          moveToColdStorageAfter: weeklyCold ? days(weeklyCold) : undefined,
          copyActions: copyTo(policy.weeklyRetentionDays, weeklyCold),
        }),
      ],
    });
    this.plan.addSelection('Tables', {
      backupSelectionName: 'Tables',
      resources: props.tables.map((t) => backup.BackupResource.fromDynamoDbTable(t)),
      role: this.role,
    });
    this.plan.addSelection('Files', {
      backupSelectionName: 'FileBucket',
      resources: [backup.BackupResource.fromArn(props.fileBucket.bucketArn)],
      role: this.role,
    });

    if (policy.restoreTesting) {
      this.restoreTesting = new RestoreTesting(this, 'RestoreTesting', {
        planName: `${prefix.replace(/-/g, '_')}_tables`,
        vault: this.vault,
        tables: props.tables,
        restoreRole: this.role,
        readKeys: [props.dataKey, this.vaultKey],
        stageName: stage.name,
        logRetentionDays: stage.logRetentionDays,
        retainLogs: stage.retainData,
      });
      new CfnOutput(this, OUTPUTS.restoreTestingPlanName, { value: this.restoreTesting.plan.restoreTestingPlanName });
    }

    new CfnOutput(this, OUTPUTS.backupVaultName, { value: this.vault.backupVaultName });
    new CfnOutput(this, OUTPUTS.backupPlanId, { value: this.plan.backupPlanId });
    new CfnOutput(this, OUTPUTS.backupVaultKeyArn, { value: this.vaultKey.keyArn });
  }
}
