import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

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
 * and logs expire after `retentionDays`.
 */
export class AccessLogBucket extends Construct {
  /** The bucket. */
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(`${id}: retentionDays = ${props.retentionDays} is not valid; expected a whole number of days, at least 1.`);
    }
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;
    this.bucket = new s3.Bucket(this, 'Default', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      lifecycleRules: [{
        id: 'ExpireAccessLogs',
        expiration: Duration.days(props.retentionDays),
        noncurrentVersionExpiration: Duration.days(1),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: destroy,
    });
  }
}
