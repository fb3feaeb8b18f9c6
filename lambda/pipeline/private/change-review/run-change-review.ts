import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CallOptions, CheckFailure, describeError } from '../aws-call';
import { Logger } from '../../../shared/logger';
import type { BreakGlassEntry, ChangeReviewParameters } from '../../../../contracts/change-review-parameters';
import { stageStacks } from './cloud-assembly';
import { DataLossResult, describeFinding, findDataLoss } from './data-loss';
import { readDeployedStack } from './deployed-template';
import { diffStack, StackChanges } from './diff-stacks';
import { detectStackDrift, DriftOptions, StackDrift } from './drift';

/** What the review runs against and how it calls AWS. */
export interface ChangeReviewContext {
  readonly params: ChangeReviewParameters;
  /** Directory of this execution's cloud assembly (`cdk.out`). */
  readonly assemblyDir: string;
  /** CloudFormation of the stage account in `region` (through the change review role, or the operator's credentials). */
  cloudFormationIn(region: string): CloudFormationClient;
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
  readonly stacks: readonly StackChanges[];
  readonly dataLoss: DataLossResult;
  readonly drift: readonly StackDrift[];
  readonly failOnDrift: boolean;
  /** Production guards the stage goes without under a break-glass key (empty: none). */
  readonly breakGlass: readonly BreakGlassEntry[];
  /** One line per reason the review fails; empty when it passes. */
  readonly failures: readonly string[];
  readonly passed: boolean;
}

/** Reviews one stack: its deployed template, the diff, and drift when it is deployed. */
async function reviewStack(
  ctx: ChangeReviewContext,
  stackName: string,
  synthesized: () => Record<string, unknown>,
): Promise<{ changes: StackChanges; drift: StackDrift }> {
  const region = ctx.params.stackRegions?.[stackName] ?? ctx.params.region;
  const client = ctx.cloudFormationIn(region);
  const deployed = await readDeployedStack(client, stackName, ctx.call);
  const changes = diffStack({
    stackName,
    region,
    deployed: deployed.deployed ? deployed.template : undefined,
    synthesized: synthesized(),
  });
  const drift = deployed.deployed
    ? await detectStackDrift(client, stackName, { call: ctx.call, ...ctx.drift })
    : { stackName, status: 'NOT_DEPLOYED' as const, drifted: [] };
  ctx.log.info('stack reviewed', {
    stackName,
    deployed: deployed.deployed,
    changes: changes.resources.length,
    drift: drift.status,
  });
  return { changes, drift };
}

/**
 * Compares every stack of the stage in the cloud assembly with what is deployed, finds data loss
 * and drift, and decides. A stack that cannot be read, or drift that cannot be detected, throws
 * a {@link CheckFailure} listing every reason: the review never passes what it could not check.
 */
export async function runChangeReview(ctx: ChangeReviewContext, origin: ReviewOrigin): Promise<ChangeReviewReport> {
  const { params } = ctx;
  let stacks;
  try {
    stacks = stageStacks(ctx.assemblyDir, params.stackNames, params.account);
  } catch (error) {
    throw new CheckFailure((error as Error).message);
  }
  const settled = await Promise.allSettled(stacks.map((s) => reviewStack(ctx, s.stackName, s.template)));
  const errors = settled.flatMap((r) => (r.status === 'rejected' ? [describeError(r.reason)] : []));
  if (errors.length) throw new CheckFailure(errors.join('; '));
  const reviewed = settled.map(
    (r) => (r as PromiseFulfilledResult<{ changes: StackChanges; drift: StackDrift }>).value,
  );
  const changes = reviewed.map((r) => r.changes);
  const drift = reviewed.map((r) => r.drift);
  const dataLoss = findDataLoss(changes, params.policy);
  const failures = [
    ...dataLoss.blocked.map((f) => `data loss: ${describeFinding(f)}`),
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
    failures,
    passed: failures.length === 0,
  };
}
