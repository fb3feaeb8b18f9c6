import { DescribeStacksCommand, UpdateTerminationProtectionCommand } from '@aws-sdk/client-cloudformation';
import { CheckFailure } from './aws-call';
import type { CheckOutcome, CheckReport } from './check-result';
import type { CheckContext, CheckItem } from './check-context';
import { call, pass } from './check-context';
import { runCheck } from './run-check';

async function protect(ctx: CheckContext, name: string): Promise<CheckOutcome> {
  const region = ctx.params.stackRegions?.[name] ?? ctx.params.region;
  const client = region === ctx.params.region ? ctx.clients.cloudFormation : ctx.clients.cloudFormationIn(region);
  const describe = async () => {
    const out = await call(ctx, `DescribeStacks ${name}`, (abortSignal) =>
      client.send(new DescribeStacksCommand({ StackName: name }), { abortSignal }),
    );
    const stack = out.Stacks?.[0];
    if (!stack) throw new CheckFailure(`DescribeStacks ${name} returned no stack`);
    return stack.EnableTerminationProtection === true;
  };
  if (await describe()) return pass(`stack ${name}`, 'termination protection already on');
  await call(ctx, `UpdateTerminationProtection ${name}`, (abortSignal) =>
    client.send(new UpdateTerminationProtectionCommand({ StackName: name, EnableTerminationProtection: true }), {
      abortSignal,
    }),
  );
  if (!(await describe()))
    throw new CheckFailure(`termination protection of ${name} is still off after UpdateTerminationProtection`);
  return pass(`stack ${name}`, 'termination protection turned on');
}

/**
 * Turns termination protection on for every stack of the stage and confirms it. CDK Pipelines'
 * CloudFormation deploy actions do not apply a stack's terminationProtection (aws/aws-cdk#17871).
 * A stack that cannot be protected is a failed outcome with the reason.
 */
export async function runTerminationProtection(ctx: CheckContext): Promise<CheckReport> {
  const items: Record<string, CheckItem> = {};
  for (const name of ctx.params.stackNames) items[`stack ${name}`] = () => protect(ctx, name);
  return runCheck('termination-protection', ctx, items);
}
