import { PLATFORM_PREFIX } from '../../config';

// LEAD: fold these into lib/config/resource-names.ts (resourceNames(stage).changeReviewRole and CHECK_ROLE_NAMES.changeReview).

/** Physical name of the change review step's role in the pipeline account; each stage's change review role trusts it by name. */
export const CHANGE_REVIEW_PRINCIPAL_ROLE_NAME = `${PLATFORM_PREFIX}-pipeline-change-review`;

/** Physical name of the read-only CloudFormation role the change review assumes in a stage account. */
export function changeReviewRoleName(stage: string): string {
  return `${PLATFORM_PREFIX}-${stage}-pipeline-change-review`;
}

/** ARN of a stage's change review role. */
export function changeReviewRoleArn(stage: string, account: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:role/${changeReviewRoleName(stage)}`;
}
