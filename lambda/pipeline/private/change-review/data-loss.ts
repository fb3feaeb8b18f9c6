import type { AllowedReplacement, ChangeReviewPolicy } from '../../../../contracts/change-review-policy';
import type { StackChanges } from './diff-stacks';
import type { LeftoverStack } from './leftover-stacks';

/**
 * How a resource that holds data or is retained would be lost:
 * - `replaced`, `may-replace`: CloudFormation replaces it (or may): a new, empty one takes its place;
 * - `removed`: it leaves the template: CloudFormation deletes it, or orphans it when its DeletionPolicy keeps it;
 * - `weakened`: it stays, but a retention policy that kept it moves to one that keeps less, so the next removal or
 *   replacement deletes it;
 * - `left-deployed`: its stack is no longer in the assembly; CDK Pipelines never deletes such a stack, so it stays
 *   deployed with nothing managing it (orphaned), until someone deletes it and what it holds.
 */
export type DataLossKind = 'replaced' | 'may-replace' | 'removed' | 'weakened' | 'left-deployed';

/** A resource that holds data or is retained, and how the update would lose it. */
export interface DataLossFinding {
  readonly stackName: string;
  /** Logical id; for a resource of a nested stack, the nested stacks' logical ids first (`Search/IndexTable`). */
  readonly logicalId: string;
  readonly type: string;
  readonly kind: DataLossKind;
  /** Why losing it loses data (`DeletionPolicy Retain`, `AWS::DynamoDB::Table holds its items`). */
  readonly retainedBecause: string;
  /** Why it is replaced (empty for other kinds). */
  readonly replacingProperties: readonly string[];
  /** The weakened policies, for `weakened` (`DeletionPolicy Retain -> Delete`). */
  readonly weakenedRetention?: readonly string[];
  /** For `left-deployed`: the stack's region, and the resource's physical id. */
  readonly region?: string;
  readonly physicalId?: string;
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

/** `<stack>/<logical id>` of a finding, as `changeReview.allowReplace` names it. */
export function findingPath(f: Pick<DataLossFinding, 'stackName' | 'logicalId'>): string {
  return `${f.stackName}/${f.logicalId}`;
}

/** One line naming a finding: stack, logical id, type and what happens to it. */
export function describeFinding(f: DataLossFinding): string {
  const retained = `it is retained (${f.retainedBecause})`;
  const name = `${findingPath(f)} (${f.type})`;
  switch (f.kind) {
    case 'weakened':
      return `${name} would keep less when deleted or replaced (${(f.weakenedRetention ?? []).join(', ')}): its next removal or replacement deletes it; ${retained}`;
    case 'left-deployed':
      return `${name}${f.physicalId ? ` ${f.physicalId}` : ''} stays deployed in ${f.region ?? 'its region'}, unmanaged: ${f.stackName} is no longer in the assembly and CDK Pipelines never deletes it; ${retained}`;
    default: {
      const what =
        f.kind === 'removed' ? 'would be removed' : f.kind === 'replaced' ? 'would be replaced' : 'may be replaced';
      const by = f.replacingProperties.length ? ` (by a change to ${f.replacingProperties.join(', ')})` : '';
      return `${name} ${what}${by}; ${retained}`;
    }
  }
}

/** The findings of one stack's changes (nested stacks' resources are named by their path). */
function changeFindings(stack: StackChanges): DataLossFinding[] {
  const prefix = stack.nestedPath?.length ? `${stack.nestedPath.join('/')}/` : '';
  const out: DataLossFinding[] = [];
  for (const r of stack.resources) {
    if (!r.retainedBecause) continue;
    const base = {
      stackName: stack.stackName,
      logicalId: `${prefix}${r.logicalId}`,
      type: r.type,
      retainedBecause: r.retainedBecause,
    };
    if (r.kind === 'replaced' || r.kind === 'may-replace' || r.kind === 'removed')
      out.push({ ...base, kind: r.kind, replacingProperties: r.replacingProperties });
    else if (r.weakenedRetention?.length)
      out.push({ ...base, kind: 'weakened', replacingProperties: [], weakenedRetention: r.weakenedRetention });
  }
  return out;
}

/** The findings of a stack no longer in the assembly: every resource it holds that holds data or is retained. */
function leftoverFindings(stack: LeftoverStack): DataLossFinding[] {
  return stack.retained.map((r) => ({
    stackName: stack.stackName,
    logicalId: r.logicalId,
    type: r.type,
    kind: 'left-deployed' as const,
    retainedBecause: r.retainedBecause,
    replacingProperties: [],
    region: stack.region,
    ...(r.physicalId ? { physicalId: r.physicalId } : {}),
  }));
}

/**
 * Finds every resource that holds data or is retained that the update would replace (or may replace), remove or
 * leave less protected, and every one that a stack no longer in the assembly keeps deployed; then splits them into
 * blocked and allowed by the stage's `allowReplace` exceptions. An exception covers exactly the resource it names
 * (its logical id, and its stack when it names one), never another resource of the same stack.
 */
export function findDataLoss(
  stacks: readonly StackChanges[],
  leftovers: readonly LeftoverStack[],
  policy: ChangeReviewPolicy,
): DataLossResult {
  const blocked: DataLossFinding[] = [];
  const allowed: DataLossFinding[] = [];
  const used = new Set<AllowedReplacement>();
  for (const finding of [...stacks.flatMap(changeFindings), ...leftovers.flatMap(leftoverFindings)]) {
    const exception = policy.allowReplace.find(
      (e) => e.logicalId === finding.logicalId && (e.stack === undefined || e.stack === finding.stackName),
    );
    if (exception) {
      used.add(exception);
      allowed.push({ ...finding, allowedBy: exception });
    } else {
      blocked.push(finding);
    }
  }
  return { blocked, allowed, unusedExceptions: policy.allowReplace.filter((e) => !used.has(e)) };
}
