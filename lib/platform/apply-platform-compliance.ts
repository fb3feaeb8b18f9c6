import { acknowledge, acknowledgeAt, CFN_GUARD_NAMESPACE } from '../compliance/acknowledge';
import type { ServiceStack } from './service-stack';
import type { StatefulStack } from './stateful-stack';

/** The stacks of one stage that {@link applyPlatformCompliance} covers. */
export interface PlatformComplianceScope {
  /** The stage's stateful stack. */
  readonly stateful: StatefulStack;
  /** The stage's service stack. */
  readonly service: ServiceStack;
  /**
   * Whether the stage retains its data (`retainData`). When it does not, the stateful
   * stack's buckets empty themselves on deletion through CDK's auto-delete provider, which is then
   * acknowledged; when it does, there is no such provider.
   */
  readonly retainData: boolean;
}

/**
 * Compliance of the platform skeleton, kept in one place so the stack files stay readable:
 * acknowledges, resource by resource, the findings that are accepted.
 * Acknowledgements go through the stacks' public members, so they survive a refactor of the stack
 * files as long as those members exist.
 */
export function applyPlatformCompliance({ stateful, service, retainData }: PlatformComplianceScope): void {
  acknowledge(stateful.fileBucket, [
    {
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason:
        'Disaster recovery copies the bucket with AWS Backup to the vault in the DR region (Backup stack); replication would also copy deletions and double the storage of personal data.',
    },
    {
      id: `${CFN_GUARD_NAMESPACE}::s3_bucket_object_lock_enabled_check`,
      reason:
        'Users may ask for their files to be erased (UK GDPR); object lock would prevent erasure. Versioning and AWS Backup protect against accidental deletion.',
    },
    {
      id: `${CFN_GUARD_NAMESPACE}::s3_event_notifications_enabled_check`,
      reason: 'No component reacts to uploads: the API records each file in DynamoDB when it issues the upload URL.',
    },
  ]);

  for (const table of Object.values(stateful.tables)) {
    acknowledge(table, [
      {
        id: 'NIST.800.53.R5-DynamoDBInBackupPlan',
        reason:
          'Every table has point-in-time recovery; in staging and prod the Backup stack selects every table of the stage into the backup plan (cdk-nag cannot see selections in another stack).',
      },
    ]);
  }

  for (const secret of Object.values(stateful.secrets)) {
    acknowledge(secret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Holds a credential issued by a third party (Stripe, DocuSign, Anthropic) that can only be rotated in the vendor console; rotated by the runbook procedure.',
      },
      {
        id: 'NIST.800.53.R5-SecretsManagerRotationEnabled',
        reason: 'Third-party credential rotated by the runbook procedure; see AwsSolutions-SMG4.',
      },
    ]);
  }

  if (!retainData) {
    acknowledgeAt(stateful, 'Custom::S3AutoDeleteObjectsCustomResourceProvider', [
      {
        id: `${CFN_GUARD_NAMESPACE}::lambda_inside_vpc_check`,
        reason:
          "CDK's auto-delete handler, only in stages whose data is not retained (dev); it calls only the S3 API and the platform has no VPC.",
      },
    ]);
  }

  acknowledgeAt(service, 'PipelineCheck/Role/DefaultPolicy', [
    {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason:
        'The check role has one policy of its own, scoped to that role alone; a managed policy would be shareable and no narrower.',
    },
  ]);
}
