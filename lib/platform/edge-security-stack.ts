import { Stack, StackProps, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PlatformWebAcl } from './security/platform-web-acl';

/** Props of {@link EdgeSecurityStack}. */
export interface EdgeSecurityStackProps extends StackProps {
  /** Requests per IP per 5 minutes above which the IP is blocked at the edge. */
  readonly rateLimit: number;
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
    }).webAcl.attrArn;
  }
}
