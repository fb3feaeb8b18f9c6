import type { StackProps } from 'aws-cdk-lib';
import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { LogEncryptionKey } from './security/log-encryption-key';
import { PlatformWebAcl } from './security/platform-web-acl';

/** Props of {@link EdgeSecurityStack}. */
export interface EdgeSecurityStackProps extends StackProps {
  /** Requests per IP per 5 minutes above which the IP is blocked at the edge. */
  readonly rateLimit: number;
  /** Name of the WebACL's request log group; it must start with `aws-waf-logs-`. */
  readonly logGroupName: string;
  /** Days the request logs are kept. */
  readonly logRetentionDays: number;
  /** Keep the request logs when the stack goes. */
  readonly retainLogs: boolean;
}

/**
 * The CLOUDFRONT-scope WebACL of the distribution. AWS only accepts such a WebACL in us-east-1,
 * so this stack must be deployed there; the Service stack reads {@link webAclArn} through a
 * cross-region reference.
 */
export class EdgeSecurityStack extends Stack {
  /** ARN of the WebACL, for the distribution's `webAclId`. */
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: EdgeSecurityStackProps) {
    super(scope, id, props);
    if (!Token.isUnresolved(this.region) && this.region !== 'us-east-1') {
      throw new Error(`${id}: a CLOUDFRONT WebACL can only be created in us-east-1, not ${this.region}`);
    }
    this.webAclArn = new PlatformWebAcl(this, 'CloudFrontWebAcl', {
      scope: 'CLOUDFRONT',
      rateLimit: props.rateLimit,
      metricPrefix: 'edge',
      logging: {
        logGroupName: props.logGroupName,
        retentionDays: props.logRetentionDays,
        encryptionKey: new LogEncryptionKey(this, 'LogEncryptionKey').key,
        removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      },
    }).webAcl.attrArn;
  }
}
