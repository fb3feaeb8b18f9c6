/**
 * Which resources hold data: the one list the change review (lambda/pipeline), `npm run cleanup` (scripts) and the
 * data-safety tests share. Losing one of these (CloudFormation deleting, replacing or orphaning it) loses data,
 * whatever its DeletionPolicy says; anything else is rebuilt from the templates by the next deploy.
 *
 * @packageDocumentation
 */

/**
 * Resource types that hold data, each with what would be lost.
 *
 * Why these and not others:
 * - tables, buckets, user pools, secrets, vaults, log groups and databases are where the platform's state lives;
 *   none of it is in the templates, so a new, empty resource cannot stand in for a lost one;
 * - a KMS key holds no data itself, but is the only way to read what it encrypted: a deleted key (after its
 *   waiting period) leaves every table, bucket and recovery point encrypted with it unreadable;
 * - a log group keeps its events for its `RetentionInDays` (forever when unset): the audit and access records
 *   the stage promised to keep for that period;
 * - queues, topics, streams and state machines hold data only in transit (seconds to days), and functions,
 *   roles, alarms and APIs hold none: they are left out.
 */
export const DATA_HOLDING_TYPES: Readonly<Record<string, string>> = {
  'AWS::DynamoDB::Table': 'its items',
  'AWS::DynamoDB::GlobalTable': 'its items, in every replica',
  'AWS::S3::Bucket': 'its objects',
  'AWS::KMS::Key': 'the key to everything it encrypted',
  'AWS::Cognito::UserPool': 'its users and their passwords, which cannot be exported',
  'AWS::SecretsManager::Secret': 'credentials a third party issued',
  'AWS::Backup::BackupVault': 'its recovery points',
  'AWS::Backup::LogicallyAirGappedBackupVault': 'its recovery points',
  'AWS::Logs::LogGroup': 'its log events, for its retention period',
  'AWS::RDS::DBCluster': 'its databases',
  'AWS::RDS::DBInstance': 'its databases',
  'AWS::EFS::FileSystem': 'its files',
};

/** What a resource of `type` holds, or undefined when it holds no data (see {@link DATA_HOLDING_TYPES}). */
export function dataHeldBy(type: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(DATA_HOLDING_TYPES, type) ? DATA_HOLDING_TYPES[type] : undefined;
}
