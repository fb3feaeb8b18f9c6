import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeAt, CFN_GUARD_NAMESPACE } from '../../compliance/acknowledge';
import { DOMAIN_EVENT_SOURCE, DOMAIN_EVENTS } from '../../../contracts/domain-events';

/** Props of {@link DomainEventRules}. */
export interface DomainEventRulesProps {
  /** The platform's custom bus. */
  readonly bus: events.IEventBus;
  /** Started by ProjectCreated. */
  readonly workflow: sfn.IStateMachine;
  /** Invoked by QuoteRequested. */
  readonly quoteEstimation: lambda.IFunction;
  /** Invoked by ContractSigned. */
  readonly notify: lambda.IFunction;
}

/**
 * Rules of the domain events on the platform bus: ProjectCreated starts the AI workflow,
 * QuoteRequested invokes quote estimation, ContractSigned invokes notify. Every target retries
 * for up to a day and then parks the event in one encrypted dead-letter queue.
 */
export class DomainEventRules extends Construct {
  /** Events no target could take. */
  readonly deadLetterQueue: sqs.Queue;
  /** Rules by event. */
  readonly rules: {
    readonly projectCreated: events.Rule;
    readonly quoteRequested: events.Rule;
    readonly contractSigned: events.Rule;
  };

  constructor(scope: Construct, id: string, props: DomainEventRulesProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, [
      { id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the rule targets.' },
      {
        id: `${CFN_GUARD_NAMESPACE}::sqs_dlq_check`,
        reason:
          'This queue is itself the dead-letter queue of the rule targets; a dead-letter queue of a dead-letter queue would only move the same events again.',
      },
    ]);
    const delivery = { deadLetterQueue: this.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) };
    const rule = (ruleId: string, detailType: string, description: string, target: events.IRuleTarget) =>
      new events.Rule(this, ruleId, {
        eventBus: props.bus,
        description,
        eventPattern: { source: [DOMAIN_EVENT_SOURCE], detailType: [detailType] },
        targets: [target],
      });
    const projectId = events.EventField.fromPath('$.detail.projectId');
    this.rules = {
      projectCreated: rule(
        'ProjectCreated',
        DOMAIN_EVENTS.projectCreated,
        'Starts the AI workflow for a new project',
        new targets.SfnStateMachine(props.workflow, {
          ...delivery,
          input: events.RuleTargetInput.fromObject({ projectId }),
        }),
      ),
      quoteRequested: rule(
        'QuoteRequested',
        DOMAIN_EVENTS.quoteRequested,
        'Estimates a new quote for the project',
        new targets.LambdaFunction(props.quoteEstimation, {
          ...delivery,
          event: events.RuleTargetInput.fromObject({ projectId }),
        }),
      ),
      contractSigned: rule(
        'ContractSigned',
        DOMAIN_EVENTS.contractSigned,
        'Records the signed contract on the project',
        new targets.LambdaFunction(props.notify, {
          ...delivery,
          event: events.RuleTargetInput.fromObject({
            projectId,
            kind: 'ContractSigned',
            contractId: events.EventField.fromPath('$.detail.contractId'),
          }),
        }),
      ),
    };
    // The role EventBridge assumes to start the workflow is created under the state machine.
    acknowledgeAt(props.workflow, 'EventsRole', [
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          'The inline policy belongs to the role EventBridge assumes for this rule target alone and allows only states:StartExecution on this state machine; a managed policy would be shareable and no narrower.',
      },
    ]);
  }
}
