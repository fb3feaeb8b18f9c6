import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AccessLogBucket } from './access-log-bucket';

/** Props of {@link FileStorageBucket}. */
export interface FileStorageBucketProps {
  /** Key that encrypts every object (SSE-KMS with an S3 Bucket Key). */
  readonly key: kms.IKey;
  /** What happens to both buckets when they leave the stack or are replaced. `DESTROY` also empties them first. */
  readonly removalPolicy: RemovalPolicy;
  /** Days server access logs are kept in the log bucket. */
  readonly accessLogRetentionDays: number;
  /**
   * Days a replaced or deleted object version is kept before it expires.
   * @default - 90 days, after which the newest 3 noncurrent versions are still kept
   */
  readonly noncurrentVersionRetentionDays?: number;
}

/**
 * The platform's file storage (project photos, quotes, contracts): KMS-encrypted, private,
 * TLS only, versioned, in S3 Intelligent-Tiering from upload, with old versions and incomplete
 * multipart uploads cleaned up, and server access logs written to a separate log bucket.
 * The bucket keeps the construct's logical id (child id `Default`).
 */
export class FileStorageBucket extends Construct {
  /** The file bucket. */
  readonly bucket: s3.Bucket;
  /** The bucket that receives the file bucket's server access logs. */
  readonly accessLogBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: FileStorageBucketProps) {
    super(scope, id);
    const noncurrentDays = props.noncurrentVersionRetentionDays ?? 90;
    if (!Number.isInteger(noncurrentDays) || noncurrentDays < 1) {
      throw new Error(
        `${id}: noncurrentVersionRetentionDays = ${noncurrentDays} is not valid; expected a whole number of days, at least 1.`,
      );
    }
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;

    this.accessLogBucket = new AccessLogBucket(this, 'AccessLogs', {
      retentionDays: props.accessLogRetentionDays,
      removalPolicy: props.removalPolicy,
    }).bucket;

    this.bucket = new s3.Bucket(this, 'Default', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'file-storage/',
      lifecycleRules: [
        {
          id: 'IntelligentTieringFromUpload',
          transitions: [{ storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(0) }],
        },
        {
          id: 'ExpireOldVersions',
          noncurrentVersionExpiration: Duration.days(noncurrentDays),
          noncurrentVersionsToRetain: 3,
          expiredObjectDeleteMarker: true,
        },
        {
          id: 'AbortIncompleteMultipartUploads',
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: destroy,
    });
  }
}
