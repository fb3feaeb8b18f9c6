import * as sns from 'aws-cdk-lib/aws-sns';
import { ManualApprovalStep } from 'aws-cdk-lib/pipelines';
import { OUTPUTS, resourceNames, StageConfig } from '../config';

/** URL of a stage's CloudWatch dashboard in the console; the dashboard name is a contract, so it is known at synth. */
export function dashboardUrl(stage: StageConfig): string {
  const name = resourceNames(stage.name).dashboard;
  return `https://${stage.region}.console.aws.amazon.com/cloudwatch/home?region=${stage.region}#dashboards:name=${name}`;
}

/**
 * The manual approval that gates `stage`, pointing the approver at the stage before it (`previous`,
 * or the stage itself when it is the first). The approval request is published to `topic`.
 *
 * The previous stage's health URL is an API Gateway URL created at deploy time in another account,
 * so it is not known at synth: the comment tells the approver which stack output holds it.
 */
export function createApprovalStep(stage: StageConfig, previous: StageConfig | undefined, topic: sns.ITopic): ManualApprovalStep {
  const review = previous ?? stage;
  const service = `${review.displayName} Service stack`;
  return new ManualApprovalStep(`ApproveTo${stage.displayName}`, {
    notificationTopic: topic,
    reviewUrl: dashboardUrl(review),
    comment: [
      `Approve to deploy this commit to ${stage.displayName}. Before approving, check:`,
      `(1) the ${review.displayName} health and DR check actions of this execution succeeded;`,
      `(2) on the ${review.displayName} dashboard (link) no alarm is in ALARM, ${resourceNames(review.name).stageUnhealthyAlarm} is OK`,
      'and 5xx, latency and workflow failures are flat since the deploy;',
      `(3) ${OUTPUTS.healthUrl} (output of the ${service}) answers 200;`,
      '(4) the change (commit and pull request) is what you expect to release.',
      'Reject with a reason if any check fails.',
    ].join(' '),
  });
}
