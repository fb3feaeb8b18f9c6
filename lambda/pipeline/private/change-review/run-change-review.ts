import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CallOptions } from '../aws-call';
import { CheckFailure, describeError } from '../aws-call';
import type { Logger } from '../../../shared/logger';
import type { BreakGlassEntry, ChangeReviewParameters } from '../../../../contracts/change-review-parameters';
import type { AssemblyStack } from './cloud-assembly';
import { stageStacks } from './cloud-assembly';
import type { DataLossResult } from './data-loss';
import { describeFinding, findDataLoss } from './data-loss';
import { readDeployedStack } from './deployed-template';
import type { StackChanges, Template } from './diff-stacks';
import { diffStack } from './diff-stacks';
import type { DriftOptions, StackDrift } from './drift';
import { detectStackDrift } from './drift';
import type { DeployedStageStack, LeftoverStack } from './leftover-stacks';
import { findLeftoverStacks } from './leftover-stacks';
import { deployedNestedTemplates, synthesizedNestedTemplates } from './nested-stacks';
import * as path from 'path';

/** What the review runs against and how it calls AWS. */
export interface ChangeReviewContext {
  readonly params: ChangeReviewParameters;
  /** Directory of this execution's cloud assembly (`cdk.out`). */
  readonly assemblyDir: string;
  /** CloudFormation of the stage account in `region` (through the change review role, or the operator's credentials). */
  cloudFormationIn(region: string): CloudFormationClient;
  /** Regions the review cannot read (their role was refused), with the reason: reported as not checked. */
  readonly unreadableRegions?: ReadonlyMap<string, string>;
  readonly log: Logger;
  readonly now: () => Date;
  readonly call?: CallOptions;
  readonly drift?: DriftOptions;
}

/** Where the review ran, for the report's header. */
export interface ReviewOrigin {
  readonly commit?: string;
  readonly executionId?: string;
  /** `pipeline` or `cli`. */
  readonly source: string;
}

/** The review's full result: what the report renders and the step decides on. */
export interface ChangeReviewReport {
  readonly stage: string;
  readonly generatedAt: string;
  readonly origin: ReviewOrigin;
  /** Changes of every stack of the stage that could be read, each followed by its nested stacks'. */
  readonly stacks: readonly StackChanges[];
  readonly dataLoss: DataLossResult;
  readonly drift: readonly StackDrift[];
  readonly failOnDrift: boolean;
  /** Production guards the stage goes without under a break-glass key (empty: none). */
  readonly breakGlass: readonly BreakGlassEntry[];
  /** The stage's deployed stacks that the assembly no longer contains, with what each holds. */
  readonly leftovers: readonly LeftoverStack[];
  /** Stacks named like the stage's but without its tags: not judged. */
  readonly untagged: readonly DeployedStageStack[];
  /** What the review could not check (a refused role, a read or drift detection that failed), one reason each. */
  readonly unchecked: readonly string[];
  /** One line per reason the review fails; empty when it passes. */
  readonly failures: readonly string[];
  readonly passed: boolean;
}

/** One stack's review: its changes (and its nested stacks'), its drift, and what could not be checked. */
interface StackReview {
  readonly changes: StackChanges[];
  readonly drift?: StackDrift;
  readonly errors: string[];
}

/**
 * The changes of the nested stacks of one (possibly nested) stack, depth first: each nested stack's deployed
 * template (through its physical id) against its template in the assembly.
 */
async function nestedChanges(
  ctx: ChangeReviewContext,
  client: CloudFormationClient,
  stack: { stackName: string; region: string; dir: string },
  nestedPath: readonly string[],
  deployed: { stackId: string; template: Template } | undefined,
  synthesized: Template,
): Promise<StackChanges[]> {
  const label = [stack.stackName, ...nestedPath].join('/');
  const newNested = synthesizedNestedTemplates(synthesized, stack.dir, label);
  const oldNested = deployed
    ? await deployedNestedTemplates(client, deployed.stackId, deployed.template, label, ctx.call)
    : new Map();
  const out: StackChanges[] = [];
  for (const id of [...new Set([...oldNested.keys(), ...newNested.keys()])].sort()) {
    const was = oldNested.get(id);
    const now = newNested.get(id) ?? { Resources: {} };
    const here = [...nestedPath, id];
    out.push(
      diffStack({
        stackName: stack.stackName,
        nestedPath: here,
        region: stack.region,
        deployed: was?.template,
        synthesized: now,
      }),
      ...(await nestedChanges(ctx, client, stack, here, was, now)),
    );
  }
  return out;
}

