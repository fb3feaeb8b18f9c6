/**
 * The public surface of the change review, for code that runs it outside the pipeline's CodeBuild step:
 * the operator CLIs (`npm run review`, and `npm run cleanup`, which shares its search for the stacks a stage no
 * longer contains). Everything else under lambda/pipeline/private/ is the step's own.
 *
 * @packageDocumentation
 */
export { callAws, CheckFailure, describeError, isAccessDenied } from './private/aws-call';
export type { CallOptions } from './private/aws-call';
export { readAssemblyStacks } from './private/change-review/cloud-assembly';
export type { AssemblyStack } from './private/change-review/cloud-assembly';
export { findLeftoverStacks } from './private/change-review/leftover-stacks';
export type {
  DeployedStageStack,
  LeftoverSearchResult,
  LeftoverStack,
  RetainedResource,
} from './private/change-review/leftover-stacks';
export { assumeReviewRoles } from './private/change-review/assume-review-roles';
export { renderReport } from './private/change-review/render-report';
export { runChangeReview } from './private/change-review/run-change-review';
