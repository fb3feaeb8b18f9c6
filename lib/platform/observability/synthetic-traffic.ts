import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { Construct } from 'constructs';
import { ENV_NAMES } from '../../../contracts/env-names';
import { acknowledge, CFN_GUARD_NAMESPACE } from '../../compliance/acknowledge';
import { PLATFORM_PREFIX } from '../../../contracts/resource-names';

/** Props of {@link SyntheticTraffic}. */
export interface SyntheticTrafficProps {
  /** Stage name; sets the alarm name. */
  readonly stageName: string;
  /** Base URL of the API stage (`https://…/dev/`, ending in `/`). */
  readonly apiUrl: string;
  /** Domain name of the frontend distribution. */
  readonly frontendDomainName: string;
  /** Minutes between two runs, 1 to 60. */
  readonly scheduleMinutes: number;
  /** Bucket that receives the artifacts bucket's server access logs. */
  readonly accessLogsBucket: s3.IBucket;
  /**
   * Days an artifact (screenshots, HAR files, logs of a run) is kept.
   * @default 30
   */
  readonly artifactRetentionDays?: number;
}

/**
 * The runtime of the canary: `syn-nodejs-puppeteer-15.0`, the newest Node.js runtime CloudWatch Synthetics lists
 * (aws-cdk-lib 2.276 names runtimes up to 13.0, so it is named here). From 13.1 on the library module is
 * `@aws/synthetics-puppeteer`; the legacy `Synthetics` name is deprecated.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Library_nodejs_puppeteer.html
 */
export const CANARY_RUNTIME = new synthetics.Runtime('syn-nodejs-puppeteer-15.0', synthetics.RuntimeFamily.NODEJS);

/**
 * What one run checks, in order: the API's GET /health (every table and secret), the same route through
 * the frontend's `/api/*` behaviour (CloudFront, its viewer function and the API origin), and the frontend's
 * home page. The API has no unauthenticated business route to read, and the canary holds no user credentials,
 * so these three read-only requests are the real traffic it can send without writing anything.
 */
const CANARY_SCRIPT = `
const synthetics = require('@aws/synthetics-puppeteer');
const api = process.env.${ENV_NAMES.canaryApiUrl};
const frontend = process.env.${ENV_NAMES.canaryFrontendUrl};
async function expectOk(name, url, check) {
  await synthetics.executeStep(name, async () => {
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10000) });
    const body = await response.text();
    if (response.status !== 200) throw new Error(name + ': ' + url + ' answered ' + response.status + ', expected 200');
    if (check) check(body);
  });
}
const healthy = (body) => {
  if (JSON.parse(body).status !== 'ok') throw new Error('health endpoint reports ' + body.slice(0, 200));
};
exports.handler = async () => {
  await expectOk('api-health', api + 'health', healthy);
  await expectOk('frontend-api-health', frontend + 'api/health', healthy);
  await expectOk('frontend-home', frontend);
};
`;

/**
 * A CloudWatch Synthetics canary that sends real, read-only requests to the stage every
 * `scheduleMinutes`, so alarms (and the pipeline's bake time) watch traffic, not silence; and its
 * alarm, in ALARM when a run fails. Artifacts go to a private, KMS-encrypted, TLS-only bucket whose
 * objects expire.
 */
export class SyntheticTraffic extends Construct {
  /** The canary. */
  readonly canary: synthetics.Canary;
  /** The artifacts bucket. */
  readonly artifactsBucket: s3.Bucket;
  /** In ALARM when a run failed in the last period (at least 5 minutes, and at least one run). */
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: SyntheticTrafficProps) {
    super(scope, id);
    const minutes = props.scheduleMinutes;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
      throw new Error(
        `${id}: scheduleMinutes = ${minutes} is not valid; expected a whole number of minutes from 1 to 60.`,
      );
    }
    const retentionDays = props.artifactRetentionDays ?? 30;
    this.artifactsBucket = new s3.Bucket(this, 'Artifacts', {
      encryption: s3.BucketEncryption.KMS_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'canary-artifacts/',
      lifecycleRules: [
        {
          id: 'ExpireCanaryArtifacts',
          expiration: Duration.days(retentionDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    acknowledge(this.artifactsBucket, [
      {
        id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
        reason:
          'Screenshots and logs of canary runs, expired after days; the canary itself recreates them every run, so a replica would keep nothing of value.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_bucket_object_lock_enabled_check`,
        reason: `Artifacts must expire after ${retentionDays} days; the bucket is versioned, private, and only the canary writes to it.`,
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_event_notifications_enabled_check`,
        reason: 'Canary artifacts are read on demand when a run fails; its alarm, not the objects, raises the alert.',
      },
    ]);

    this.canary = new synthetics.Canary(this, 'Canary', {
      runtime: CANARY_RUNTIME,
      test: synthetics.Test.custom({ code: synthetics.Code.fromInline(CANARY_SCRIPT), handler: 'index.handler' }),
      schedule: synthetics.Schedule.rate(Duration.minutes(minutes)),
      artifactsBucketLocation: { bucket: this.artifactsBucket },
      environmentVariables: {
        [ENV_NAMES.canaryApiUrl]: props.apiUrl,
        [ENV_NAMES.canaryFrontendUrl]: `https://${props.frontendDomainName}/`,
      },
      timeout: Duration.seconds(Math.min(60 * minutes, 60)),
      successRetentionPeriod: Duration.days(7),
      failureRetentionPeriod: Duration.days(Math.min(retentionDays, 30)),
      startAfterCreation: true,
    });

    const role = this.canary.role;
    const runtimeNeeds =
      'A Synthetics canary needs these to run: CloudWatch PutMetricData (limited to the CloudWatchSynthetics namespace by condition), s3:ListAllMyBuckets, its own artifacts under the bucket, and its cwsyn-* Lambda log groups, whose names CloudWatch Synthetics chooses.';
    acknowledge(role, [
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: runtimeNeeds },
      {
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).resolve((this.artifactsBucket.node.defaultChild as s3.CfnBucket).logicalId)}.Arn>/*]`,
        reason: runtimeNeeds,
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:aws:logs:${Stack.of(this).region}:${Stack.of(this).account}:log-group:/aws/lambda/cwsyn-*]`,
        reason: runtimeNeeds,
      },
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "The inline policy belongs to this canary's own role and grants only what the canary run needs; a managed policy would be shareable and no narrower.",
      },
    ]);

    this.alarm = new cloudwatch.Alarm(this, 'Failed', {
      alarmName: `${PLATFORM_PREFIX}-${props.stageName}-synthetic-traffic-failed`,
      alarmDescription: `A synthetic traffic run against stage ${props.stageName} failed (API /health, the frontend's /api/health or home page).`,
      metric: this.canary.metricSuccessPercent({
        period: Duration.minutes(Math.max(5, minutes)),
        statistic: cloudwatch.Stats.MINIMUM,
      }),
      threshold: 100,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // No run in the period (a new canary, or one CloudWatch has not yet reported) keeps the alarm's state:
      // a first deploy does not fail its own bake, and a failing run still fires within one period.
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
  }
}
