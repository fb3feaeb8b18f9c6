/**
 * The CloudFormation output keys of the platform's stacks (published by lib/platform, read by the
 * post-deploy checks in lambda/pipeline and the operator CLI) and of the pipeline stack.
 *
 * @packageDocumentation
 */

/**
 * CloudFormation output keys the platform's stacks and the pipeline stack publish. The post-deploy checks and the
 * operator CLI find values through these keys (via the CloudFormation API), so they are a contract.
 */
export const OUTPUTS = {
  // Stateful stack
  userPoolId: 'UserPoolId',
  userPoolClientId: 'UserPoolClientId',
  fileStorageBucketName: 'FileStorageBucketName',
  usersTableName: 'UsersTableName',
  projectsTableName: 'ProjectsTableName',
  quotesTableName: 'QuotesTableName',
  contractsTableName: 'ContractsTableName',
  dataKeyArn: 'DataKeyArn',
  // Service stack
  apiUrl: 'ApiUrl',
  /** The API as clients reach it: `https://<distribution>/api/` (the acceptance journey calls it). */
  publicApiUrl: 'PublicApiUrl',
  healthUrl: 'HealthUrl',
  distributionDomainName: 'DistributionDomainName',
  stateMachineArn: 'StateMachineArn',
  monitoringDashboardUrl: 'MonitoringDashboardUrl',
  criticalAlertsTopicArn: 'CriticalAlertsTopicArn',
  warningAlertsTopicArn: 'WarningAlertsTopicArn',
  stageUnhealthyAlarmName: 'StageUnhealthyAlarmName',
  logKeyArn: 'LogKeyArn',
  // Backup stack
  backupVaultName: 'BackupVaultName',
  backupPlanId: 'BackupPlanId',
  restoreTestingPlanName: 'RestoreTestingPlanName',
  backupVaultKeyArn: 'BackupVaultKeyArn',
  // DR vault stack
  drBackupVaultArn: 'DrBackupVaultArn',
  drBackupVaultKeyArn: 'DrBackupVaultKeyArn',
  isolatedBackupVaultArn: 'IsolatedBackupVaultArn',
  // Pipeline stack
  approversPolicyArn: 'ApproversPolicyArn',
} as const;
