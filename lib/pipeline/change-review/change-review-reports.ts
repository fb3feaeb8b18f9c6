import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { FAILURE_DETAILS_PREFIX, REPORT_PREFIX } from '../../../contracts/report-location';
import { acknowledge, CFN_GUARD_NAMESPACE } from '../../compliance/acknowledge';
import { restrictKmsGrantsToAwsServices } from '../../compliance/restrict-kms-grants';

/** Props of {@link ChangeReviewReports}. */
export interface ChangeReviewReportsProps {
  /**
   * How long a change report (and a step's failure details) is kept.
   * @default 90 days: longer than any approval waits, and than the pipeline keeps its artifacts
   */
  readonly retention?: Duration;
  /**
   * What happens to the bucket when the pipeline stack is deleted.
   * @default RemovalPolicy.RETAIN: the reports are the record of what approvers were shown
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Private, KMS-encrypted bucket in the pipeline account that keeps the full change reports
 * (`change-review/<stage>/<executionId>/report.md` and `.json`) and the failure details steps
 * leave for the execution notifier (`failure-details/...`). Objects expire after `retention`.
 */
export class ChangeReviewReports extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
  /** Days a report is kept. */
  readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: ChangeReviewReportsProps = {}) {
    super(scope, id);
    const retention = props.retention ?? Duration.days(90);
    const hours = retention.toHours({ integral: false });
    if (hours < 24 || hours % 24 !== 0)
      throw new Error(`${id}: retention must be a whole number of days, at least 1, got ${retention.toHumanString()}`);
    this.retentionDays = hours / 24;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the delivery pipeline change reports',
      enableKeyRotation: true,
      removalPolicy,
    });
    restrictKmsGrantsToAwsServices(this.key);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy,
      lifecycleRules: [
        {
          id: 'ExpireReports',
          expiration: retention,
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    acknowledge(this.bucket, [
      {
        id: 'AwsSolutions-S1',
        reason:
          'Only the change review step writes and only the execution notifier and people with console access read; CloudTrail records the writes. A log bucket would log only the pipeline itself.',
      },
      {
        id: 'NIST.800.53.R5-S3BucketLoggingEnabled',
        reason: 'Written only by the change review step and read by the execution notifier; see AwsSolutions-S1.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_bucket_logging_enabled_check`,
        reason: 'Written only by the change review step and read by the execution notifier; see AwsSolutions-S1.',
      },
      {
        id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
        reason:
          'Reports are rebuilt by re-running the step on the same execution; a regional outage stops the pipeline too.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_bucket_object_lock_enabled_check`,
        reason: 'Reports must expire after the retention period; versioning keeps overwritten ones for a day.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_event_notifications_enabled_check`,
        reason: 'The step itself notifies the approvers; nothing reacts to a report being written.',
      },
    ]);
  }

  /** Lets `grantee` write reports and failure details (the change review step). */
  grantWrite(grantee: iam.IGrantable): void {
    this.bucket.grantPut(grantee, `${REPORT_PREFIX}/*`);
    this.bucket.grantPut(grantee, `${FAILURE_DETAILS_PREFIX}/*`);
  }

  /** Lets `grantee` read failure details (the execution notifier). */
  grantReadFailureDetails(grantee: iam.IGrantable): void {
    this.bucket.grantRead(grantee, `${FAILURE_DETAILS_PREFIX}/*`);
  }
}
