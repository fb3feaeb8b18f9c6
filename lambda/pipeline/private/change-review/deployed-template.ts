import { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { callAws, CallOptions, CheckFailure } from '../aws-call';
import { Template } from './diff-stacks';

/** A stack as CloudFormation holds it: absent (never deployed) or its template and status. */
export type DeployedStack =
  | { readonly deployed: false; readonly status?: string }
  | { readonly deployed: true; readonly status: string; readonly template: Template };

/** Statuses in which nothing of the stack exists: the review treats it as never deployed. */
export const NOT_DEPLOYED_STATUSES: ReadonlySet<string> = new Set([
  'REVIEW_IN_PROGRESS',
  'ROLLBACK_COMPLETE',
  'DELETE_COMPLETE',
]);

function isMissingStack(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e?.name === 'ValidationError' && /does not exist/.test(e.message ?? '');
}

/**
 * Reads the template CloudFormation holds for `stackName` (GetTemplate, stage Original: what was
 * submitted, as `cdk diff` compares). A stack that does not exist is "not deployed"; a stack in
 * the middle of an operation fails the review, because its template is about to change.
 */
export async function readDeployedStack(
  client: CloudFormationClient,
  stackName: string,
  options?: CallOptions,
): Promise<DeployedStack> {
  const described = await callAws(
    `DescribeStacks ${stackName}`,
    async (abortSignal) => {
      try {
        return await client.send(new DescribeStacksCommand({ StackName: stackName }), { abortSignal });
      } catch (error) {
        if (isMissingStack(error)) return undefined;
        throw error;
      }
    },
    options,
  );
  const stack = described?.Stacks?.[0];
  if (!stack) return { deployed: false };
  const status = stack.StackStatus ?? 'UNKNOWN';
  if (NOT_DEPLOYED_STATUSES.has(status)) return { deployed: false, status };
  if (status.endsWith('_IN_PROGRESS'))
    throw new CheckFailure(`stack ${stackName} is ${status}; review again when the operation has finished`);
  const out = await callAws(
    `GetTemplate ${stackName}`,
    (abortSignal) =>
      client.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }), { abortSignal }),
    options,
  );
  if (!out.TemplateBody) throw new CheckFailure(`GetTemplate ${stackName} returned no template body`);
  let template: unknown;
  try {
    template = JSON.parse(out.TemplateBody);
  } catch {
    throw new CheckFailure(
      `the deployed template of ${stackName} is not JSON (the CDK deploys JSON); review it by hand`,
    );
  }
  if (typeof template !== 'object' || template === null)
    throw new CheckFailure(`the deployed template of ${stackName} is not a JSON object`);
  return { deployed: true, status, template: template as Template };
}
