/**
 * What the change review step passes the review script: built by the pipeline (lib/pipeline/change-review)
 * and the operator CLI, parsed by the script (lambda/pipeline/private/change-review/change-review-parameters.ts).
 *
 * @packageDocumentation
 */
import type { ChangeReviewPolicy } from './change-review-policy';
import type { StageStackIdentity } from './stage-stacks';

/** A production guard the stage goes without, under a break-glass key (lib/config/production-guards.ts). */
export interface BreakGlassEntry {
  /** Name of the guard (`manualApproval`). */
  readonly guard: string;
  /** The break-glass key (`prod.breakGlass.manualApproval`). */
  readonly key: string;
  /** The weakening key and value (`prod.delivery.manualApproval = false`). */
  readonly weakened: string;
  /** The reason the break-glass key gives. */
  readonly reason: string;
}

/** What the pipeline passes to the change review step (as JSON in an environment variable) and the CLI builds from config. */
export interface ChangeReviewParameters {
  /** Stage name (`prod`). */
  readonly stage: string;
  /** Account of the stage; the assembly's stacks are matched by name and account. */
  readonly account: string;
  /** Primary region of the stage. */
  readonly region: string;
  /** CloudFormation stack names of the stage, in deployment order. */
  readonly stackNames: readonly string[];
  /** Region of each stack outside the primary region. */
  readonly stackRegions?: Readonly<Record<string, string>>;
  /**
   * How the review recognises the stage's deployed stacks, and every region it searches for those the assembly no
   * longer contains.
   */
  readonly stageStacks: StageStackIdentity;
  /**
   * Role to assume in the stage account, by region: the CDK bootstrap's lookup role of every region a stack
   * of the stage lives in. Absent when the review runs with the caller's credentials.
   */
  readonly roleArns?: Readonly<Record<string, string>>;
  /**
   * The pipeline (tooling) account, which the stage account's bootstrap must trust; a refused role names it.
   * @default the reason names no account
   */
  readonly pipelineAccount?: string;
  /** The stage's data-loss exceptions and drift rule. */
  readonly policy: ChangeReviewPolicy;
  /** Production guards the stage goes without under a break-glass key; the report shows each. Absent: none. */
  readonly breakGlass?: readonly BreakGlassEntry[];
}

/**
 * The regions the review reads: the stage's primary region, every region a stack of the stage lives in, and every
 * region it searches for stacks the stage no longer contains.
 */
export function reviewRegions(
  params: Pick<ChangeReviewParameters, 'region' | 'stackRegions'> & {
    readonly stageStacks?: Pick<StageStackIdentity, 'regions'>;
  },
): string[] {
  return [
    ...new Set([params.region, ...Object.values(params.stackRegions ?? {}), ...(params.stageStacks?.regions ?? [])]),
  ];
}
