import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeAt, CFN_GUARD_NAMESPACE } from '../../compliance/acknowledge';

/** Props of {@link FrontendDistribution}. */
export interface FrontendDistributionProps {
  /** Keep the buckets (site and logs) when the stack is deleted; otherwise they are emptied and removed. */
  readonly retainBuckets: boolean;
  /** Days CloudFront access logs are kept. */
  readonly logRetentionDays: number;
  /**
   * CLOUDFRONT-scope WebACL ARN (created in us-east-1).
   * @default - no WebACL on the distribution
   */
  readonly webAclArn?: string;
  /**
   * API served under `/api/*` (the prefix is stripped before it reaches the API's stage).
   * @default - no `/api/*` behaviour
   */
  readonly api?: apigateway.RestApi;
  /**
   * Custom domain certificate (us-east-1) with its domain names. With it the viewer policy is TLSv1.2_2021;
   * without it CloudFront's default *.cloudfront.net certificate is used, whose policy AWS fixes at TLSv1.
   * @default - CloudFront default certificate
   */
  readonly customDomain?: { readonly certificate: acm.ICertificate; readonly domainNames: string[] };
}

/** Strips `/api` so `/api/health` reaches the API stage's `/health`. */
const STRIP_API_PREFIX = `function handler(event) {
  var request = event.request;
  request.uri = request.uri.replace(/^\\/api(?=\\/|$)/, '') || '/';
  return request;
}`;

/**
 * The web app's edge: a private S3 bucket holding the Next.js static export, read by CloudFront
 * through origin access control; HTTPS only with security headers, access logs to a log bucket,
 * and optionally `/api/*` to the REST API.
 */
