import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as notifications from 'aws-cdk-lib/aws-codestarnotifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * The pipeline events people are told about. Failures are not among them: the FailureNotifier
 * (lib/pipeline/failure-notifier.ts) sends one message per failed action, with its reason. Nor is
 * "manual approval needed": the approval action publishes its own request (review link, checklist) to the same topic, once.
 */
export const PIPELINE_NOTIFICATION_EVENTS: readonly codepipeline.PipelineNotificationEvents[] = [
  codepipeline.PipelineNotificationEvents.PIPELINE_EXECUTION_SUCCEEDED,
  codepipeline.PipelineNotificationEvents.PIPELINE_EXECUTION_SUPERSEDED,
];

/** Props of {@link PipelineNotifications}. */
export interface PipelineNotificationsProps {
  /** The pipeline whose events are sent. */
  readonly pipeline: codepipeline.IPipeline;
  /**
   * Topic the events go to. It must be encrypted with a customer managed key (`masterKey`), whose
   * policy then lets the CodeStar Notifications service publish.
   */
  readonly topic: sns.ITopic;
  /**
   * Events to send.
   * @default PIPELINE_NOTIFICATION_EVENTS: execution succeeded and superseded
   */
  readonly events?: readonly codepipeline.PipelineNotificationEvents[];
}

/**
 * A CodeStar Notifications rule that sends pipeline events to an encrypted SNS topic.
 * Full detail is sent so that chat integrations (Amazon Q Developer in chat applications) can render it.
 */
export class PipelineNotifications extends Construct {
  /** The notification rule. */
  readonly rule: notifications.NotificationRule;

  constructor(scope: Construct, id: string, props: PipelineNotificationsProps) {
    super(scope, id);
    const key = props.topic.masterKey;
    if (!key) {
      throw new Error(
        `${id}: the notification topic must be encrypted with a customer managed KMS key (set masterKey)`,
      );
    }
    const events = props.events ?? PIPELINE_NOTIFICATION_EVENTS;
    if (events.length === 0) throw new Error(`${id}: at least one pipeline event must be notified`);

    // Binding the topic as a target grants the CodeStar Notifications service sns:Publish on the
    // topic and kms:GenerateDataKey* + kms:Decrypt in the key policy (CDK adds both to the key).
    this.rule = new notifications.NotificationRule(this, 'Rule', {
      source: props.pipeline,
      events: [...events],
      targets: [props.topic],
      detailType: notifications.DetailType.FULL,
    });
  }
}
