import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, CFN_GUARD_NAMESPACE } from '../../compliance/acknowledge';

/** Props of {@link AccessLogBucket}. */
export interface AccessLogBucketProps {
  /** Days a log object is kept before it expires. */
  readonly retentionDays: number;
  /** What happens to the bucket when it leaves the stack or is replaced. `DESTROY` also empties it first. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Target of S3 server access logs. Encrypted with S3-managed keys, because S3 log delivery
 * cannot write to a bucket whose default encryption is SSE-KMS; private, TLS only, versioned,
 * and logs expire after `retentionDays`. Acknowledges the findings inherent to a log destination.
 */
export class AccessLogBucket extends Construct {
  /** The bucket. */
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(
        `${id}: retentionDays = ${props.retentionDays} is not valid; expected a whole number of days, at least 1.`,
      );
    }
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;
    this.bucket = new s3.Bucket(this, 'Default', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      lifecycleRules: [
        {
          id: 'ExpireAccessLogs',
          expiration: Duration.days(props.retentionDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: destroy,
    });
    const sseKms =
      'S3 server access log delivery does not support SSE-KMS on the destination bucket; the bucket uses SSE-S3.';
    acknowledge(this.bucket, [
      {
        id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
        reason:
          'Access logs of a bucket in the same region; a regional outage stops the logged bucket too, so a replica would record nothing more.',
      },
      { id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: sseKms },
      { id: `${CFN_GUARD_NAMESPACE}::s3_bucket_default_encryption_kms_check`, reason: sseKms },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_bucket_logging_enabled_check`,
        reason:
          'This bucket is itself an access-log destination; logging it would need another log bucket, without end (cdk-nag recognises log destinations, cfn-guard does not).',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_bucket_object_lock_enabled_check`,
        reason: `Logs must expire after ${props.retentionDays} days; the bucket is versioned, private, and only the S3 logging service writes to it.`,
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_event_notifications_enabled_check`,
        reason: 'Access logs are read on demand during an investigation; nothing reacts to their delivery.',
      },
    ]);
  }
}
