import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import { DeleteStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { isStageStack, type StageStackIdentity } from '../contracts/stage-stacks';
import { callAws, describeError } from '../lambda/pipeline/review-runner';
import type { LeftoverStack, CallOptions } from '../lambda/pipeline/review-runner';

/** Why `npm run cleanup` keeps a stack the stage no longer contains, or undefined when it may delete it. */
export function keptBecause(stack: LeftoverStack): string | undefined {
  if (stack.unreadable) return `what it holds could not be read (${stack.unreadable})`;
  if (stack.retained.length)
    return `it holds retained data: ${stack.retained.map((r) => `${r.logicalId} (${r.type}${r.physicalId ? ` ${r.physicalId}` : ''})`).join(', ')}; move or delete that data first, then delete the stack by hand`;
  if (stack.terminationProtection)
    return `termination protection is on; if you mean to delete it, turn it off yourself (aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name ${stack.stackName} --region ${stack.region}) and run cleanup again`;
  if (stack.status.endsWith('_IN_PROGRESS'))
    return `it is ${stack.status}; run cleanup again when that operation has finished`;
  return undefined;
}

/** What happened to one stack cleanup tried to delete. */
export interface DeletionOutcome {
  readonly stack: LeftoverStack;
  readonly deleted: boolean;
  /** Why it was not deleted (a changed stack, DeleteStack refused, DELETE_FAILED, a timeout). */
  readonly reason?: string;
}

/** How deletions are awaited. */
export interface DeleteOptions {
  readonly call?: CallOptions;
  /** Delay between status polls. @default 10000 ms */
  readonly pollIntervalMs?: number;
  /** How long one deletion may take before cleanup stops waiting. @default 1800000 ms (30 minutes) */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isGone(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e?.name === 'ValidationError' && /does not exist/.test(e.message ?? '');
}

/** The stack as CloudFormation describes it now (by stack id), or undefined when it is gone. */
async function describe(client: CloudFormationClient, stack: LeftoverStack, options?: CallOptions) {
  return callAws(
    `DescribeStacks ${stack.stackName}`,
    async (abortSignal): Promise<Stack | undefined> => {
      try {
        const out = await client.send(new DescribeStacksCommand({ StackName: stack.stackId }), { abortSignal });
        return out.Stacks?.[0];
      } catch (error) {
        if (isGone(error)) return undefined;
        throw error;
      }
    },
    options,
  );
}

/**
 * Deletes one stack the stage no longer contains, by its stack id (never a later stack of the same name), after
 * checking again, just before, that it is still the stage's, holds nothing retained (`keptBecause` already said so),
 * has termination protection off and no operation in progress; then waits until CloudFormation has deleted it.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteStack.html
 */
export async function deleteLeftoverStack(
  client: CloudFormationClient,
  stack: LeftoverStack,
  identity: StageStackIdentity,
  options: DeleteOptions = {},
): Promise<DeletionOutcome> {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  try {
    const current = await describe(client, stack, options.call);
    if (!current || current.StackStatus === 'DELETE_COMPLETE') return { stack, deleted: true };
    if (!isStageStack(current, identity))
      return { stack, deleted: false, reason: "it no longer carries the stage's name prefix and tags; left alone" };
    if (current.EnableTerminationProtection)
      return { stack, deleted: false, reason: 'termination protection was turned on since it was listed; left alone' };
    if (current.StackStatus?.endsWith('_IN_PROGRESS'))
      return { stack, deleted: false, reason: `it is ${current.StackStatus}; run cleanup again later` };
    await callAws(
      `DeleteStack ${stack.stackName}`,
      (abortSignal) => client.send(new DeleteStackCommand({ StackName: stack.stackId }), { abortSignal }),
      options.call,
    );
    const deadline = now() + (options.timeoutMs ?? 1_800_000);
    for (;;) {
      const status = (await describe(client, stack, options.call))?.StackStatus ?? 'DELETE_COMPLETE';
      if (status === 'DELETE_COMPLETE') return { stack, deleted: true };
      if (status === 'DELETE_FAILED') {
        const reason = (await describe(client, stack, options.call))?.StackStatusReason ?? 'no reason given';
        return { stack, deleted: false, reason: `DELETE_FAILED: ${reason}` };
      }
      if (now() >= deadline)
        return {
          stack,
          deleted: false,
          reason: `still ${status} after ${Math.round((options.timeoutMs ?? 1_800_000) / 60_000)} min; check it in the CloudFormation console`,
        };
      await sleep(options.pollIntervalMs ?? 10_000);
    }
  } catch (error) {
    return { stack, deleted: false, reason: describeError(error) };
  }
}