export class FrontendDistribution extends Construct {
  /** Bucket of the static export (deploy content with `aws s3 sync out/ s3://...`). */
  readonly siteBucket: s3.Bucket;
  /** Bucket of CloudFront access logs. */
  readonly logBucket: s3.Bucket;
  /** The distribution. */
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: FrontendDistributionProps) {
    super(scope, id);
    const removal = props.retainBuckets
      ? { removalPolicy: RemovalPolicy.RETAIN }
      : { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true };
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      ...removal,
      // CloudFront standard logs are written with an ACL and cannot use SSE-KMS.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays) }],
    });
    this.siteBucket = new s3.Bucket(this, 'Site', {
      ...removal,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'site-bucket/',
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Security headers of the UK Home Improvement web app',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365 * 2),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        xssProtection: { protection: true, modeBlock: true, override: true },
        contentSecurityPolicy: {
          contentSecurityPolicy:
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self' https://*.amazonaws.com; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
          override: true,
        },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'UK Home Improvement web app',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      webAclId: props.webAclArn,
      certificate: props.customDomain?.certificate,
      domainNames: props.customDomain?.domainNames,
      minimumProtocolVersion: props.customDomain ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      errorResponses: [
        { httpStatus: 404, responseHttpStatus: 404, responsePagePath: '/404.html', ttl: Duration.minutes(1) },
      ],
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
    });

    acknowledge(this.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason: props.webAclArn
          ? "No geo restriction: UK homeowners use the site from abroad too; abuse is handled by the distribution's WAF web ACL (per-IP rate-based rule)."
          : 'No geo restriction: UK homeowners use the site from abroad too; this stage has no WAF (waf.enabled off), so the API behind it is limited by API Gateway throttling only.',
      },
    ]);
    if (!props.customDomain) {
      acknowledge(this.distribution, [
        {
          id: 'AwsSolutions-CFR4',
          reason:
            'Default *.cloudfront.net certificate until a custom domain is set (customDomain prop), whose policy AWS fixes at TLSv1.',
        },
      ]);
    }
    this.acknowledgeFindings(props);
    if (!props.webAclArn) {
      acknowledge(this.distribution, [
        { id: 'AwsSolutions-CFR2', reason: 'WAF is off for this stage by its feature matrix (waf.enabled).' },
      ]);
    }
    if (props.api) {
      const stripPrefix = new cloudfront.Function(this, 'StripApiPrefix', {
        code: cloudfront.FunctionCode.fromInline(STRIP_API_PREFIX),
        runtime: cloudfront.FunctionRuntime.JS_2_0,
        comment: 'Maps /api/* to the API stage',
      });
      this.distribution.addBehavior('/api/*', new origins.RestApiOrigin(props.api), {
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: stripPrefix, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      });
    }
  }

  /** Findings of the site, its log bucket and distribution that are accepted, with the reason. */
  private acknowledgeFindings(props: FrontendDistributionProps): void {
    const noReplication =
      'Holds no primary data: the site is rebuilt and redeployed by the pipeline, and access logs are operational data with a fixed expiry.';
    const noObjectLock =
      'Object lock would prevent the pipeline from replacing site files and the lifecycle rule from expiring old logs.';
    const noEvents = 'No component reacts to objects written here.';
    acknowledge(this.logBucket, [
      {
        id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
        reason:
          'CloudFront standard logs are delivered with an ACL by the awslogsdelivery account, which cannot use SSE-KMS; the bucket is encrypted with SSE-S3.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_bucket_default_encryption_kms_check`,
        reason: 'CloudFront standard logs cannot be delivered to an SSE-KMS bucket; SSE-S3 applies.',
      },
      { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: noReplication },
      {
        id: 'NIST.800.53.R5-S3BucketVersioningEnabled',
        reason:
          'Log objects are written once and never overwritten; versioning would only keep copies past the lifecycle expiry.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_bucket_versioning_enabled_check`,
        reason:
          'Log objects are written once and never overwritten; versioning would only keep copies past the lifecycle expiry.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_bucket_logging_enabled_check`,
        reason:
          'This is the access log bucket itself; logging it to itself would loop, to another bucket would only move the question.',
      },
      { id: `${CFN_GUARD_NAMESPACE}::s3_bucket_object_lock_enabled_check`, reason: noObjectLock },
      { id: `${CFN_GUARD_NAMESPACE}::s3_event_notifications_enabled_check`, reason: noEvents },
    ]);
    acknowledge(this.siteBucket, [
      {
        id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
        reason:
          'Holds the public static web app only (no personal data), served through CloudFront origin access control; SSE-S3 applies.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_bucket_default_encryption_kms_check`,
        reason: 'Public static web app only (no personal data); SSE-S3 applies.',
      },
      { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: noReplication },
      { id: `${CFN_GUARD_NAMESPACE}::s3_bucket_object_lock_enabled_check`, reason: noObjectLock },
      { id: `${CFN_GUARD_NAMESPACE}::s3_event_notifications_enabled_check`, reason: noEvents },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_lifecycle_policy_check`,
        reason:
          'Current objects are the live site, replaced by each pipeline deployment; expiring them by age would break the site.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_version_lifecycle_policy_check`,
        reason:
          'Noncurrent versions are the rollback path of the web app and small; their lifetime follows the release policy, not yet set.',
      },
    ]);
    acknowledge(this.distribution, [
      {
        id: `${CFN_GUARD_NAMESPACE}::cloudfront_origin_failover_enabled_check`,
        reason:
          'One S3 origin in the stage region: a failover origin would need a replicated bucket for a static site the pipeline can redeploy in minutes.',
      },
    ]);
    if (!props.customDomain) {
      const defaultCertificate =
        'The distribution serves *.cloudfront.net with the CloudFront default certificate until a custom domain is set (customDomain prop); a custom certificate, SNI and a TLSv1.2 security policy cannot be configured without one.';
      acknowledge(this.distribution, [
        { id: `${CFN_GUARD_NAMESPACE}::cloudfront_custom_ssl_certificate_check`, reason: defaultCertificate },
        { id: `${CFN_GUARD_NAMESPACE}::cloudfront_sni_enabled_check`, reason: defaultCertificate },
        { id: `${CFN_GUARD_NAMESPACE}::cloudfront_security_policy_check`, reason: defaultCertificate },
      ]);
    }
    if (!props.retainBuckets) {
      acknowledgeAt(Stack.of(this), 'Custom::S3AutoDeleteObjectsCustomResourceProvider', [
        {
          id: `${CFN_GUARD_NAMESPACE}::lambda_inside_vpc_check`,
          reason:
            "CDK's handler that empties the buckets of a stage whose data is not retained (dev); it calls only the S3 API and the platform has no VPC.",
        },
      ]);
    }
  }
}
