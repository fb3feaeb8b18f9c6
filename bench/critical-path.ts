import { actionKind, ActionKind, CfnPipelineStage, runOrderGroups } from '../support/cfn-pipeline';

/** Modeled minutes of one action by kind. The model compares configurations; it does not predict wall time. */
export type ActionWeights = Readonly<Record<ActionKind, number>>;

/**
 * The default weights, in minutes: a source action 0.5, a CodeBuild action 2.0 (mostly
 * provisioning), a CloudFormation deploy (or change-set execute) 2.0, a change-set create 0.5,
 * a Lambda invoke 0.3, a manual approval 0 (the wait is excluded), anything else 1.0.
 */
export const DEFAULT_ACTION_WEIGHTS: ActionWeights = {
  source: 0.5,
  codebuild: 2.0,
  deploy: 2.0,
  'change-set-create': 0.5,
  'change-set-execute': 2.0,
  lambda: 0.3,
  approval: 0,
  other: 1.0,
};

/**
 * Measured minutes of particular actions, keyed `<stage>/<action>` (`Build/Synth`), used instead of
 * their kind's weight: the Build action's figure comes from timing its buildspec commands.
 */
export type ActionMinutes = Readonly<Record<string, number>>;

/** Modeled time of one pipeline stage. */
export interface StageTime {
  /** Pipeline stage name. */
  readonly stage: string;
  /** Number of distinct run orders (sequential steps) in the stage. */
  readonly runOrders: number;
  /** Minutes for the stage: over its run orders, the sum of the slowest action of each. */
  readonly minutes: number;
  /** Minutes from the push to the end of this stage. */
  readonly cumulativeMinutes: number;
}

function round(minutes: number): number {
  return Math.round(minutes * 100) / 100;
}

/**
 * The modeled critical path of a pipeline, stage by stage. Actions of a stage with the same run
 * order run in parallel, so a stage takes, summed over its run orders, the largest weight in each.
 * Stages run one after the other. Stage conditions (deployment window, bake time) and the approval
 * wait are not modeled: they are waiting, not work. An action named in `measured` takes that figure.
 */
export function criticalPath(
  stages: readonly CfnPipelineStage[], weights: ActionWeights = DEFAULT_ACTION_WEIGHTS, measured: ActionMinutes = {},
): StageTime[] {
  let total = 0;
  return stages.map((stage) => {
    const groups = runOrderGroups(stage.Actions);
    const weight = (a: CfnPipelineStage['Actions'][number]) => measured[`${stage.Name}/${a.Name}`] ?? weights[actionKind(a)];
    const minutes = groups.reduce((sum, group) => sum + Math.max(...group.map(weight)), 0);
    total += minutes;
    return { stage: stage.Name, runOrders: groups.length, minutes: round(minutes), cumulativeMinutes: round(total) };
  });
}

/**
 * Minutes from the push to the end of the stage named `stage` (compared case-insensitively),
 * or `undefined` when the pipeline has no such stage.
 */
export function minutesToStage(path: readonly StageTime[], stage: string): number | undefined {
  return path.find((s) => s.stage.toLowerCase() === stage.toLowerCase())?.cumulativeMinutes;
}
