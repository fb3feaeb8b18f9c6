import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV_NAMES } from '../../../contracts/env-names';
import { acknowledge, CFN_GUARD_NAMESPACE } from '../../compliance/acknowledge';
import { bundledFunctionProps } from '../../bundling/bundled-function-props';

/** Props of {@link CheckFunction}. */
export interface CheckFunctionProps {
  /** Name of the function's folder under `lambda/pipeline/` (`stage-health`), whose `index.ts` exports `handler` (see lambdaEntry). */
  readonly handlerName: string;
  /** Physical name of the function's role; each stage's check role trusts it by name. */
  readonly roleName: string;
  /** What the function checks, for its description. */
  readonly description: string;
  /**
   * How long the function may run, including the time kept back to report.
   * @default 60 seconds
   */
  readonly timeout?: Duration;
  /**
   * Time kept back from the timeout to report the result to CodePipeline.
   * @default 10 seconds
   */
  readonly reportReserve?: Duration;
  /**
   * Retention of the function's log group.
   * @default one year, long enough to read an old failed check's details
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * One post-deploy check function in the pipeline account: Node.js 22 on ARM, bundled by the local
 * esbuild with the AWS SDK v3 left to the runtime, its role named so the stages' check roles can trust it.
 */
export class CheckFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: CheckFunctionProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.seconds(60);
    const reserve = props.reportReserve ?? Duration.seconds(10);
    if (reserve.toMilliseconds() >= timeout.toMilliseconds()) {
      throw new Error(
        `${id}: reportReserve (${reserve.toSeconds()} s) must be shorter than timeout (${timeout.toSeconds()} s).`,
      );
    }
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR });
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: `Runs the pipeline ${props.description}; may assume the stages' read-only check roles`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    logGroup.grantWrite(this.role);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      ...bundledFunctionProps('pipeline', props.handlerName, { sourceMap: false }),
      memorySize: 256,
      timeout,
      role: this.role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      description: `Pipeline post-deploy ${props.description}`,
      environment: { [ENV_NAMES.reportReserveMs]: String(reserve.toMilliseconds()) },
    });
    acknowledge(this.function, [
      {
        id: 'AwsSolutions-L1',
        reason:
          'The design pins the check functions to Node.js 22 (lambda.Runtime.NODEJS_22_X); moving to 24 is a separate, tested change.',
      },
    ]);
    acknowledge(this.role, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'codepipeline:PutJobSuccessResult and PutJobFailureResult do not support resource-level permissions (granted by LambdaInvokeAction).',
      },
    ]);
    acknowledge(this.function, [
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason:
          "Invoked only by the pipeline, once per stage deployment; reserved concurrency would only take from the account's unreserved pool.",
      },
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason:
          'CodePipeline waits for the function to report the job result; a failed or lost invocation fails the pipeline action, so no event is dropped silently.',
      },
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason:
          "The pipeline account has no VPC; the function calls only AWS APIs (STS, CloudFormation, CodePipeline and the stages' read-only APIs) over TLS with IAM authentication.",
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::lambda_inside_vpc_check`,
        reason:
          'The pipeline account has no VPC; the function calls only AWS APIs (see NIST.800.53.R5-LambdaInsideVPC).',
      },
    ]);
    acknowledge(this.role, [
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "The policy belongs to this function's role alone (its log group, job results, assuming the named check roles); a managed policy would be shareable and no narrower.",
      },
    ]);
    acknowledge(logGroup, [
      {
        id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
        reason:
          'Check logs hold stack names, check outcomes and AWS request ids, no personal data or secrets; CloudWatch Logs encrypts them at rest with AWS-owned keys.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::cloudwatch_log_group_encrypted_check`,
        reason:
          'No personal data or secrets in the check logs; encrypted at rest by CloudWatch Logs (see NIST.800.53.R5-CloudWatchLogGroupEncrypted).',
      },
    ]);
  }

  /** Lets the function assume `roleArn` (a stage's check role). */
  allowAssume(roleArn: string): void {
    const stack = Stack.of(this);
    if (!stack.resolve(roleArn)) throw new Error(`${this.node.id}: allowAssume needs a role ARN.`);
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [roleArn] }));
  }
}
