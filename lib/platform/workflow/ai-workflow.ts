import type { CfnResource } from 'aws-cdk-lib';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';
import { acknowledgeShortLogRetention } from '../security/acknowledge-short-log-retention';

/** Props of {@link AiWorkflow}. */
export interface AiWorkflowProps {
  /** Scopes the project: input `{ projectId }`. */
  readonly projectScoping: lambda.IFunction;
  /** Prices the scoped project: input `{ projectId }`, output `{ quoteId, totalPence }`. */
  readonly quoteEstimation: lambda.IFunction;
  /** Records the "quote ready" notification: input `{ projectId, kind, quoteId }`. */
  readonly notify: lambda.IFunction;
  /** Retention of the execution log group, in days. */
  readonly logRetentionDays: number;
  /**
   * Keep the log group when its stack is deleted or it is replaced (the stage's `retainData`).
   * @default true: the log group outlives its stack
   */
  readonly retainLogs?: boolean;
  /**
   * What the execution log holds: `all-with-data` logs every event with its input and output (which
   * carry personal data: project descriptions, postcodes); `errors` logs only failed steps and runs,
   * without execution data.
   * @default 'errors'
   */
  readonly logging?: 'errors' | 'all-with-data';
  /**
   * Customer-managed key that encrypts the log group.
   * @default - encrypted with a key CloudWatch Logs owns
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * Longest a run may take.
   * @default 15 minutes
   */
  readonly timeout?: Duration;
}

/** Errors worth retrying: Lambda service hiccups and the handlers' TransientError (throttling, malformed model answers). */
export const RETRYABLE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'TransientError',
];

/**
 * The AI workflow started by ProjectCreated: scope project, estimate quote, notify.
 * Each step retries transient errors with backoff; any other error (or retries exhausted)
 * is caught into the `WorkflowFailed` state. Logs errors (or, where asked, every event with its data) and traces with X-Ray.
 */
export class AiWorkflow extends Construct {
  /** The state machine. */
  readonly stateMachine: sfn.StateMachine;
  /** Execution log group. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AiWorkflowProps) {
    super(scope, id);
    const failed = new sfn.Fail(this, 'WorkflowFailed', {
      error: 'AiWorkflowFailed',
      causePath: sfn.JsonPath.stringAt('$.error.Cause'),
    });
    const step = (stepId: string, fn: lambda.IFunction, payload: Record<string, unknown>, resultPath: string) => {
      const task = new tasks.LambdaInvoke(this, stepId, {
        lambdaFunction: fn,
        payload: sfn.TaskInput.fromObject(payload),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        resultPath,
        taskTimeout: sfn.Timeout.duration(Duration.seconds(90)),
      });
      task.addRetry({
        errors: RETRYABLE_ERRORS,
        interval: Duration.seconds(2),
        maxAttempts: 3,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      });
      task.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.error' });
      return task;
    };
    const projectId = sfn.JsonPath.stringAt('$.projectId');
    const definition = step('ScopeProject', props.projectScoping, { projectId }, '$.scoping')
      .next(step('EstimateQuote', props.quoteEstimation, { projectId }, '$.estimate'))
      .next(
        step(
          'Notify',
          props.notify,
          { projectId, kind: 'QuoteReady', quoteId: sfn.JsonPath.stringAt('$.estimate.quoteId') },
          '$.notification',
        ),
      )
      .next(new sfn.Succeed(this, 'QuoteReady'));

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      encryptionKey: props.logEncryptionKey,
      removalPolicy: props.retainLogs === false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    acknowledgeShortLogRetention(this.logGroup, props.logRetentionDays);
    const allEvents = props.logging === 'all-with-data';
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: props.timeout ?? Duration.minutes(15),
      tracingEnabled: true,
      logs: allEvents
        ? { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true }
        : { destination: this.logGroup, level: sfn.LogLevel.ERROR, includeExecutionData: false },
    });
    if (!allEvents) {
      acknowledge(this.stateMachine, [
        {
          id: 'AwsSolutions-SF1',
          reason:
            'Execution inputs and outputs carry personal data (project descriptions, postcodes), so this stage logs failed steps and runs only, without execution data; X-Ray traces every run.',
        },
      ]);
    }
    acknowledge(this.stateMachine.role, [
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "The inline policy belongs to this state machine's own role and grants only the invocation of its three workflow functions, logs delivery and X-Ray; a managed policy would be shareable and no narrower.",
      },
    ]);
    acknowledge(this.stateMachine.role, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray and CloudWatch Logs delivery actions support no resource-level permissions.',
      },
      // A function defined outside this app has no logical id here; its grant is then a finding the gates report.
      // LambdaInvoke grants `<function>:*` on an unqualified function; an alias is granted by its own ARN only.
      ...[props.projectScoping, props.quoteEstimation, props.notify].flatMap((fn) => {
        const cfn = fn.node.defaultChild as CfnResource | undefined;
        return cfn && fn instanceof lambda.Function
          ? [
              {
                id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).resolve(cfn.logicalId)}.Arn>:*]`,
                reason: 'Versions and aliases of this one workflow function (added by LambdaInvoke).',
              },
            ]
          : [];
      }),
    ]);
  }
}
