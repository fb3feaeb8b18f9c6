import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { StageConfig } from '../config';
import { PLATFORM_PREFIX, resourceNames } from '../../contracts/resource-names';
import { AuditTrail } from './audit/audit-trail';

/** Props of {@link AuditStack}. */
export interface AuditStackProps extends StackProps {
  /** The stage this stack belongs to; its log retention sets how long trail logs are kept. */
  readonly stage: StageConfig;
  /** The buckets that hold personal data (the file bucket); their writes and deletes are recorded. */
  readonly personalDataBuckets: readonly s3.IBucket[];
}

/**
 * The stage account's CloudTrail (multi-region, log file validation, encrypted Object Lock bucket, data events
 * for the personal data). It reads the file bucket's ARN from the Stateful stack, so it deploys after it, in
 * parallel with the Service and Backup stacks. The stage creates it only where `cloudTrail` is on.
 */
export class AuditStack extends Stack {
  /** The trail and its key and bucket. */
  readonly audit: AuditTrail;

  constructor(scope: Construct, id: string, props: AuditStackProps) {
    super(scope, id, props);
    const { stage } = props;
    this.audit = new AuditTrail(this, 'AuditTrail', {
      retentionDays: stage.logRetentionDays,
      removalPolicy: stage.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
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
    });
  }
}
