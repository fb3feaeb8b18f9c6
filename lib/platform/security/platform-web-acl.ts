import type { RemovalPolicy } from 'aws-cdk-lib';
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { acknowledgeShortLogRetention } from './acknowledge-short-log-retention';

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
  /** Where the WebACL logs every request it inspects. */
  readonly logging: WebAclLogging;
}

/** Request logging of a WebACL, to a CloudWatch Logs log group of its own. */
export interface WebAclLogging {
  /** Name of the log group; WAF accepts only names that start with `aws-waf-logs-`. */
  readonly logGroupName: string;
  /** Days the log group keeps requests. */
  readonly retentionDays: number;
  /** Key that encrypts the log group; its policy must let CloudWatch Logs of this account use it. */
  readonly encryptionKey: kms.IKey;
  /** What happens to the log group when it leaves the stack. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Request fields WAF blanks out in its logs, because they carry personal data or credentials: the
 * Authorization header (the user's Cognito token), cookies, and the query string (search terms, e-mail
 * addresses in links). The URI path and method stay, to investigate an attack.
 * WAF can redact only single headers, the query string, the URI path and the method
 * (https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html).
 */
export const REDACTED_FIELDS: wafv2.CfnLoggingConfiguration.FieldToMatchProperty[] = [
  { singleHeader: { Name: 'authorization' } },
  { singleHeader: { Name: 'cookie' } },
  { queryString: {} },
];

/** Prefix every WAF log destination's name must have. */
export const WAF_LOG_PREFIX = 'aws-waf-logs-';

/** AWS managed rule groups every platform WebACL runs, in priority order. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
] as const;

/**
 * The platform's WebACL: AWS managed common rules, known bad inputs and IP reputation list,
 * then a per-IP rate limit over 5 minutes. Allows what no rule blocks. Logs every request it inspects to an
 * encrypted log group of its own, with {@link REDACTED_FIELDS} blanked out.
 */
export class PlatformWebAcl extends Construct {
  /** The WebACL. */
  readonly webAcl: wafv2.CfnWebACL;
  /** The log group of its requests. */
  readonly logGroup: logs.LogGroup;

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
    const { logging } = props;
    if (!logging.logGroupName.startsWith(WAF_LOG_PREFIX)) {
      throw new Error(
        `${id}: logGroupName "${logging.logGroupName}" must start with "${WAF_LOG_PREFIX}" (WAF accepts no other).`,
      );
    }
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: logging.logGroupName,
      retention: logging.retentionDays as logs.RetentionDays,
      encryptionKey: logging.encryptionKey,
      removalPolicy: logging.removalPolicy,
    });
    acknowledgeShortLogRetention(this.logGroup, logging.retentionDays);
    // WAF adds the log group's resource policy for its log delivery itself when logging is enabled.
    const loggingConfig = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logging.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: REDACTED_FIELDS,
    });
    loggingConfig.node.addDependency(this.logGroup);
  }
}
