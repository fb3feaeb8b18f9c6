/**
 * Every retained resource of a stage that retains data (staging, prod), by stack id and logical id.
 * Renaming a construct changes its logical id, and CloudFormation then replaces the resource: a new,
 * empty table, bucket, key, user pool, secret or vault (the old one is orphaned, retained). This list
 * makes such a change a deliberate edit: data-safety.test.ts checks it equals the synthesized assembly.
 */
export const RETAINED_RESOURCES: readonly string[] = [
  'Audit/AuditTrailAccessLogsC856A1A5 (AWS::S3::Bucket)',
  'Audit/AuditTrailBucketA91FD435 (AWS::S3::Bucket)',
  'Audit/AuditTrailKeyA4D56A7A (AWS::KMS::Key)',
  'Audit/AuditTrailLockedBucketB22344CF (AWS::S3::Bucket)',
  'Audit/LogEncryptionKeyC62AA08F (AWS::KMS::Key)',
  'Audit/TrailLogs3B05809D (AWS::Logs::LogGroup)',
  'Backup/RestoreTestingValidationLogsFE15FFC2 (AWS::Logs::LogGroup)',
  'Backup/Vault23237E5B (AWS::Backup::BackupVault)',
  'Backup/VaultKey6B75F33E (AWS::KMS::Key)',
  'DrVault/Vault23237E5B (AWS::Backup::BackupVault)',
  'DrVault/VaultKey6B75F33E (AWS::KMS::Key)',
  'EdgeSecurity/CloudFrontWebAclLogsD9EC7AD1 (AWS::Logs::LogGroup)',
  'EdgeSecurity/LogEncryptionKeyC62AA08F (AWS::KMS::Key)',
  'Service/AiWorkflowLogsB6605C7C (AWS::Logs::LogGroup)',
  'Service/ApiAccessLogs50B185DB (AWS::Logs::LogGroup)',
  'Service/ApiExecutionLogsB326CF6B (AWS::Logs::LogGroup)',
  'Service/ApiWebAclLogs9BB09755 (AWS::Logs::LogGroup)',
  'Service/FrontendAccessLogs40989220 (AWS::S3::Bucket)',
  'Service/FrontendSiteA0BD6F7A (AWS::S3::Bucket)',
  'Service/FunctionsHealthLogs9B376366 (AWS::Logs::LogGroup)',
  'Service/FunctionsNotifyLogs1F7EB93A (AWS::Logs::LogGroup)',
  'Service/FunctionsProjectScopingLogs453096B0 (AWS::Logs::LogGroup)',
  'Service/FunctionsProjectsApiLogsE9568F88 (AWS::Logs::LogGroup)',
  'Service/FunctionsQuoteEstimationLogs829AE183 (AWS::Logs::LogGroup)',
  'Service/LogEncryptionKeyC62AA08F (AWS::KMS::Key)',
  'Service/MonitoringTopicsKey94A85B0A (AWS::KMS::Key)',
  'Service/ReleaseHealthPreTrafficHookLogsE8DCF60C (AWS::Logs::LogGroup)',
  'Service/ReleaseNotifyPreTrafficHookLogsBBCEE249 (AWS::Logs::LogGroup)',
  'Service/ReleaseProjectScopingPreTrafficHookLogs5BA62EFD (AWS::Logs::LogGroup)',
  'Service/ReleaseProjectsApiPreTrafficHookLogsAA78DB07 (AWS::Logs::LogGroup)',
  'Service/ReleaseQuoteEstimationPreTrafficHookLogs625738D6 (AWS::Logs::LogGroup)',
  'Service/SyntheticTrafficArtifacts2800D6E3 (AWS::S3::Bucket)',
  'Stateful/ClaudeSecretFBDF3C8A (AWS::SecretsManager::Secret)',
  'Stateful/DataKey17AFBB84 (AWS::KMS::Key)',
  'Stateful/DocuSignSecretFE6B5763 (AWS::SecretsManager::Secret)',
  'Stateful/FileStorageAccessLogsD14DFE42 (AWS::S3::Bucket)',
  'Stateful/FileStorageB30DC344 (AWS::S3::Bucket)',
  'Stateful/StripeSecret80A38A68 (AWS::SecretsManager::Secret)',
  'Stateful/TablesContractsD4F623D2 (AWS::DynamoDB::Table)',
  'Stateful/TablesProjectsD51E92A2 (AWS::DynamoDB::Table)',
  'Stateful/TablesQuotesA38F5242 (AWS::DynamoDB::Table)',
  'Stateful/TablesUsersBA34CAA2 (AWS::DynamoDB::Table)',
  'Stateful/UserPool6BA7E5F2 (AWS::Cognito::UserPool)',
];

/** The retained resources a stage with an isolated backup copy (`<stage>.backup.isolatedCopy`) has beyond {@link RETAINED_RESOURCES}. */
export const ISOLATED_COPY_RETAINED_RESOURCES: readonly string[] = [
  'DrVault/IsolatedVault2DB0AC77 (AWS::Backup::LogicallyAirGappedBackupVault)',
];
