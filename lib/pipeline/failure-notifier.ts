import { Duration, Stack } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { bundledFunctionProps } from '../bundling/bundled-function-props';
import { FAILURE_DETAILS_BUCKET_ENV, FAILURE_TOPIC_ARN_ENV } from '../../contracts/env-names';
import { acknowledge, CFN_GUARD_NAMESPACE } from '../compliance/acknowledge';
import type { ChangeReviewReports } from './change-review/change-review-reports';

/** Props of {@link FailureNotifier}. */
export interface FailureNotifierProps {
  /** The pipeline whose failed actions are notified. */
  readonly pipeline: codepipeline.IPipeline;
  /** The pipeline's topic. */
  readonly topic: sns.ITopic;
  /**
   * Where steps leave failure details (the change review's reason); read before the action's own summary.
   * @default none: every message carries the action's summary as CodePipeline holds it
   */
  readonly failureDetails?: ChangeReviewReports;
  /**
   * Retention of the function's log group.
   * @default one year
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Sends one message to the pipeline's topic per failed action: an EventBridge rule on
 * "CodePipeline Action Execution State Change" FAILED of this pipeline invokes a function that adds
 * the action's failure summary and the commit, with a subject `[pipeline FAILED] <Stage>/<Action>: ...`.
 * The CodeStar notification rule no longer sends execution failures, so a failure is one e-mail.
 */
export class FailureNotifier extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: FailureNotifierProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR });
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      ...bundledFunctionProps('pipeline', 'failure-notifier', { sourceMap: false }),
      memorySize: 256,
      timeout: Duration.seconds(30),
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      description: 'Sends one message per failed pipeline action, with its reason',
      environment: {
        [FAILURE_TOPIC_ARN_ENV]: props.topic.topicArn,
        ...(props.failureDetails ? { [FAILURE_DETAILS_BUCKET_ENV]: props.failureDetails.bucket.bucketName } : {}),
      },
    });
    const stack = Stack.of(this);
    const pipelineArn = props.pipeline.pipelineArn;
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadFailedExecution',
        actions: ['codepipeline:GetPipelineExecution', 'codepipeline:ListActionExecutions'],
        resources: [pipelineArn],
      }),
    );
    props.topic.grantPublish(this.function);
    props.failureDetails?.grantReadFailureDetails(this.function);

    this.rule = new events.Rule(this, 'Rule', {
      description: 'Failed actions of the delivery pipeline',
      eventPattern: {
        source: ['aws.codepipeline'],
        detailType: ['CodePipeline Action Execution State Change'],
        detail: { pipeline: [props.pipeline.pipelineName], state: ['FAILED'] },
      },
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });

    acknowledge(this.function, [
      {
        id: 'AwsSolutions-L1',
        reason:
          'Pinned to Node.js 22 like the check functions (lambda.Runtime.NODEJS_22_X); moving to 24 is a separate, tested change.',
      },
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason:
          "Invoked once per failed pipeline action; reserved concurrency would only take from the account's unreserved pool.",
      },
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason:
          'EventBridge retries the invocation twice within an hour; a lost notification leaves the failure visible in the pipeline console and its execution history.',
      },
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason:
          'The pipeline account has no VPC; the function calls only CodePipeline, S3 and SNS APIs over TLS with IAM authentication.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::lambda_inside_vpc_check`,
        reason:
          'The pipeline account has no VPC; the function calls only AWS APIs (see NIST.800.53.R5-LambdaInsideVPC).',
      },
    ]);
    const role = this.function.role!;
    acknowledge(role, [
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'The CDK default execution policy of a Lambda function: CloudWatch Logs writes only.',
      },
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "The policy belongs to this function's role alone (read the pipeline's executions, publish to its topic, read failure details).",
      },
      ...(props.topic.masterKey
        ? [
            {
              id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
              reason: "CDK grant on the pipeline topic's own key only, to publish to the encrypted topic.",
            },
          ]
        : []),
      ...(props.failureDetails
        ? [
            {
              id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(props.failureDetails.bucket.node.defaultChild as never)}.Arn>/failure-details/*]`,
              reason:
                'Failure details of any execution; their keys carry the execution id, which is known only at run time.',
            },
            {
              id: 'AwsSolutions-IAM5[Action::s3:GetObject*]',
              reason: 'CDK grantRead on the failure-details prefix of the reports bucket only.',
            },
            { id: 'AwsSolutions-IAM5[Action::s3:GetBucket*]', reason: 'CDK grantRead on the reports bucket only.' },
            { id: 'AwsSolutions-IAM5[Action::s3:List*]', reason: 'CDK grantRead on the reports bucket only.' },
          ]
        : []),
    ]);
    acknowledge(logGroup, [
      {
        id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
        reason:
          'Notifier logs hold stage, action and execution ids, no personal data or secrets; CloudWatch Logs encrypts them at rest with AWS-owned keys.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::cloudwatch_log_group_encrypted_check`,
        reason: 'No personal data or secrets in the notifier logs; encrypted at rest by CloudWatch Logs.',
      },
    ]);
  }
}
