import type * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import { ConfigError } from '../config/config-error';

/**
 * CodePipeline's structural quotas, checked at synth so a pipeline that AWS would reject fails here
 * with the reason. Stages per pipeline (2 to 50) and actions per stage (1 to 50) are from AWS's
 * "Quotas in AWS CodePipeline". The per-pipeline action cap is a safety bound this project sets
 * (the quota page read here states none beyond the two above); raise it if AWS documents more.
 */
export const CODEPIPELINE_LIMITS = {
  stagesPerPipeline: 50,
  actionsPerStage: 50,
  actionsPerPipeline: 500,
} as const;

/** The limits {@link pipelineLimitProblems} checks. */
export type PipelineLimits = Readonly<Record<keyof typeof CODEPIPELINE_LIMITS, number>>;

/**
 * The pipeline stages CDK Pipelines adds before the platform stages: Source, Build, UpdatePipeline
 * (self-mutation) and Assets.
 */
export const FIXED_PIPELINE_STAGES = 4;

/** One CodePipeline stage, by name and action count. */
export interface StageShape {
  readonly name: string;
  readonly actions: number;
}

/** What in `stages` exceeds `limits`, one sentence per problem; empty when the pipeline fits. */
export function pipelineLimitProblems(
  stages: readonly StageShape[],
  limits: PipelineLimits = CODEPIPELINE_LIMITS,
): string[] {
  const problems: string[] = [];
  if (stages.length > limits.stagesPerPipeline) {
    problems.push(
      `the pipeline has ${stages.length} stages; CodePipeline accepts at most ${limits.stagesPerPipeline} stages per pipeline.`,
    );
  }
  for (const stage of stages) {
    if (stage.actions > limits.actionsPerStage) {
      problems.push(
        `pipeline stage "${stage.name}" has ${stage.actions} actions; CodePipeline accepts at most ${limits.actionsPerStage} actions per stage.`,
      );
    }
  }
  const total = stages.reduce((sum, s) => sum + s.actions, 0);
  if (total > limits.actionsPerPipeline) {
    problems.push(
      `the pipeline has ${total} actions; at most ${limits.actionsPerPipeline} actions per pipeline are accepted.`,
    );
  }
  return problems;
}

/**
 * Fails fast, before any stage is built, when `pipeline.stages` alone would exceed the stages-per-pipeline limit.
 * @throws ConfigError naming `pipeline.stages`, its length and the most it accepts.
 */
export function checkStageCount(stageNames: readonly string[], limits: PipelineLimits = CODEPIPELINE_LIMITS): void {
  const most = limits.stagesPerPipeline - FIXED_PIPELINE_STAGES;
  if (stageNames.length > most) {
    throw new ConfigError([
      `pipeline.stages lists ${stageNames.length} stages (${stageNames[0]} ... ${stageNames[stageNames.length - 1]}): with Source, Build, ` +
        `UpdatePipeline and Assets the pipeline would have ${stageNames.length + FIXED_PIPELINE_STAGES} stages, and CodePipeline accepts at most ` +
        `${limits.stagesPerPipeline}. Accepted: at most ${most} stages.`,
    ]);
  }
}

/**
 * Checks the built pipeline against `limits`.
 * @throws ConfigError listing every limit exceeded, with the stage and the count, and that `pipeline.stages` decides them.
 */
export function checkPipelineLimits(
  pipeline: codepipeline.Pipeline,
  limits: PipelineLimits = CODEPIPELINE_LIMITS,
): void {
  const problems = pipelineLimitProblems(
    pipeline.stages.map((s) => ({ name: s.stageName, actions: s.actions.length })),
    limits,
  );
  if (problems.length) {
    throw new ConfigError(
      problems.map((p) => `pipeline.stages: ${p} Use fewer stages, or fewer stacks or checks per stage.`),
    );
  }
}
