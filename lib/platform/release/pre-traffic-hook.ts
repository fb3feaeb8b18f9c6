import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV_NAMES } from '../../../contracts/env-names';
import type { PreTrafficProbeName } from '../../../contracts/pre-traffic-probes';
import { bundledFunctionProps } from '../../bundling/bundled-function-props';
import { acknowledge, CFN_GUARD_NAMESPACE } from '../../compliance/acknowledge';
import { acknowledgeShortLogRetention } from '../security/acknowledge-short-log-retention';

/** Milliseconds the hook keeps back from its own timeout to report the result. */
export const PRE_TRAFFIC_HOOK_RESERVE_MS = 5_000;

/** Props of {@link PreTrafficHook}. */
export interface PreTrafficHookProps {
  /** The function whose releases the hook guards. */
  readonly target: lambda.Function;
  /** The version a release is about to shift the alias to (the target's `currentVersion`). */
  readonly targetVersion: lambda.IVersion;
  /** The harmless request the hook sends the new version. */
  readonly probe: PreTrafficProbeName;
  /** Stage name (STAGE on the hook's log lines). */
  readonly stage: string;
  /** Days the hook's log group keeps events; must be a CloudWatch Logs retention value. */
  readonly logRetentionDays: number;
  /**
   * Keep the hook's log group when its stack is deleted (stages that retain their data).
   * @default true - the log group is retained
   */
  readonly retainLogs?: boolean;
  /**
   * Customer-managed key that encrypts the hook's log group.
   * @default - encrypted with a key CloudWatch Logs owns
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * The hook's own run time; `PRE_TRAFFIC_HOOK_RESERVE_MS` of it are kept back to report.
   * @default 30 seconds
   */
  readonly timeout?: Duration;
}

/**
 * CodeDeploy's BeforeAllowTraffic hook of one function: invokes the version about to get traffic with
 * a harmless request and reports Succeeded only on the expected answer (lambda/platform/pre-traffic-hook).
 * Bundled like the platform functions (Node.js 22, ARM64, esbuild, own log group, X-Ray), without a
 * `live` alias: CodeDeploy invokes the hook itself. Its role may write its log group and invoke the
 * target's versions; the deployment group adds PutLifecycleEventHookExecutionStatus on itself when the
 * hook is given to it (`preHook`), and lets CodeDeploy's role invoke the hook.
 */
export class PreTrafficHook extends Construct {
  /** The hook function. */
  readonly function: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: PreTrafficHookProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.seconds(30);
    if (timeout.toMilliseconds() <= PRE_TRAFFIC_HOOK_RESERVE_MS) {
      throw new Error(
        `${id}: timeout must be longer than the ${PRE_TRAFFIC_HOOK_RESERVE_MS} ms kept back to report, got ${timeout.toMilliseconds()} ms`,
      );
    }
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      encryptionKey: props.logEncryptionKey,
      removalPolicy: props.retainLogs === false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    acknowledgeShortLogRetention(logGroup, props.logRetentionDays);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Pre-traffic hook of ${id} (${props.stage})`,
    });
    logGroup.grantWrite(role);
    // Every version of the target, not only the current one: a policy naming the new version would
    // change with each release, right before the hook runs, and might not have propagated yet.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeTargetVersions',
        actions: ['lambda:InvokeFunction'],
        resources: [`${props.target.functionArn}:*`],
      }),
    );
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      role,
      ...bundledFunctionProps('platform', 'pre-traffic-hook', { sourceMap: true }),
      description: `Pre-traffic hook: probes the new version before CodeDeploy shifts traffic (${props.stage})`,
      memorySize: 256,
      timeout,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        [ENV_NAMES.stage]: props.stage,
        [ENV_NAMES.preTrafficTargetVersion]: props.targetVersion.functionArn,
        [ENV_NAMES.preTrafficProbe]: props.probe,
        [ENV_NAMES.reportReserveMs]: String(PRE_TRAFFIC_HOOK_RESERVE_MS),
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    const targetId = Stack.of(this).resolve((props.target.node.defaultChild as lambda.CfnFunction).logicalId);
    acknowledge(role, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${targetId}.Arn>:*]`,
        reason:
          "The hook invokes the version a release is about to shift traffic to; versions are numbered at each release, so the grant covers the target function's versions, no other function.",
      },
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "The inline policy belongs to this hook's own role and grants only its log group, X-Ray and invoking its one target's versions; a managed policy would be shareable and no narrower.",
      },
    ]);
    const noVpc =
      'The hook calls only the Lambda and CodeDeploy APIs; the platform has no VPC resources, so a VPC would add NAT cost without isolating anything.';
    acknowledge(this.function, [
      {
        id: 'AwsSolutions-L1',
        reason: 'The platform pins Node.js 22 (LTS); moving runtime is a deliberate, tested change.',
      },
      { id: 'NIST.800.53.R5-LambdaInsideVPC', reason: noVpc },
      { id: `${CFN_GUARD_NAMESPACE}::lambda_inside_vpc_check`, reason: noVpc },
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason:
          'The hook runs once per release; reserved concurrency would be taken from the account pool for nothing.',
      },
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason:
          "A hook event that failed all its attempts belongs to a deployment CodeDeploy has already failed (it records the hook's failure and rolls back); replaying its two ids from a queue could not report anything.",
      },
    ]);
  }
}
