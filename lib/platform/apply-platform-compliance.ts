import * as cognito from 'aws-cdk-lib/aws-cognito';
import { acknowledge, CFN_GUARD_NAMESPACE } from '../compliance/acknowledge';
import { restrictKmsGrantsToAwsServices } from '../compliance/restrict-kms-grants';
import { ServiceStack } from './service-stack';
import { StatefulStack } from './stateful-stack';

/** The stacks of one stage that {@link applyPlatformCompliance} covers. */
export interface PlatformComplianceScope {
  /** The stage's stateful stack. */
  readonly stateful: StatefulStack;
  /** The stage's service stack. */
  readonly service: ServiceStack;
}

/**
 * Compliance of the platform skeleton, kept in one place so the stack files stay readable: hardens
 * the data key (CT.KMS.PR.3) and acknowledges, resource by resource, the findings that are accepted.
 * Acknowledgements go through the stacks' public members, so they survive a refactor of the stack
 * files as long as those members exist.
 */
export function applyPlatformCompliance({ stateful, service }: PlatformComplianceScope): void {
  restrictKmsGrantsToAwsServices(stateful.dataKey);

  acknowledge(stateful.fileBucket, [
    { id: 'AwsSolutions-S1', reason: 'Object access to user files is audited with CloudTrail S3 data events (Audit stack, staging and prod), which record the caller identity that server access logs lack; dev holds test data only.' },
    { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: 'Audited with CloudTrail S3 data events (Audit stack); see AwsSolutions-S1.' },
    { id: `${CFN_GUARD_NAMESPACE}::s3_bucket_logging_enabled_check`, reason: 'Audited with CloudTrail S3 data events (Audit stack); see AwsSolutions-S1.' },
    { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: 'Disaster recovery copies the bucket with AWS Backup to the vault in the DR region (Backup stack); replication would also copy deletions and double the storage of personal data.' },
    { id: `${CFN_GUARD_NAMESPACE}::s3_bucket_object_lock_enabled_check`, reason: 'Users may ask for their files to be erased (UK GDPR); object lock would prevent erasure. Versioning and AWS Backup protect against accidental deletion.' },
    { id: `${CFN_GUARD_NAMESPACE}::s3_event_notifications_enabled_check`, reason: 'No component reacts to uploads: the API records each file in DynamoDB when it issues the upload URL.' },
    { id: `${CFN_GUARD_NAMESPACE}::s3_lifecycle_policy_check`, reason: 'Files are contract documents kept for the life of the project; expiry is decided per project by the application, not by age.' },
    { id: `${CFN_GUARD_NAMESPACE}::s3_version_lifecycle_policy_check`, reason: 'Noncurrent versions are the recovery path for overwritten contract documents until the data retention policy sets their lifetime.' },
  ]);

  for (const table of Object.values(stateful.tables)) {
    acknowledge(table, [{ id: 'NIST.800.53.R5-DynamoDBInBackupPlan', reason: 'Every table has point-in-time recovery; in staging and prod the Backup stack selects every table of the stage into the backup plan (cdk-nag cannot see selections in another stack).' }]);
  }

  for (const secret of Object.values(stateful.secrets)) {
    acknowledge(secret, [
      { id: 'AwsSolutions-SMG4', reason: 'Holds a credential issued by a third party (Stripe, DocuSign, Anthropic) that can only be rotated in the vendor console; rotated by the runbook procedure.' },
      { id: 'NIST.800.53.R5-SecretsManagerRotationEnabled', reason: 'Third-party credential rotated by the runbook procedure; see AwsSolutions-SMG4.' },
    ]);
  }

  const mfaRequired = (stateful.userPool.node.defaultChild as cognito.CfnUserPool).mfaConfiguration === 'ON';
  acknowledge(stateful.userPool, [
    { id: 'AwsSolutions-COG1', reason: 'The Cognito default password policy applies (8 characters, upper, lower, digit, symbol); it is not restated in the template.' },
    ...(mfaRequired ? [] : [{ id: 'AwsSolutions-COG2', reason: 'MFA is a feature prop: required in prod, optional in dev and staging where test users sign in from automation.' }]),
    { id: 'AwsSolutions-COG8', reason: 'Threat protection (Plus feature plan) is a cost decision pending for the first public launch; WAF rate limiting protects sign-in meanwhile.' },
  ]);

  const autoDelete = stateful.node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider');
  if (autoDelete) {
    acknowledge(autoDelete, [{ id: `${CFN_GUARD_NAMESPACE}::lambda_inside_vpc_check`, reason: 'CDK\'s auto-delete handler, only in stages whose data is not retained (dev); it calls only the S3 API and the platform has no VPC.' }]);
  }

  const validationPolicy = service.node.tryFindChild('PipelineValidation')?.node.tryFindChild('Role')?.node.tryFindChild('DefaultPolicy');
  if (validationPolicy) {
    acknowledge(validationPolicy, [
      { id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: 'The validation role has one policy of its own, scoped to that role alone; a managed policy would be shareable and no narrower.' },
    ]);
  }
}
