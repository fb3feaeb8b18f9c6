/**
 * The public surface of the change review, for code that runs it outside the pipeline's CodeBuild step:
 * the operator CLI (`npm run review`). Everything else under lambda/pipeline/private/ is the step's own.
 *
 * @packageDocumentation
 */
export { describeError } from './private/aws-call';
export { assumeReviewRoles } from './private/change-review/assume-review-roles';
export { renderReport } from './private/change-review/render-report';
export { runChangeReview } from './private/change-review/run-change-review';
