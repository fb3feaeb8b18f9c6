import { Duration, Stack } from 'aws-cdk-lib';
import type * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { bundledFunctionProps } from '../bundling/bundled-function-props';
import { EXECUTION_NOTIFIER_ENV } from '../../contracts/env-names';
import { NOTIFIED_EXECUTION_STATES, PIPELINE_EXECUTION_STATE_CHANGE } from '../../contracts/pipeline-execution-events';
import { acknowledge, CFN_GUARD_NAMESPACE } from '../compliance/acknowledge';
import type { ChangeReviewReports } from './change-review/change-review-reports';

/** Props of {@link ExecutionNotifier}. */
export interface ExecutionNotifierProps {
  /** The pipeline whose executions are told. */
  readonly pipeline: codepipeline.IPipeline;
  /** The pipeline's topic. */
  readonly topic: sns.ITopic;
  /**
   * Where steps leave failure details (the change review's reason); read before a failed action's own summary.
   * @default none: every failed action is described by its summary as CodePipeline holds it
   */
  readonly failureDetails?: ChangeReviewReports;
  /**
   * Retention of the function's log group.
   * @default one year
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The CodePipeline read calls the notifier makes, all on the pipeline's own ARN (each supports that
 * resource type: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodepipeline.html).
 */
export const NOTIFIER_READ_ACTIONS = [
  'codepipeline:GetPipeline',
  'codepipeline:GetPipelineExecution',
  'codepipeline:ListActionExecutions',
  'codepipeline:ListPipelineExecutions',
  'codepipeline:ListRuleExecutions',
] as const;

/**
 * Tells every end of a pipeline execution in one message to the pipeline's topic: an EventBridge rule on
 * "CodePipeline Pipeline Execution State Change" FAILED, STOPPED, SUPERSEDED, CANCELED and SUCCEEDED of
 * this pipeline invokes a function that reads the execution (failed action and its reason, failed condition
 * rule with its alarm or window, stop reason, rollback target) and says what happens next. A rollback
 * execution is labelled ROLLED BACK (or ROLLBACK FAILED), never only "succeeded". Keying on the
 * pipeline-level event alone gives one message per execution, not one per action and stage.
 */
export class ExecutionNotifier extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ExecutionNotifierProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR });
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      ...bundledFunctionProps('pipeline', 'execution-notifier', { sourceMap: false }),
      memorySize: 256,
      // Reads get what is left after 10 s are kept back for publishing (PUBLISH_RESERVE_MS in the handler).
      timeout: Duration.seconds(60),
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      description: 'Sends one message per pipeline execution that ends, with its stage, cause and what happens next',
      environment: {
        [EXECUTION_NOTIFIER_ENV.topicArn]: props.topic.topicArn,
        ...(props.failureDetails
          ? { [EXECUTION_NOTIFIER_ENV.detailsBucket]: props.failureDetails.bucket.bucketName }
          : {}),
      },
    });
    const stack = Stack.of(this);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadThisPipelinesExecutions',
        actions: [...NOTIFIER_READ_ACTIONS],
        resources: [props.pipeline.pipelineArn],
      }),
    );
    props.topic.grantPublish(this.function);
    props.failureDetails?.grantReadFailureDetails(this.function);

    this.rule = new events.Rule(this, 'Rule', {
      description: 'Executions of the delivery pipeline that end (failed, stopped, superseded, cancelled, succeeded)',
      eventPattern: {
        source: ['aws.codepipeline'],
        detailType: [PIPELINE_EXECUTION_STATE_CHANGE],
        detail: { pipeline: [props.pipeline.pipelineName], state: [...NOTIFIED_EXECUTION_STATES] },
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
          "Invoked once per pipeline execution that ends; reserved concurrency would only take from the account's unreserved pool.",
      },
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason:
          'EventBridge retries the invocation twice within an hour and Lambda retries a failed publish; a lost message leaves the outcome visible in the pipeline console and its execution history.',
      },
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason:
          'The pipeline account has no VPC; the function calls only the CodePipeline, S3 and SNS APIs over TLS with IAM authentication.',
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
          "The policy belongs to this function's role alone (read this pipeline's executions, publish to its topic, read failure details).",
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
