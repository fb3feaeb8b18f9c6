import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { Construct } from 'constructs';
import { AIR_GAPPED_MIN_RETENTION_DAYS } from '../../../contracts/vault-lock';

/** Props of {@link IsolatedBackupVault}. */
export interface IsolatedBackupVaultProps {
  /** Physical name of the vault (letters, digits, `-` and `_`, 2 to 50 characters). */
  readonly vaultName: string;
  /** Shortest retention a copy in the vault may have; at least 7 days. Fixed when the vault is created. */
  readonly minRetentionDays: number;
  /** Longest retention a copy in the vault may have. Fixed when the vault is created. */
  readonly maxRetentionDays: number;
  /**
   * What happens to the vault when it leaves the stack.
   * @default RemovalPolicy.RETAIN: the vault and its copies stay (AWS Backup refuses to delete a vault that holds copies anyway)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A logically air-gapped backup vault (AWS::Backup::LogicallyAirGappedBackupVault): the isolated copy target.
 * AWS Backup locks it in compliance mode from creation, keeps its copies in an account AWS Backup owns, and
 * encrypts them with an AWS-owned key (no EncryptionKeyArn: the AWS-owned key is AWS Backup's default; the optional
 * customer-managed key would be a key of this account, back in reach of its administrators). Restores go through AWS
 * RAM sharing or from this account; see docs/runbook.md.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html
 *
 * Its name, minimum and maximum retention are create-only properties: changing one replaces the vault, which
 * CloudFormation cannot do while the vault holds copies.
 */
export class IsolatedBackupVault extends Construct {
  /** The vault as a copy destination of a backup plan rule. */
  readonly vault: backup.IBackupVault;
  /** ARN of the vault. */
  readonly vaultArn: string;
  /** Name of the vault. */
  readonly vaultName: string;

  constructor(scope: Construct, id: string, props: IsolatedBackupVaultProps) {
    super(scope, id);
    const { minRetentionDays: min, maxRetentionDays: max } = props;
    if (!Number.isInteger(min) || min < AIR_GAPPED_MIN_RETENTION_DAYS || !Number.isInteger(max) || max < min) {
      throw new Error(
        `${id}: minRetentionDays ${min} and maxRetentionDays ${max} are not valid: expected whole numbers of days, ` +
          `at least ${AIR_GAPPED_MIN_RETENTION_DAYS} (AWS Backup's minimum for a logically air-gapped vault), the minimum at most the maximum.`,
      );
    }
    if (!Token.isUnresolved(props.vaultName) && !/^[a-zA-Z0-9_-]{2,50}$/.test(props.vaultName)) {
      throw new Error(
        `${id}: vaultName "${props.vaultName}" is not valid: expected 2 to 50 letters, digits, '-' or '_'.`,
      );
    }
    const resource = new backup.CfnLogicallyAirGappedBackupVault(this, 'Resource', {
      backupVaultName: props.vaultName,
      minRetentionDays: min,
      maxRetentionDays: max,
    });
    resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.vaultArn = resource.attrBackupVaultArn;
    this.vaultName = props.vaultName;
    this.vault = backup.BackupVault.fromBackupVaultArn(this, 'Destination', this.vaultArn);
  }
}
