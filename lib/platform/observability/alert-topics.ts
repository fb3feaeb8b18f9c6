import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { restrictKmsGrantsToAwsServices } from '../../compliance/restrict-kms-grants';

/** Props of {@link AlertTopics}. */
export interface AlertTopicsProps {
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
 * each with the stage's alert e-mails subscribed. They are encrypted with a key of their own, never the
 * stage's data key (docs/data-model.md): the CloudWatch service principal that publishes alarms to them may
 * use this key, for alarms of this account only, and nothing it can do reaches the data.
 */
export class AlertTopics extends Construct {
  /** System failures and security incidents: someone acts now. */
  readonly critical: sns.Topic;
  /** Performance degradation and capacity: someone looks today. */
  readonly warning: sns.Topic;
  /** The topics' own key, rotated yearly. */
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlertTopicsProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts the alert topics of ${props.displayNamePrefix}`,
      enableKeyRotation: true,
    });
    // CloudWatch needs kms:Decrypt and kms:GenerateDataKey* on the key of an encrypted topic it publishes alarms to
    // (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services), and it sets
    // aws:SourceAccount to the alarm's account.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopics',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    restrictKmsGrantsToAwsServices(this.key);
    const topic = (topicId: string, label: string) => {
      const t = new sns.Topic(this, topicId, {
        displayName: `${props.displayNamePrefix} ${label} alerts`,
        masterKey: this.key,
        enforceSSL: true,
      });
      for (const email of props.emails ?? []) t.addSubscription(new subscriptions.EmailSubscription(email));
      return t;
    };
    this.critical = topic('Critical', 'critical');
    this.warning = topic('Warning', 'warning');
  }
}
