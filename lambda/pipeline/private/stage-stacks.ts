import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CheckFailure } from './aws-call';
import type { CheckContext } from './check-context';
import { call } from './check-context';

/** One stack of the stage, as CloudFormation describes it. */
export interface StageStack {
  readonly name: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly createdAt?: Date;
  /** Whether CloudFormation termination protection is on. */
  readonly terminationProtection?: boolean;
  readonly outputs: Readonly<Record<string, string>>;
}

/** Stack statuses that mean the last operation finished as intended. */
export const HEALTHY_STACK_STATUSES: ReadonlySet<string> = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'IMPORT_COMPLETE',
]);

/** Describes every stack named in the user parameters; a missing stack is a failure. */
export async function describeStageStacks(ctx: CheckContext): Promise<StageStack[]> {
  return Promise.all(
    ctx.params.stackNames.map(async (name) => {
      const region = ctx.params.stackRegions?.[name] ?? ctx.params.region;
      const client = region === ctx.params.region ? ctx.clients.cloudFormation : ctx.clients.cloudFormationIn(region);
      let out;
      try {
        out = await call(ctx, `DescribeStacks ${name}`, (abortSignal) =>
          client.send(new DescribeStacksCommand({ StackName: name }), { abortSignal }),
        );
      } catch (error) {
        if (error instanceof CheckFailure && /does not exist/.test(error.message))
          throw new CheckFailure(`stack ${name} does not exist in ${region}`);
        throw error;
      }
      const stack = out.Stacks?.[0];
      if (!stack || typeof stack.StackStatus !== 'string')
        throw new CheckFailure(`DescribeStacks ${name} returned no stack status`);
      const outputs: Record<string, string> = {};
      for (const o of stack.Outputs ?? [])
        if (o.OutputKey && o.OutputValue !== undefined) outputs[o.OutputKey] = o.OutputValue;
      return {
        name,
        status: stack.StackStatus,
        statusReason: stack.StackStatusReason,
        createdAt: stack.CreationTime,
        terminationProtection: stack.EnableTerminationProtection,
        outputs,
      };
    }),
  );
}

/** The outputs of all of a stage's stacks, looked up by the keys of `OUTPUTS`. */
export class StageOutputs {
  constructor(private readonly stacks: readonly StageStack[]) {}

  /** The output `key` of whichever stack publishes it, or undefined. */
  find(key: string): string | undefined {
    return this.stacks.find((s) => s.outputs[key] !== undefined)?.outputs[key];
  }

  /** The output `key`; @throws CheckFailure naming the key and the stacks searched. */
  require(key: string): string {
    const value = this.find(key);
    if (value === undefined || value === '') {
      throw new CheckFailure(`output ${key} not found in stacks ${this.stacks.map((s) => s.name).join(', ')}`);
    }
    return value;
  }

  /** Earliest creation time of the stage's stacks: when the stage was first deployed. */
  firstDeployedAt(): Date | undefined {
    const times = this.stacks.map((s) => s.createdAt?.getTime()).filter((t): t is number => t !== undefined);
    return times.length ? new Date(Math.min(...times)) : undefined;
  }
}
