import type { AllowedReplacement } from '../../contracts/change-review-policy';
import { parseChangeReviewPolicy } from '../../contracts/change-review-policy';
import type { Parser } from './parsers';
import { INVALID, listItems } from './parsers';

function read(raw: unknown): AllowedReplacement[] {
  const items = listItems(raw);
  if (items === undefined) throw new Error('it is not a list');
  // The review parser names an entry by its path under the policy: `changeReview.allowReplace[0].reason`.
  return [...parseChangeReviewPolicy({ allowReplace: items, failOnDrift: false }, 'changeReview').allowReplace];
}

/** The change review's conscious exceptions: a list of `{ logicalId, reason }` (the review's own parser). */
export const allowedReplacements: Parser<AllowedReplacement[]> = (raw) => {
  try {
    return read(raw);
  } catch {
    return INVALID;
  }
};

/** Why a list of exceptions is refused, in the review parser's words. */
export function allowedReplacementsProblem(raw: unknown): string | undefined {
  try {
    read(raw);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
