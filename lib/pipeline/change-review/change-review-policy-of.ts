import type { ChangeReviewPolicy } from '../../../lambda/pipeline/private/change-review/change-review-policy';
import type { StageConfig } from '../../config';

/**
 * The change review policy of a stage, for the pipeline step and the operator CLI alike.
 *
 * LEAD: once lib/config declares `<stage>.changeReview.allowReplace` and `<stage>.changeReview.failOnDrift`,
 * return `stage.changeReview` and delete the fallback below (the declared defaults replace it).
 */
export function changeReviewPolicyOf(stage: StageConfig): ChangeReviewPolicy {
  const declared = (stage as StageConfig & { readonly changeReview?: ChangeReviewPolicy }).changeReview;
  return declared ?? { allowReplace: [], failOnDrift: stage.manualApproval };
}
