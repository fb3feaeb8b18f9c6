/**
 * What the change review step passes the review script: built by the pipeline (lib/pipeline/change-review)
 * and the operator CLI, parsed by the script (lambda/pipeline/private/change-review/change-review-parameters.ts).
 *
 * @packageDocumentation
 */
import type { ChangeReviewPolicy } from './change-review-policy';

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
  /** Read-only change review role to assume in the stage account; absent when running with the caller's credentials. */
  readonly roleArn?: string;
  /** The stage's data-loss exceptions and drift rule. */
  readonly policy: ChangeReviewPolicy;
}
