import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, CFN_GUARD_NAMESPACE } from '../../compliance/acknowledge';
import { restrictKmsGrantsToAwsServices } from '../../compliance/restrict-kms-grants';
import { KEY_ADMIN_ACTIONS } from '../data/key-admin-actions';
import { AccessLogBucket } from '../storage/access-log-bucket';

/** Props of {@link AuditTrail}. */
export interface AuditTrailProps {
  /** Days log files are kept before they expire; after 30 days they move to Standard-IA. */
  readonly retentionDays: number;
  /** What happens to the key and buckets when they leave the stack or are replaced. */
  readonly removalPolicy: RemovalPolicy;
  /** Alias of the trail's key, starting with `alias/`. */
  readonly keyAliasName: string;
  /**
   * S3 Object Lock mode of the log files: `COMPLIANCE` (nobody, root included, can shorten or remove the
   * retention) or `GOVERNANCE` (a principal with s3:BypassGovernanceRetention can).
   */
  readonly objectLockMode: 'COMPLIANCE' | 'GOVERNANCE';
  /**
   * Resources that hold personal data, whose writes and deletes the trail records as data events.
   * @default - management events only
   */
  readonly personalData?: PersonalDataResources;
  /**
   * Log group the trail also delivers its events to, for metric filters and alarms; a multi-region trail delivers
   * every region's events to this one group, in the trail's home region.
   * @default - S3 only; no CloudWatch Logs delivery
   */
  readonly logGroup?: logs.ILogGroup;
  /**
   * Keep the bucket the trail delivered to before Object Lock (`Bucket`): it receives nothing and its files expire.
   * A trail created with Object Lock from the start has no such bucket.
   * @default false
   */
  readonly keepEarlierBucket?: boolean;
}

/** Buckets and tables that hold personal data. */
export interface PersonalDataResources {
  /** ARNs of the buckets; every object of each is recorded. */
  readonly bucketArns: readonly string[];
  /** ARNs of the tables. */
  readonly tableArns: readonly string[];
}

/**
 * Multi-region CloudTrail trail with log file validation, delivering to a private, TLS-only,
 * versioned bucket with S3 Object Lock, encrypted with its own rotating key; the bucket's server access logs
 * go to a separate log bucket, and log files are locked for, then expire after, `retentionDays`. Besides
 * management events, the trail records the writes and deletes of the resources that hold personal data.
 *
 * Object Lock can be turned on only when a bucket is created, so the locked bucket is a new resource
 * (`LockedBucket`); with `keepEarlierBucket`, the bucket of a trail that predates it (`Bucket`) stays unchanged,
 * receives nothing, and its log files expire by its lifecycle rule.
 */
