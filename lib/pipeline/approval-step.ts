import * as sns from 'aws-cdk-lib/aws-sns';
import { ManualApprovalStep, Step } from 'aws-cdk-lib/pipelines';
import { StageConfig } from '../config';
import { OUTPUTS } from '../../contracts/output-names';
import { resourceNames } from '../../contracts/resource-names';

/** CodePipeline rejects a manual approval whose comment (CustomData) is longer than this. */
export const MAX_APPROVAL_COMMENT_LENGTH = 500;

/** How long CodePipeline keeps a manual approval open before it fails the action; fixed by CodePipeline, not configurable. */
export const APPROVAL_TIMEOUT_DAYS = 7;

/** Where the pipeline runs: the account an approver signs in to. */
export interface PipelineLocation {
  /** Pipeline name. */
  readonly name: string;
  /** Region of the pipeline account the pipeline is in. */
  readonly region: string;
}

/** Name of the pipeline stage that holds the approval of `stage` (`ApproveProd`). */
export function approvalStageName(stage: StageConfig): string {
  return `Approve${stage.displayName}`;
}

/**
 * URL of the pipeline in the CodePipeline console of the pipeline account. Approvers sign in to that
 * account to approve, so this link works for them; it shows the check actions of the stage before.
 */
export function pipelineConsoleUrl(pipeline: PipelineLocation): string {
  return `https://${pipeline.region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${pipeline.name}/view?region=${pipeline.region}`;
}

/**
 * The manual approval that gates `stage`, pointing the approver at the stage before it (`previous`,
 * or the stage itself when it is the first). The approval request is published to `topic`, once: the
 * pipeline's notification rule does not also send "manual approval needed".
 *
 * The review link (by default the pipeline's console page) opens in the pipeline account, where the approver
 * is signed in; PipelineStack points it at the change review report, kept in that account. The previous
 * stage's dashboard and health URL live in its own account, so the comment names them.
 *
 * @throws when the comment is longer than CodePipeline accepts.
 */
export function createApprovalStep(
  stage: StageConfig,
  previous: StageConfig | undefined,
  topic: sns.ITopic,
  pipeline: PipelineLocation,
  reviewUrl = pipelineConsoleUrl(pipeline),
): ManualApprovalStep {
  const review = previous ?? stage;
  const names = resourceNames(review.name);
  const comment = [
    `Approve to deploy this commit to ${stage.displayName} (inside its deployment window, if any).`,
    `Check: (1) the change review report (link) shows what ${stage.displayName} will change;`,
    `(2) the ${review.displayName} check actions of this execution passed;`,
    `(3) in the ${review.displayName} account, dashboard ${names.dashboard} shows no alarm and ${names.stageUnhealthyAlarm} is OK;`,
    `(4) ${OUTPUTS.healthUrl} of the ${review.displayName} Service stack answers 200; (5) the commit is what you expect.`,
    `Reject with a reason otherwise. Expires after ${APPROVAL_TIMEOUT_DAYS} days.`,
  ].join(' ');
  if (comment.length > MAX_APPROVAL_COMMENT_LENGTH) {
    throw new Error(
      `Approval of ${stage.displayName}: comment is ${comment.length} characters; CodePipeline accepts at most ${MAX_APPROVAL_COMMENT_LENGTH}.`,
    );
  }
  return new ManualApprovalStep(`ApproveTo${stage.displayName}`, {
    notificationTopic: topic,
    reviewUrl,
    comment,
  });
}

/**
 * The steps of the approval stage of `stage`, in the order they run: the change review of `stage`
 * (when given) and then the approval, which starts only when the review passed and links to its report.
 */
export function approvalStageSteps(
  stage: StageConfig,
  previous: StageConfig | undefined,
  topic: sns.ITopic,
  pipeline: PipelineLocation,
  review?: { readonly step: Step; readonly reportUrl: string },
): Step[] {
  const approval = createApprovalStep(stage, previous, topic, pipeline, review?.reportUrl);
  if (!review) return [approval];
  approval.addStepDependency(review.step);
  return [review.step, approval];
}
