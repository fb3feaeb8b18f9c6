import { AllowedReplacement, ChangeReviewPolicy } from '../../../../contracts/change-review-policy';
import { StackChanges } from './diff-stacks';

/** A retained resource that the update would replace or remove. */
export interface DataLossFinding {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly kind: 'replaced' | 'may-replace' | 'removed';
  /** Why the stage retains it. */
  readonly retainedBecause: string;
  /** Properties whose change replaces it (empty for a removal). */
  readonly replacingProperties: readonly string[];
  /** The config exception that lets it through, when one matches. */
  readonly allowedBy?: AllowedReplacement;
}

/** Outcome of {@link findDataLoss}. */
export interface DataLossResult {
  /** Findings no exception covers: each fails the review. */
  readonly blocked: readonly DataLossFinding[];
  /** Findings let through by `changeReview.allowReplace`, shown in the report with their reason. */
  readonly allowed: readonly DataLossFinding[];
  /** Exceptions that matched nothing in this execution (stale entries worth removing). */
  readonly unusedExceptions: readonly AllowedReplacement[];
}

/** One line naming a finding: stack, logical id, type and what happens to it. */
export function describeFinding(f: DataLossFinding): string {
  const what =
    f.kind === 'removed' ? 'would be removed' : f.kind === 'replaced' ? 'would be replaced' : 'may be replaced';
  const by = f.replacingProperties.length ? ` (by a change to ${f.replacingProperties.join(', ')})` : '';
  return `${f.stackName}/${f.logicalId} (${f.type}) ${what}${by}; it is retained (${f.retainedBecause})`;
}

/**
 * Finds every retained resource the update would replace (or may replace) or remove, and splits
 * them into blocked and allowed by the stage's `allowReplace` exceptions.
 */
export function findDataLoss(stacks: readonly StackChanges[], policy: ChangeReviewPolicy): DataLossResult {
  const blocked: DataLossFinding[] = [];
  const allowed: DataLossFinding[] = [];
  const used = new Set<AllowedReplacement>();
  for (const stack of stacks) {
    for (const r of stack.resources) {
      if (!r.retainedBecause) continue;
      if (r.kind !== 'replaced' && r.kind !== 'may-replace' && r.kind !== 'removed') continue;
      const exception = policy.allowReplace.find(
        (e) => e.logicalId === r.logicalId && (e.stack === undefined || e.stack === stack.stackName),
      );
      const finding: DataLossFinding = {
        stackName: stack.stackName,
        logicalId: r.logicalId,
        type: r.type,
        kind: r.kind,
        retainedBecause: r.retainedBecause,
        replacingProperties: r.replacingProperties,
        ...(exception ? { allowedBy: exception } : {}),
      };
      if (exception) {
        used.add(exception);
        allowed.push(finding);
      } else {
        blocked.push(finding);
      }
    }
  }
  return { blocked, allowed, unusedExceptions: policy.allowReplace.filter((e) => !used.has(e)) };
}