export class AuditTrail extends Construct {
  /** The trail. */
  readonly trail: cloudtrail.Trail;
  /** Key that encrypts the log files. */
  readonly key: kms.Key;
  /** Bucket the trail delivers to. */
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(
        `${id}: retentionDays = ${props.retentionDays} is not valid; expected a whole number of days, at least 1.`,
      );
    }
    const stack = Stack.of(this);
    const trailArns = `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*`;
    const root = new iam.AccountRootPrincipal();
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');

    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the CloudTrail log files of this account',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'AccountAdministersKey',
            principals: [root],
            actions: [...KEY_ADMIN_ACTIONS],
            resources: ['*'],
          }),
          new iam.PolicyStatement({
            sid: 'CloudTrailEncryptsLogs',
            principals: [cloudTrail],
            actions: ['kms:GenerateDataKey*'],
            resources: ['*'],
            conditions: {
              StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailArns },
              StringEquals: { 'aws:SourceAccount': stack.account },
            },
          }),
          // aws:SourceArn limits CloudTrail's use of the key to this account's trails, as AWS recommends for every
          // statement of a trail's key policy
          // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
          new iam.PolicyStatement({
            sid: 'CloudTrailDescribesKey',
            principals: [cloudTrail],
            actions: ['kms:DescribeKey'],
            resources: ['*'],
            conditions: { StringLike: { 'aws:SourceArn': trailArns } },
          }),
          new iam.PolicyStatement({
            sid: 'AccountReadsLogs',
            principals: [root],
            actions: ['kms:Decrypt', 'kms:ReEncryptFrom'],
            resources: ['*'],
            conditions: {
              StringEquals: { 'kms:CallerAccount': stack.account },
              StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailArns },
            },
          }),
        ],
      }),
    });
    this.key.addAlias(props.keyAliasName);
    restrictKmsGrantsToAwsServices(this.key);

    const accessLogs = new AccessLogBucket(this, 'AccessLogs', {
      retentionDays: props.retentionDays,
      removalPolicy: props.removalPolicy,
    }).bucket;

    const earlierBucket = props.keepEarlierBucket ? this.earlierBucket(accessLogs, props) : undefined;

    // S3 Object Lock keeps every log file version for the retention, even from the account's administrators in
    // COMPLIANCE mode (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html); it needs versioning.
    this.bucket = new s3.Bucket(this, 'LockedBucket', {
      ...this.logBucketProps(),
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.objectLockMode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(Duration.days(props.retentionDays))
          : s3.ObjectLockRetention.governance(Duration.days(props.retentionDays)),
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'cloudtrail-locked-bucket/',
      lifecycleRules: [auditLogLifecycle(props.retentionDays, 1)],
      // Locked log files cannot be emptied by a stack delete; the bucket outlives the stack and its files expire.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: this.bucket,
      encryptionKey: this.key,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      sendToCloudWatchLogs: props.logGroup !== undefined,
      cloudWatchLogGroup: props.logGroup,
    });
    if (props.personalData) this.recordPersonalDataWrites(props.personalData);

    for (const bucket of earlierBucket ? [this.bucket, earlierBucket] : [this.bucket]) {
      acknowledge(bucket, [
        {
          id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
          reason:
            'The trail is multi-region and CloudTrail keeps 90 days of management events in every region (event history); a replica of the log files would add a second copy of the same evidence, not a new source.',
        },
        {
          id: `${CFN_GUARD_NAMESPACE}::s3_event_notifications_enabled_check`,
          reason: 'Log files are read on demand during an investigation; nothing processes them on delivery.',
        },
      ]);
    }
    if (earlierBucket) {
      acknowledge(earlierBucket, [
        {
          id: `${CFN_GUARD_NAMESPACE}::s3_bucket_object_lock_enabled_check`,
          reason:
            'The trail delivers to LockedBucket; this earlier bucket (Object Lock can only be set at creation) receives nothing and its files expire by the lifecycle rule.',
        },
      ]);
    }
    const logsRole = this.trail.node.tryFindChild('LogsRole');
    if (logsRole) {
      acknowledge(logsRole, [
        {
          id: 'NIST.800.53.R5-IAMNoInlinePolicy',
          reason:
            "The inline policy is added by CDK's Trail and grants CloudTrail only logs:CreateLogStream and logs:PutLogEvents on this trail's log group; a managed policy would be shareable and no narrower.",
        },
      ]);
    }
    if (!props.logGroup) {
      acknowledge(this.trail, [
        {
          id: 'NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled',
          reason:
            'Without a log group the validated, KMS-encrypted S3 log files are the record; CloudTrail still delivers management events to EventBridge for any rule that must react.',
        },
        {
          id: `${CFN_GUARD_NAMESPACE}::cloud_trail_cloud_watch_logs_enabled_check`,
          reason: 'See NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled: the validated S3 log files are the record.',
        },
      ]);
    }
  }

  /**
   * Records writes and deletes (readOnly false) of the objects of `bucketArns` and the items of `tableArns` as
   * data events, with advanced event selectors; with advanced selectors the management events need a selector of
   * their own (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html).
   * Data events are billed per event delivered (https://aws.amazon.com/cloudtrail/pricing/).
   */
  private recordPersonalDataWrites(data: PersonalDataResources): void {
    const writes = (type: string) => [
      { field: 'eventCategory', equalTo: ['Data'] },
      { field: 'resources.type', equalTo: [type] },
      { field: 'readOnly', equalTo: ['false'] },
    ];
    const cfnTrail = this.trail.node.defaultChild as cloudtrail.CfnTrail;
    // A trail takes basic or advanced event selectors, never both.
    cfnTrail.addPropertyDeletionOverride('EventSelectors');
    cfnTrail.advancedEventSelectors = [
      { name: 'Management events', fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }] },
      ...(data.bucketArns.length > 0
        ? [
            {
              name: 'Writes and deletes of personal data objects',
              fieldSelectors: [
                ...writes('AWS::S3::Object'),
                { field: 'resources.ARN', startsWith: data.bucketArns.map((arn) => `${arn}/`) },
              ],
            },
          ]
        : []),
      ...(data.tableArns.length > 0
        ? [
            {
              name: 'Writes and deletes of personal data items',
              fieldSelectors: [
                ...writes('AWS::DynamoDB::Table'),
                { field: 'resources.ARN', equalTo: [...data.tableArns] },
              ],
            },
          ]
        : []),
    ];
  }

  /** What both log buckets share: private, encrypted with the trail's key, TLS only, versioned. */
  private logBucketProps(): s3.BucketProps {
    return {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
    };
  }

  /** The bucket the trail delivered to before Object Lock; nothing writes to it and its log files expire. */
  private earlierBucket(accessLogs: s3.IBucket, props: AuditTrailProps): s3.Bucket {
    return new s3.Bucket(this, 'Bucket', {
      ...this.logBucketProps(),
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'cloudtrail-bucket/',
      lifecycleRules: [auditLogLifecycle(props.retentionDays, 30)],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY,
    });
  }
}

/** Audit log files expire after `retentionDays` (moved to Infrequent Access after 30 days when kept longer than 60). */
function auditLogLifecycle(retentionDays: number, noncurrentDays: number): s3.LifecycleRule {
  return {
    id: 'RetainAuditLogs',
    ...(retentionDays > 60
      ? { transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }] }
      : {}),
    expiration: Duration.days(retentionDays),
    noncurrentVersionExpiration: Duration.days(noncurrentDays),
    abortIncompleteMultipartUploadAfter: Duration.days(7),
  };
}
