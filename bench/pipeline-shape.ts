import type { CfnTemplate } from '../support/cfn-pipeline';
import { actionKind, pipelineProperties } from '../support/cfn-pipeline';
import type { ActionMinutes, ActionWeights, StageTime, StageWaits } from './critical-path';
import { criticalPath, DEFAULT_ACTION_WEIGHTS, minutesToStage, sumToStage } from './critical-path';

/** The shape of the synthesized pipeline and its modeled critical path. */
export interface PipelineShape {
  readonly stages: number;
  readonly actions: number;
  readonly codeBuildActions: number;
  /** `AWS::CodeBuild::Project` resources in the pipeline's template. */
  readonly codeBuildProjects: number;
  readonly deployActions: number;
  readonly lambdaActions: number;
  readonly approvals: number;
  /** Stages with stage conditions (before entry, on success, on failure). */
  readonly stagesWithConditions: readonly string[];
  /** The weights the critical path was computed with, in minutes. */
  readonly weights: ActionWeights;
  /** Measured minutes used instead of a weight, by `<stage>/<action>`. */
  readonly measured: ActionMinutes;
  /** Modeled minutes, stage by stage. */
  readonly criticalPath: readonly StageTime[];
  /** Modeled minutes from the push to the end of the Dev stage (its checks included). */
  readonly pushToDevMinutes?: number;
  /** Modeled minutes from the push to the end of the Prod stage, traffic shifts and bakes included, approval wait excluded. */
  readonly pushToProdMinutes?: number;
  /** Of `pushToProdMinutes`, the minutes CodeDeploy spends shifting traffic (canaries) up to Prod. */
  readonly trafficShiftToProdMinutes?: number;
  /** Of `pushToProdMinutes`, the minutes the Bake actions up to and including Prod run. */
  readonly bakeToProdMinutes?: number;
}

/** The shape of the one pipeline in `template`; stage waits and measured action minutes as in criticalPath. */
export function pipelineShape(
  template: CfnTemplate,
  weights: ActionWeights = DEFAULT_ACTION_WEIGHTS,
  waits: Readonly<Record<string, StageWaits>> = {},
  measured: ActionMinutes = {},
): PipelineShape {
  const { Stages } = pipelineProperties(template);
  const actions = Stages.flatMap((s) => s.Actions);
  const count = (...kinds: string[]) => actions.filter((a) => kinds.includes(actionKind(a))).length;
  const path = criticalPath(Stages, weights, waits, measured);
  return {
    stages: Stages.length,
    actions: actions.length,
    codeBuildActions: count('codebuild'),
    codeBuildProjects: Object.values(template.Resources ?? {}).filter((r) => r.Type === 'AWS::CodeBuild::Project')
      .length,
    deployActions: count('deploy', 'change-set-create', 'change-set-execute'),
    lambdaActions: count('lambda'),
    approvals: count('approval'),
    stagesWithConditions: Stages.filter((s) => s.BeforeEntry || s.OnSuccess || s.OnFailure).map((s) => s.Name),
    weights,
    measured,
    criticalPath: path,
    pushToDevMinutes: minutesToStage(path, 'Dev'),
    pushToProdMinutes: minutesToStage(path, 'Prod'),
    trafficShiftToProdMinutes: sumToStage(path, 'Prod', 'trafficShiftMinutes'),
    bakeToProdMinutes: sumToStage(path, 'Prod', 'bakeMinutes'),
  };
}
