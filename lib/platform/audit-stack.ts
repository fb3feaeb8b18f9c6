import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { StageConfig } from '../config';
import { PLATFORM_PREFIX } from '../../contracts/resource-names';
import { AuditTrail } from './audit/audit-trail';

/** Props of {@link AuditStack}. */
export interface AuditStackProps extends StackProps {
  /** The stage this stack belongs to; its log retention sets how long trail logs are kept. */
  readonly stage: StageConfig;
}

/**
 * The stage account's CloudTrail (multi-region, log file validation, encrypted bucket).
 * Depends on no other stack, so it deploys in parallel with the stateful stack. The stage
 * creates it only where `cloudTrail` is on.
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
    });
  }
}
