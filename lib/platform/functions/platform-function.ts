import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV_NAMES } from '../../../contracts/env-names';
import { acknowledge, CFN_GUARD_NAMESPACE } from '../../compliance/acknowledge';
import { bundledFunctionProps } from '../../bundling/bundled-function-props';
import { acknowledgeShortLogRetention } from '../security/acknowledge-short-log-retention';

/** Name of the alias every caller of a platform function invokes. */
export const LIVE_ALIAS = 'live';

/** Props of {@link PlatformFunction}. */
export interface PlatformFunctionProps {
  /** Name of the function's folder under lambda/platform/, whose `index.ts` exports `handler` (see lambdaEntry). */
  readonly handlerName: string;
  /** One-line description shown in the console. */
  readonly description: string;
  /** Days the function's log group keeps events; must be a CloudWatch Logs retention value. */
  readonly logRetentionDays: number;
  /**
   * Keep the log group when its stack is deleted or it is replaced (the stage's `retainData`).
   * @default true: the log group outlives its stack
   */
  readonly retainLogs?: boolean;
  /**
   * Customer-managed key that encrypts the function's log group.
   * @default - the log group is encrypted with a key CloudWatch Logs owns (a compliance finding)
   */
  readonly logEncryptionKey?: kms.IKey;
  /** Environment variables (besides STAGE). */
  readonly environment?: Record<string, string>;
  /** Stage name, set as STAGE on every log line. */
  readonly stage: string;
  /**
   * Provisioned concurrency of the function's `live` alias.
   * @default 0 - no provisioned concurrency
   */
  readonly provisionedConcurrency?: number;
  /**
   * Maximum run time.
   * @default 10 seconds
   */
  readonly timeout?: Duration;
  /**
   * Memory in MB.
   * @default 256
   */
  readonly memorySize?: number;
}

/**
 * A platform Lambda function with the platform's defaults: Node.js 22 on ARM64, bundled by
 * esbuild with the AWS SDK left external, its own log group with retention, X-Ray active
 * tracing, an encrypted dead-letter queue for asynchronous invocations, and a `live` alias
 * (with provisioned concurrency when asked) that every caller invokes, so a release can shift
 * the alias from one published version to the next (see FunctionRelease).
 */
export class PlatformFunction extends Construct {
  /** The function. */
  readonly function: nodejs.NodejsFunction;
  /** The `live` alias: what every caller invokes, and what a release shifts to a new version. */
  readonly alias: lambda.Alias;
  /** What callers should invoke: the `live` alias. */
  readonly invokeTarget: lambda.IFunction;
  /** Dead-letter queue of asynchronous invocations. */
  readonly deadLetterQueue: sqs.Queue;
  /** The function's log group. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    super(scope, id);
    const provisioned = props.provisionedConcurrency ?? 0;
    if (!Number.isInteger(provisioned) || provisioned < 0) {
      throw new Error(`${id}: provisionedConcurrency must be a whole number >= 0, got ${provisioned}`);
    }
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      encryptionKey: props.logEncryptionKey,
      removalPolicy: props.retainLogs === false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    acknowledgeShortLogRetention(this.logGroup, props.logRetentionDays);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, [
      {
        id: `${CFN_GUARD_NAMESPACE}::sqs_dlq_check`,
        reason:
          "This queue is itself the dead-letter queue of the function's asynchronous invocations; a dead-letter queue of a dead-letter queue would only move the same messages again.",
      },
    ]);
    // Own role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (${props.stage})`,
    });
    this.logGroup.grantWrite(role);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      role,
      ...bundledFunctionProps('platform', props.handlerName, { sourceMap: true }),
      description: props.description,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      deadLetterQueue: this.deadLetterQueue,
      environment: { [ENV_NAMES.stage]: props.stage, NODE_OPTIONS: '--enable-source-maps', ...props.environment },
    });
    acknowledge(role, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
      },
    ]);
    acknowledge(this.function, [
      {
        id: 'AwsSolutions-L1',
        reason: 'The platform pins Node.js 22 (LTS); moving runtime is a deliberate, tested change.',
      },
    ]);
    const noVpc =
      'The function reaches only AWS service endpoints (DynamoDB, EventBridge, Secrets Manager, X-Ray) and public third-party APIs over TLS with IAM auth; the platform has no VPC resources, so a VPC would add NAT cost and cold-start latency without isolating anything.';
    acknowledge(this.function, [
      { id: 'NIST.800.53.R5-LambdaInsideVPC', reason: noVpc },
      { id: `${CFN_GUARD_NAMESPACE}::lambda_inside_vpc_check`, reason: noVpc },
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason:
          'Reserved concurrency is taken from the account pool: in new accounts (limit 10) it fails the deployment, and it can starve other functions. Load is bounded by API Gateway throttling (and, in stages with WAF, its rate-based rule), and provisioned concurrency is configured per stage (provisionedConcurrency).',
      },
    ]);
    acknowledge(role, [
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "The inline policy belongs to this function's own role and grants only what this one function uses (its log group, dead-letter queue, tables, secrets); a managed policy would be shareable and no narrower.",
      },
    ]);
    this.alias = new lambda.Alias(this, 'Live', {
      aliasName: LIVE_ALIAS,
      version: this.function.currentVersion,
      provisionedConcurrentExecutions: provisioned > 0 ? provisioned : undefined,
    });
    this.invokeTarget = this.alias;
  }
}
