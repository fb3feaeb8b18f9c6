import type { Stack, Stage } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';

/**
 * What the pipeline needs of a stage it delivers: the CDK Stage to deploy, its config, and the names and
 * roles its checks and its change review use. The stage class itself (stages/) is given to
 * {@link PipelineStack} as a {@link DeliveredStageFactory}, so lib/ does not depend on stages/.
 */
export interface DeliveredStage extends Stage {
  /** Validated config of the stage. */
  readonly config: StageConfig;
  /** Every stack of the stage, in creation order. */
  readonly stacks: readonly Stack[];
  /** CloudFormation stack names of the stage, in creation order. */
  readonly stackNames: readonly string[];
  /** Region of each stack that is not in the stage's primary region, by stack name. */
  readonly stackRegions: Readonly<Record<string, string>>;
  /**
   * Every region a stack of the stage can live in, whatever features its config turns on today: the change review
   * and `npm run cleanup` search them all for stacks the stage no longer contains, so each must be bootstrapped.
   */
  readonly regions: readonly string[];
  /** ARN of the read-only role the pipeline's checks assume in the stage account. */
  readonly checkRoleArn: string;
  /** ARN of the role through which the pipeline turns on termination protection; only when the stage's config asks for it. */
  readonly terminationProtectionRoleArn?: string;
  /** The stage's acceptance journey, where its config turns it on. */
  readonly journey?: StageJourney;
}

/** What the pipeline's Journey action needs of a stage. */
export interface StageJourney {
  /** ARN of the journey role in the stage account. */
  readonly roleArn: string;
  /** Stacks (primary region) whose outputs the journey reads: the user pool, tables, API and workflow. */
  readonly stackNames: readonly string[];
  /** Only the read-only part runs (a production stage, or `journey.readOnly`). */
  readonly readOnly: boolean;
  /** Minutes the journey may wait for the workflow's quote. */
  readonly timeoutMinutes: number;
}

/** What the pipeline gives a stage it creates. */
export interface DeliveredStageProps {
  /** Validated config of the stage. */
  readonly config: StageConfig;
  /** Account of the pipeline (trusted by the stage's check role). */
  readonly pipelineAccount: string;
}

/** Creates one stage of the pipeline under `scope` with construct id `id`. */
export type DeliveredStageFactory = (scope: Construct, id: string, props: DeliveredStageProps) => DeliveredStage;
