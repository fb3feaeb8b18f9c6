import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeStacksCommand, GetTemplateCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import type { CallOptions } from '../aws-call';
import { callAws, CheckFailure } from '../aws-call';
import type { Template } from './diff-stacks';

/** A stack as CloudFormation holds it: absent (never deployed) or its template and status. */
export type DeployedStack =
  | { readonly deployed: false; readonly status?: string }
  | { readonly deployed: true; readonly status: string; readonly template: Template; readonly stackId: string };

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
  const template = await readTemplate(client, stackName, options);
  return { deployed: true, status, template, stackId: stack.StackId ?? stackName };
}

/**
 * The template CloudFormation holds for a stack (GetTemplate, stage Original: what was submitted, as `cdk diff`
 * compares), by name or stack id.
 * @param label how the stack is named in a failure (`Prod-Service`, `Prod-Service/Search`).
 */
export async function readTemplate(
  client: CloudFormationClient,
  stack: string,
  options?: CallOptions,
  label = stack,
): Promise<Template> {
  const out = await callAws(
    `GetTemplate ${label}`,
    (abortSignal) =>
      client.send(new GetTemplateCommand({ StackName: stack, TemplateStage: 'Original' }), { abortSignal }),
    options,
  );
  if (!out.TemplateBody) throw new CheckFailure(`GetTemplate ${label} returned no template body`);
  let template: unknown;
  try {
    template = JSON.parse(out.TemplateBody);
  } catch {
    throw new CheckFailure(`the deployed template of ${label} is not JSON (the CDK deploys JSON); review it by hand`);
  }
  if (typeof template !== 'object' || template === null)
    throw new CheckFailure(`the deployed template of ${label} is not a JSON object`);
  return template as Template;
}

/** One resource of a deployed stack, as ListStackResources lists it. */
export interface DeployedResource {
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly type: string;
  readonly status: string;
}

/**
 * Every resource a deployed stack holds now (ListStackResources, all pages), without those already deleted.
 * @param label how the stack is named in a failure.
 */
export async function listStackResources(
  client: CloudFormationClient,
  stack: string,
  options?: CallOptions,
  label = stack,
): Promise<DeployedResource[]> {
  const out: DeployedResource[] = [];
  let token: string | undefined;
  do {
    const page = await callAws(
      `ListStackResources ${label}`,
      (abortSignal) =>
        client.send(new ListStackResourcesCommand({ StackName: stack, NextToken: token }), { abortSignal }),
      options,
    );
    for (const r of page.StackResourceSummaries ?? []) {
      if (!r.LogicalResourceId || r.ResourceStatus === 'DELETE_COMPLETE') continue;
      out.push({
        logicalId: r.LogicalResourceId,
        ...(r.PhysicalResourceId ? { physicalId: r.PhysicalResourceId } : {}),
        type: r.ResourceType ?? 'unknown',
        status: r.ResourceStatus ?? 'UNKNOWN',
      });
    }
    token = page.NextToken;
  } while (token);
  return out;
}
