import type { StackProps } from 'aws-cdk-lib';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { PLATFORM_PREFIX, resourceNames } from '../../contracts/resource-names';
import { AuditTrail } from './audit/audit-trail';
import { TrailAlarms } from './audit/trail-alarms';
import { acknowledgeShortLogRetention } from './security/acknowledge-short-log-retention';
import { LogEncryptionKey } from './security/log-encryption-key';

/** Props of {@link AuditStack}. */
export interface AuditStackProps extends StackProps {
  /** The stage this stack belongs to; its log retention sets how long trail logs are kept. */
  readonly stage: StageConfig;
  /** The buckets that hold personal data (the file bucket); their writes and deletes are recorded. */
  readonly personalDataBuckets: readonly s3.IBucket[];
  /** The stage's critical alert topic, which the alarms on the trail's critical events notify. */
  readonly criticalTopic: sns.ITopic;
}

/**
 * The stage account's CloudTrail (multi-region, log file validation, encrypted Object Lock bucket, data events
 * for the personal data) and the alarms on its critical events (trail stopped or changed, backup vault lock or
 * policy changed, root sign-in), which notify the critical alert topic. It reads the file bucket's ARN from the
 * Stateful stack and the topic's ARN from the Service stack, so it deploys after both. The stage creates it only
 * where `cloudTrail` is on.
 */
export class AuditStack extends Stack {
  /** The trail and its key and bucket. */
  readonly audit: AuditTrail;
  /** The alarms on the trail's critical events. */
  readonly alarms: TrailAlarms;

  constructor(scope: Construct, id: string, props: AuditStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const removalPolicy = stage.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    // The metric filters need the events in CloudWatch Logs; the S3 log files stay the record.
    const logGroup = new logs.LogGroup(this, 'TrailLogs', {
      retention: stage.logRetentionDays as logs.RetentionDays,
      encryptionKey: new LogEncryptionKey(this, 'LogEncryptionKey').key,
      removalPolicy,
    });
    acknowledgeShortLogRetention(logGroup, stage.logRetentionDays);
    this.audit = new AuditTrail(this, 'AuditTrail', {
      retentionDays: stage.logRetentionDays,
      removalPolicy,
      keyAliasName: `alias/${PLATFORM_PREFIX}-${stage.name}-cloudtrail`,
      // A stage that retains data keeps its audit evidence out of reach of its own administrators.
      objectLockMode: stage.retainData ? 'COMPLIANCE' : 'GOVERNANCE',
      personalData: {
        bucketArns: props.personalDataBuckets.map((b) => b.bucketArn),
        // Every platform table holds personal data (docs/data-model.md); their names are fixed.
        tableArns: Object.values(resourceNames(stage.name).tables).map((name) =>
          this.formatArn({ service: 'dynamodb', resource: 'table', resourceName: name }),
        ),
      },
      logGroup,
      // The stage trails delivered to an unlocked bucket before; it stays until its files have expired.
      keepEarlierBucket: true,
    });
    this.alarms = new TrailAlarms(this, 'TrailAlarms', {
      logGroup,
      topic: props.criticalTopic,
      alarmNamePrefix: `${PLATFORM_PREFIX}-${stage.name}`,
      metricNamespace: 'UKHomeImprovement/Audit',
    });
  }
}
