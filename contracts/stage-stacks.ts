/**
 * How a stage's CloudFormation stacks are recognised in its account: set on every stack by the stage (stages/),
 * read by the change review (lambda/pipeline) and `npm run cleanup` (scripts) to find the stacks a stage still
 * has deployed but no longer contains.
 *
 * @packageDocumentation
 */
import { PLATFORM_PREFIX } from './resource-names';

/**
 * Key of the stack tag the app sets on every stack of a stage; its value is the stage's name (`prod`). The key's
 * prefix names this app, so a stack of another app never carries it. CloudFormation copies stack tags to the
 * stack's resources (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-resource-tags.html).
 */
export const STAGE_TAG_KEY = `${PLATFORM_PREFIX}:stage`;

/** The stack tags of every stack of `stage`. */
export function stageStackTags(stage: string): Record<string, string> {
  return { [STAGE_TAG_KEY]: stage };
}

/** What identifies the stacks of one stage, and where they can be. */
export interface StageStackIdentity {
  /** Every stack name of the stage starts with it (`Prod-`): CDK names a stage's stacks `<stage id>-<stack id>`. */
  readonly namePrefix: string;
  /** Stack tags every stack of the stage carries ({@link stageStackTags}). */
  readonly tags: Readonly<Record<string, string>>;
  /** Every region a stack of the stage can live in, whatever its features today (primary, DR, us-east-1). */
  readonly regions: readonly string[];
}

/** A deployed stack as DescribeStacks lists it: the fields that decide whether it is the stage's. */
export interface ListedStack {
  readonly StackName?: string;
  readonly Tags?: readonly { readonly Key?: string; readonly Value?: string }[];
  /** Set for a nested stack: its parent manages it. */
  readonly ParentId?: string;
}

/**
 * Whether `stack` is a top-level stack of the stage: named with the stage's prefix AND carrying every one of its
 * tags. A stack with the prefix but not the tags (another app, or one deployed before the app tagged its stacks)
 * is not, nor is a nested stack (its parent stack owns it).
 */
export function isStageStack(stack: ListedStack, identity: Pick<StageStackIdentity, 'namePrefix' | 'tags'>): boolean {
  if (stack.ParentId || !stack.StackName?.startsWith(identity.namePrefix)) return false;
  const tags = new Map((stack.Tags ?? []).map((t) => [t.Key, t.Value]));
  return Object.entries(identity.tags).every(([k, v]) => tags.get(k) === v);
}
