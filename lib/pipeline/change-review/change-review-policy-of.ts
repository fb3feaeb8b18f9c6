import type { ChangeReviewPolicy } from '../../../contracts/change-review-policy';
import type { StageConfig } from '../../config';

/** The change review policy of a stage (`<stage>.changeReview.*`), for the pipeline step and the operator CLI alike. */
export function changeReviewPolicyOf(stage: StageConfig): ChangeReviewPolicy {
  return stage.changeReview;
}
