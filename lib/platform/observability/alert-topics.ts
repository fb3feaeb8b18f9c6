import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Props of {@link AlertTopics}. */
export interface AlertTopicsProps {
  /**
   * Key that encrypts both topics. Its key policy gets a statement that lets CloudWatch alarms
   * use it, so it must be a key defined in this app (an imported key's policy cannot be changed).
   */
  readonly key: kms.IKey;
  /**
   * E-mail addresses subscribed to both topics.
   * @default - no subscriptions; alarms still change state and the pipeline still watches them
   */
  readonly emails?: readonly string[];
  /** Prefix of the topics' display names, e.g. "UK Home Improvement prod". */
  readonly displayNamePrefix: string;
}

/**
 * Two KMS-encrypted SNS topics: critical (failures, security) and warning (degradation, capacity),
 * each with the stage's alert e-mails subscribed.
 */
export class AlertTopics extends Construct {
  /** System failures and security incidents: someone acts now. */
  readonly critical: sns.Topic;
  /** Performance degradation and capacity: someone looks today. */
  readonly warning: sns.Topic;

  constructor(scope: Construct, id: string, props: AlertTopicsProps) {
    super(scope, id);
    const added = props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopics',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        // Only alarms of this account: CloudWatch sets aws:SourceAccount when it publishes for an alarm.
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    if (!added.statementAdded) {
      throw new Error(
        `${id}: cannot add a statement to the policy of the topics' key (an imported key?). ` +
          'Pass a key defined in this app, or allow cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey* in its policy yourself.',
      );
    }
    const topic = (topicId: string, label: string) => {
      const t = new sns.Topic(this, topicId, {
        displayName: `${props.displayNamePrefix} ${label} alerts`,
        masterKey: props.key,
        enforceSSL: true,
      });
      for (const email of props.emails ?? []) t.addSubscription(new subscriptions.EmailSubscription(email));
      return t;
    };
    this.critical = topic('Critical', 'critical');
    this.warning = topic('Warning', 'warning');
  }
}
