import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';

/** Where a WebACL applies: `REGIONAL` (API Gateway, in the API's region) or `CLOUDFRONT` (only in us-east-1). */
export type WebAclScope = 'REGIONAL' | 'CLOUDFRONT';

/** Props of {@link PlatformWebAcl}. */
export interface PlatformWebAclProps {
  /** Scope of the WebACL. */
  readonly scope: WebAclScope;
  /** Requests per IP per 5 minutes above which the IP is blocked (WAF accepts 10 to 2,000,000,000). */
  readonly rateLimit: number;
  /** Prefix of the CloudWatch metric names. */
  readonly metricPrefix: string;
}

/** AWS managed rule groups every platform WebACL runs, in priority order. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
] as const;

/**
 * The platform's WebACL: AWS managed common rules, known bad inputs and IP reputation list,
 * then a per-IP rate limit over 5 minutes. Allows what no rule blocks.
 */
export class PlatformWebAcl extends Construct {
  /** The WebACL. */
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: PlatformWebAclProps) {
    super(scope, id);
    if (!Number.isInteger(props.rateLimit) || props.rateLimit < 10 || props.rateLimit > 2_000_000_000) {
      throw new Error(`${id}: rateLimit must be a whole number from 10 to 2000000000, got ${props.rateLimit}`);
    }
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${props.metricPrefix}-${name}`,
    });
    const managed: wafv2.CfnWebACL.RuleProperty[] = MANAGED_RULE_GROUPS.map((name, priority) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    }));
    const rateLimit: wafv2.CfnWebACL.RuleProperty = {
      name: 'RateLimitPerIp',
      priority: managed.length,
      action: { block: {} },
      statement: { rateBasedStatement: { limit: props.rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
      visibilityConfig: visibility('RateLimitPerIp'),
    };
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: props.scope,
      defaultAction: { allow: {} },
      rules: [...managed, rateLimit],
      visibilityConfig: visibility('WebAcl'),
    });
    acknowledge(this.webAcl, [
      {
        id: 'NIST.800.53.R5-WAFv2LoggingEnabled',
        reason:
          'Every rule publishes CloudWatch metrics and sampled requests (last 3 hours), which the runbook uses to tune rules; full request logging (aws-waf-logs-* log group with its KMS key) is a follow-up, as logs would hold client IPs and need a retention decision.',
      },
    ]);
  }
}