/** Reviews one stack: its deployed template, the diff (nested stacks included), and drift when it is deployed. */
async function reviewStack(ctx: ChangeReviewContext, stack: AssemblyStack): Promise<StackReview> {
  const { stackName } = stack;
  const region = ctx.params.stackRegions?.[stackName] ?? ctx.params.region;
  const refused = ctx.unreadableRegions?.get(region);
  if (refused) return { changes: [], errors: [refused] };
  const client = ctx.cloudFormationIn(region);
  let deployed;
  try {
    deployed = await readDeployedStack(client, stackName, ctx.call);
  } catch (error) {
    return { changes: [], errors: [describeError(error)] };
  }
  const errors: string[] = [];
  const synthesized = stack.template();
  const old = deployed.deployed ? { stackId: deployed.stackId, template: deployed.template } : undefined;
  const changes = [diffStack({ stackName, region, deployed: old?.template, synthesized })];
  try {
    changes.push(
      ...(await nestedChanges(
        ctx,
        client,
        { stackName, region, dir: path.dirname(stack.templateFile) },
        [],
        old,
        synthesized,
      )),
    );
  } catch (error) {
    errors.push(describeError(error));
  }
  let drift: StackDrift | undefined = { stackName, status: 'NOT_DEPLOYED', drifted: [] };
  if (deployed.deployed) {
    try {
      drift = await detectStackDrift(client, stackName, { call: ctx.call, ...ctx.drift });
    } catch (error) {
      drift = undefined;
      errors.push(describeError(error));
    }
  }
  ctx.log.info('stack reviewed', {
    stackName,
    deployed: deployed.deployed,
    changes: changes.reduce((n, c) => n + c.resources.length, 0),
    drift: drift?.status ?? 'NOT_CHECKED',
    errors: errors.length,
  });
  return { changes, drift, errors };
}

/**
 * Compares every stack of the stage in the cloud assembly (and their nested stacks) with what is deployed, finds
 * the stage's deployed stacks the assembly no longer contains, finds data loss and drift, and decides. What it
 * cannot check (a region whose role is refused, a stack or template it cannot read, drift detection that fails) is
 * reported beside every data-loss finding it could make, and fails the review: it never passes what it could not
 * check, and one failed read never hides the rest.
 *
 * @throws CheckFailure only when the assembly itself lacks a stack of the stage (it is not this execution's).
 */
export async function runChangeReview(ctx: ChangeReviewContext, origin: ReviewOrigin): Promise<ChangeReviewReport> {
  const { params } = ctx;
  let stacks;
  try {
    stacks = stageStacks(ctx.assemblyDir, params.stackNames, params.account);
  } catch (error) {
    throw new CheckFailure((error as Error).message);
  }
  const regionOf = (stackName: string) => params.stackRegions?.[stackName] ?? params.region;
  const [reviews, search] = await Promise.all([
    Promise.all(stacks.map((s) => reviewStack(ctx, s))),
    findLeftoverStacks({
      identity: params.stageStacks,
      assemblyStacks: stacks.map((s) => ({ stackName: s.stackName, region: regionOf(s.stackName) })),
      cloudFormationIn: (region) => ctx.cloudFormationIn(region),
      unreadableRegions: ctx.unreadableRegions,
      call: ctx.call,
    }),
  ]);
  const changes = reviews.flatMap((r) => r.changes);
  const drift = reviews.flatMap((r) => (r.drift ? [r.drift] : []));
  // A refused region is named once, however many stacks live in it.
  const unchecked = [...new Set([...reviews.flatMap((r) => r.errors), ...search.errors])];
  const dataLoss = findDataLoss(changes, search.leftovers, params.policy);
  const failures = [
    ...dataLoss.blocked.map((f) => `data loss: ${describeFinding(f)}`),
    ...unchecked.map((reason) => `could not check: ${reason}`),
    ...(params.policy.failOnDrift
      ? drift.flatMap((d) =>
          d.drifted.map(
            (r) => `drift: ${r.stackName}/${r.logicalId} (${r.type}) is ${r.status} outside CloudFormation`,
          ),
        )
      : []),
  ];
  return {
    stage: params.stage,
    generatedAt: ctx.now().toISOString(),
    origin,
    stacks: changes,
    dataLoss,
    drift,
    failOnDrift: params.policy.failOnDrift,
    breakGlass: params.breakGlass ?? [],
    leftovers: search.leftovers,
    untagged: search.untagged,
    unchecked,
    failures,
    passed: failures.length === 0,
  };
}
