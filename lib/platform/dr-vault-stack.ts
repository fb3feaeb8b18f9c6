import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { restrictKmsGrantsToAwsServices } from '../compliance/restrict-kms-grants';
import type { StageConfig } from '../config';
import { OUTPUTS } from '../../contracts/output-names';
import { resourceNames } from '../../contracts/resource-names';
import { IsolatedBackupVault } from './backup/isolated-backup-vault';
import { vaultLockConfiguration } from './backup/vault-lock-configuration';

/** Props of {@link DrVaultStack}. */
export interface DrVaultStackProps extends StackProps {
  /** The stage this stack belongs to; deploy the stack in `stage.drRegion`. */
  readonly stage: StageConfig;
}

/**
 * The backup copy targets in the DR region: a vault with its own key, so copies survive the loss
 * of the primary region and of its keys, and, where the policy asks for an isolated copy, a logically
 * air-gapped vault, so copies also survive an administrator of the account. Level 0 of the stage; the
 * Backup stack copies into both.
 */
export class DrVaultStack extends Stack {
  /** Key that encrypts the copies in the DR region. */
  readonly key: kms.Key;
  /** Vault that receives every rule's copies. */
  readonly vault: backup.BackupVault;
  /** Logically air-gapped vault that receives every rule's copies too, when `stage.backup.isolatedCopy` is set. */
  readonly isolatedVault?: IsolatedBackupVault;

  constructor(scope: Construct, id: string, props: DrVaultStackProps) {
    super(scope, id, props);
    const { stage } = props;
    if (props.env?.region !== undefined && props.env.region !== stage.drRegion) {
      throw new Error(
        `${id}: deploy this stack in ${stage.name}.drRegion (${stage.drRegion}), not ${props.env.region}.`,
      );
    }
    const removalPolicy = stage.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.key = new kms.Key(this, 'VaultKey', {
      description: `UK Home Improvement ${stage.name} DR backup vault key`,
      enableKeyRotation: true,
      removalPolicy,
    });
    restrictKmsGrantsToAwsServices(this.key);
    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: resourceNames(stage.name).drBackupVault,
      encryptionKey: this.key,
      removalPolicy,
      blockRecoveryPointDeletion: stage.retainData,
      lockConfiguration: stage.backup ? vaultLockConfiguration(stage.backup) : undefined,
    });
    new CfnOutput(this, OUTPUTS.drBackupVaultArn, { value: this.vault.backupVaultArn });
    new CfnOutput(this, OUTPUTS.drBackupVaultKeyArn, { value: this.key.keyArn });

    const isolated = stage.backup?.isolatedCopy;
    if (isolated) {
      this.isolatedVault = new IsolatedBackupVault(this, 'IsolatedVault', {
        vaultName: resourceNames(stage.name).isolatedBackupVault,
        minRetentionDays: isolated.minRetentionDays,
        maxRetentionDays: isolated.maxRetentionDays,
        removalPolicy,
      });
      new CfnOutput(this, OUTPUTS.isolatedBackupVaultArn, { value: this.isolatedVault.vaultArn });
    }
  }
}
