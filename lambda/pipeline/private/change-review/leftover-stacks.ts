import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { isStageStack, type StageStackIdentity } from '../../../../contracts/stage-stacks';
import type { CallOptions } from '../aws-call';
import { callAws, describeError } from '../aws-call';
import { listStackResources, readTemplate } from './deployed-template';
import type { Template } from './diff-stacks';
import { NESTED_STACK_TYPE } from './nested-stacks';
import { retainedBecause } from './retention';

/** A deployed stack of the stage, as DescribeStacks lists it. */
export interface DeployedStageStack {
  readonly stackName: string;
  readonly stackId: string;
  readonly region: string;
  readonly status: string;
  readonly terminationProtection: boolean;
}

/** A resource of a deployed stack that holds data or is retained. */
export interface RetainedResource {
  /** Logical id; for a resource of a nested stack, the nested stacks' logical ids first (`Search/IndexTable`). */
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId?: string;
  /** Why losing it loses data (retention.ts). */
  readonly retainedBecause: string;
}

/** A stack deployed for the stage that the assembly no longer contains, with what it holds. */
export interface LeftoverStack extends DeployedStageStack {
  /** Its resources (nested stacks' included) that hold data or are retained; empty when it holds none. */
  readonly retained: readonly RetainedResource[];
  /** Why what it holds could not be read; `retained` is then unknown, never "none". */
  readonly unreadable?: string;
}

function deployedStageStack(s: Stack, region: string): DeployedStageStack {
  return {
    stackName: s.StackName ?? '(unnamed)',
    stackId: s.StackId ?? s.StackName ?? '(unnamed)',
    region,
    status: s.StackStatus ?? 'UNKNOWN',
    terminationProtection: s.EnableTerminationProtection === true,
  };
}

/**
 * Every top-level stack in `region` whose name starts with the stage's prefix (DescribeStacks, all pages: every
 * stack but those deleted), split into the stage's own ({@link isStageStack}: the prefix and the stage's tags) and
 * those that only share the prefix (another app's, or one deployed before the app tagged its stacks), which are
 * never judged, changed or deleted.
 */
export async function listStageStacks(
  client: CloudFormationClient,
  identity: StageStackIdentity,
  region: string,
  options?: CallOptions,
): Promise<{ readonly stage: DeployedStageStack[]; readonly untagged: DeployedStageStack[] }> {
  const stage: DeployedStageStack[] = [];
  const untagged: DeployedStageStack[] = [];
  let token: string | undefined;
  do {
    const page = await callAws(
      `DescribeStacks in ${region}`,
      (abortSignal) => client.send(new DescribeStacksCommand({ NextToken: token }), { abortSignal }),
      options,
    );
    for (const s of page.Stacks ?? []) {
      if (s.ParentId || !s.StackName?.startsWith(identity.namePrefix)) continue;
      (isStageStack(s, identity) ? stage : untagged).push(deployedStageStack(s, region));
    }
    token = page.NextToken;
  } while (token);
  return { stage, untagged };
}

/**
 * The resources of a deployed stack that hold data or are retained (retention.ts), judged on its deployed template,
 * among those CloudFormation holds now (ListStackResources); nested stacks are read through their physical ids.
 * @param label how the stack is named in the result and in a failure.
 */
export async function retainedResourcesOf(
  client: CloudFormationClient,
  stackId: string,
  label: string,
  options?: CallOptions,
  nestedPath: readonly string[] = [],
): Promise<RetainedResource[]> {
  const template: Template = await readTemplate(client, stackId, options, label);
  const declared = (template.Resources ?? {}) as Record<string, Record<string, unknown>>;
  const out: RetainedResource[] = [];
  for (const r of await listStackResources(client, stackId, options, label)) {
    if (r.type === NESTED_STACK_TYPE && r.physicalId) {
      out.push(
        ...(await retainedResourcesOf(client, r.physicalId, `${label}/${r.logicalId}`, options, [
          ...nestedPath,
          r.logicalId,
        ])),
      );
      continue;
    }
    const because = retainedBecause(declared[r.logicalId] ?? { Type: r.type });
    if (!because) continue;
    out.push({
      logicalId: [...nestedPath, r.logicalId].join('/'),
      type: r.type,
      ...(r.physicalId ? { physicalId: r.physicalId } : {}),
      retainedBecause: because,
    });
  }
  return out;
}

/** Where to search and what the assembly holds. */
export interface LeftoverSearch {
  readonly identity: StageStackIdentity;
  /** The stage's stacks in the assembly: a deployed stack of the same name and region is not left over. */
  readonly assemblyStacks: readonly { readonly stackName: string; readonly region: string }[];
  cloudFormationIn(region: string): CloudFormationClient;
  /** Regions that cannot be read, with the reason (a refused role): reported, never searched. */
  readonly unreadableRegions?: ReadonlyMap<string, string>;
  readonly call?: CallOptions;
}

/** What {@link findLeftoverStacks} found. */
export interface LeftoverSearchResult {
  /** The stage's deployed stacks that the assembly no longer contains, with what each holds. */
  readonly leftovers: readonly LeftoverStack[];
  /** Stacks named with the stage's prefix but without its tags: not the stage's, never touched. */
  readonly untagged: readonly DeployedStageStack[];
  /** What could not be searched or read, one reason each. */
  readonly errors: readonly string[];
}

/**
 * The stacks deployed for the stage, in every region it may use, that the assembly no longer contains: CDK
 * Pipelines deploys the stacks of the assembly and never deletes one it no longer has
 * (https://github.com/aws/aws-cdk/issues/10190, https://github.com/aws/aws-cdk-cli/issues/787), so such a stack
 * stays deployed, unmanaged. A stack of the same name in another region is a leftover too (the stage moved it).
 * Shared by the change review and `npm run cleanup`.
 */
export async function findLeftoverStacks(search: LeftoverSearch): Promise<LeftoverSearchResult> {
  const inAssembly = new Set(search.assemblyStacks.map((s) => `${s.region}/${s.stackName}`));
  const perRegion = await Promise.all(
    search.identity.regions.map(async (region) => {
      const errors: string[] = [];
      const leftovers: LeftoverStack[] = [];
      const refused = search.unreadableRegions?.get(region);
      if (refused) return { leftovers, untagged: [], errors: [refused] };
      const client = search.cloudFormationIn(region);
      let listed;
      try {
        listed = await listStageStacks(client, search.identity, region, search.call);
      } catch (error) {
        errors.push(`could not search ${region} for stacks the stage no longer has: ${describeError(error)}`);
        return { leftovers, untagged: [], errors };
      }
      for (const stack of listed.stage.filter((s) => !inAssembly.has(`${region}/${s.stackName}`))) {
        try {
          leftovers.push({
            ...stack,
            retained: await retainedResourcesOf(client, stack.stackId, stack.stackName, search.call),
          });
        } catch (error) {
          const reason = `could not read what ${stack.stackName} (${region}) holds: ${describeError(error)}`;
          errors.push(reason);
          leftovers.push({ ...stack, retained: [], unreadable: reason });
        }
      }
      const untagged = listed.untagged.filter((s) => !inAssembly.has(`${region}/${s.stackName}`));
      return { leftovers, untagged, errors };
    }),
  );
  return {
    leftovers: perRegion.flatMap((r) => r.leftovers),
    untagged: perRegion.flatMap((r) => r.untagged),
    errors: perRegion.flatMap((r) => r.errors),
  };
}
