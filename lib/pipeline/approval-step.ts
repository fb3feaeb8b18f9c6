import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Step } from 'aws-cdk-lib/pipelines';
import { ManualApprovalStep } from 'aws-cdk-lib/pipelines';
import type { BreakGlassInUse, StageConfig } from '../config';
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

/** Name of the pipeline stage that holds only the change review of a production stage without an approval (`ReviewProd`). */
export function reviewStageName(stage: StageConfig): string {
  return `Review${stage.displayName}`;
}

/** Name of the manual approval action of `stage` (`ApproveToProd`), in its approval stage. */
export function approvalActionName(stage: StageConfig): string {
  return `ApproveTo${stage.displayName}`;
}

/**
 * URL of the pipeline in the CodePipeline console of the pipeline account. Approvers sign in to that
 * account to approve, so this link works for them; it shows the check actions of the stage before.
 */
export function pipelineConsoleUrl(pipeline: PipelineLocation): string {
  return `https://${pipeline.region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${pipeline.name}/view?region=${pipeline.region}`;
}

/**
 * The approval's comment: what to check before approving `stage`, pointing at the stage before it
 * (`previous`, or the stage itself when it is the first), and the break-glass keys the stage is under.
 * It always fits CodePipeline's limit: the first of these that fits is taken, from the most detailed: every
 * resource named; shorter wording; the break-glass guards counted instead of named (the change review's
 * summary, published just before the request, names each with its reason); cut to the limit.
 */
export function approvalComment(
  stage: StageConfig,
  previous: StageConfig | undefined,
  breakGlass: readonly BreakGlassInUse[] = [],
): string {
  const review = previous ?? stage;
  const names = resourceNames(review.name);
  const [s, r] = [stage.displayName, review.displayName];
  const guards = breakGlass.map((b) => b.guard).join(', ');
  const named = breakGlass.length ? `BREAK-GLASS in use: ${guards} (reasons in the change review report).` : '';
  const counted = breakGlass.length
    ? `BREAK-GLASS in use for ${breakGlass.length} guard${breakGlass.length === 1 ? '' : 's'} (named in the change review report).`
    : '';
  const detailed = [
    `Check: (1) the change review report (link) shows what ${s} will change;`,
    `(2) the ${r} check actions of this execution passed;`,
    `(3) in the ${r} account, dashboard ${names.dashboard} shows no alarm and ${names.stageUnhealthyAlarm} is OK;`,
    `(4) ${OUTPUTS.healthUrl} of the ${r} Service stack answers 200; (5) the commit is what you expect.`,
  ].join(' ');
  const short =
    `Check: (1) the change review report (link); (2) the ${r} checks of this execution passed; ` +
    `(3) ${names.stageUnhealthyAlarm} is OK; (4) ${r} ${OUTPUTS.healthUrl} answers 200; (5) the commit is expected.`;
  const expires = `Expires after ${APPROVAL_TIMEOUT_DAYS} days.`;
  const candidates = [
    [
      `Approve to deploy this commit to ${s} (inside its deployment window, if any).`,
      named,
      detailed,
      `Reject with a reason otherwise. ${expires}`,
    ],
    [`Approve to deploy this commit to ${s} (in its window, if any).`, named, short, `Reject otherwise. ${expires}`],
    [`Approve to deploy this commit to ${s} (in its window, if any).`, counted, short, `Reject otherwise. ${expires}`],
  ].map((parts) => parts.filter((part) => part !== '').join(' '));
  const fitting = candidates.find((c) => c.length <= MAX_APPROVAL_COMMENT_LENGTH);
  if (fitting !== undefined) return fitting;
  const last = candidates[candidates.length - 1];
  const cut = MAX_APPROVAL_COMMENT_LENGTH - expires.length - 2;
  return `${last.slice(0, cut)}… ${expires}`;
}

/**
 * The manual approval that gates `stage`, with {@link approvalComment}. The approval request is published
 * to `topic`, once: the execution notifier hears whole executions only, never "manual approval needed".
 *
 * The review link (by default the pipeline's console page) opens in the pipeline account, where the approver
 * is signed in; PipelineStack points it at the change review report, kept in that account. The previous
 * stage's dashboard and health URL live in its own account, so the comment names them.
 */
export function createApprovalStep(
  stage: StageConfig,
  previous: StageConfig | undefined,
  topic: sns.ITopic,
  pipeline: PipelineLocation,
  reviewUrl = pipelineConsoleUrl(pipeline),
  breakGlass: readonly BreakGlassInUse[] = [],
): ManualApprovalStep {
  return new ManualApprovalStep(approvalActionName(stage), {
    notificationTopic: topic,
    reviewUrl,
    comment: approvalComment(stage, previous, breakGlass),
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
  breakGlass: readonly BreakGlassInUse[] = [],
): Step[] {
  const approval = createApprovalStep(stage, previous, topic, pipeline, review?.reportUrl, breakGlass);
  if (!review) return [approval];
  approval.addStepDependency(review.step);
  return [review.step, approval];
}
