import { BAKE_ACTION_NAME } from '../lib/pipeline/checks/bake-action-name';
import type { ActionKind, CfnPipelineStage } from '../support/cfn-pipeline';
import { actionKind, runOrderGroups } from '../support/cfn-pipeline';
import { JOURNEY_ACTION_NAME } from '../lib/pipeline/checks/journey-action-name';

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
  /**
   * Minutes for the stage: over its run orders, the sum of the slowest action of each (its Bake action
   * counted at the stage's bake time), plus its traffic shift.
   */
  readonly minutes: number;
  /**
   * Of `minutes`, those the stage's deploy waits for CodeDeploy to shift the functions' aliases (a canary's
   * interval, say); the functions shift in parallel, so once per stage.
   */
  readonly trafficShiftMinutes: number;
  /**
   * Of `minutes`, those of the stage's Bake action (watching its alarm before the next stage may start);
   * 0 for a stage without one.
   */
  readonly bakeMinutes: number;
  /** Minutes from the push to the end of this stage. */
  readonly cumulativeMinutes: number;
}

/** What a pipeline stage waits for besides its actions, by pipeline stage name (compared case-insensitively). */
export interface StageWaits {
  /** Minutes CodeDeploy takes to shift all traffic to the new versions in this stage. */
  readonly trafficShiftMinutes: number;
  /** Bake time of this stage, in minutes: how long its Bake action runs. */
  readonly bakeMinutes: number;
  /**
   * Modeled minutes of the stage's acceptance journey action (its Lambda invocations wait for the workflow),
   * used instead of the Lambda weight for the action named {@link JOURNEY_ACTION_NAME}.
   * @default - no journey: the action, if any, weighs as any Lambda action
   */
  readonly journeyMinutes?: number;
}

function round(minutes: number): number {
  return Math.round(minutes * 100) / 100;
}

/**
 * The modeled critical path of a pipeline, stage by stage. Actions of a stage with the same run
 * order run in parallel, so a stage takes, summed over its run orders, the largest weight in each.
 * Stages run one after the other. A stage's traffic shift (from `waits`) is part of its deploy and so of
 * its time. Its bake is an action (`Bake`, a Lambda invoke that lasts the stage's bake time), so it takes
 * the stage's `bakeMinutes` instead of the Lambda weight and is part of the stage's time; a stage without
 * a Bake action bakes 0 minutes whatever `waits` says. The deployment window and the approval wait are
 * not counted. An action named in `measured` (`Build/Synth`) takes that figure instead of its weight, and a
 * stage's Journey action takes its stage's `journeyMinutes`.
 */
export function criticalPath(
  stages: readonly CfnPipelineStage[],
  weights: ActionWeights = DEFAULT_ACTION_WEIGHTS,
  waits: Readonly<Record<string, StageWaits>> = {},
  measured: ActionMinutes = {},
): StageTime[] {
  const byName = new Map(Object.entries(waits).map(([name, w]) => [name.toLowerCase(), w]));
  let total = 0;
  return stages.map((stage) => {
    const groups = runOrderGroups(stage.Actions);
    const wait = byName.get(stage.Name.toLowerCase()) ?? { trafficShiftMinutes: 0, bakeMinutes: 0 };
    const isBake = (a: CfnPipelineStage['Actions'][number]) =>
      a.Name === BAKE_ACTION_NAME && actionKind(a) === 'lambda';
    const weight = (a: CfnPipelineStage['Actions'][number]) =>
      measured[`${stage.Name}/${a.Name}`] ??
      (isBake(a) ? wait.bakeMinutes : undefined) ??
      (a.Name === JOURNEY_ACTION_NAME && wait.journeyMinutes !== undefined ? wait.journeyMinutes : undefined) ??
      weights[actionKind(a)];
    const minutes = groups.reduce((sum, group) => sum + Math.max(...group.map(weight)), 0) + wait.trafficShiftMinutes;
    const bakeMinutes = stage.Actions.some(isBake) ? wait.bakeMinutes : 0;
    total += minutes;
    return {
      stage: stage.Name,
      runOrders: groups.length,
      minutes: round(minutes),
      cumulativeMinutes: round(total),
      trafficShiftMinutes: wait.trafficShiftMinutes,
      bakeMinutes,
    };
  });
}

/** Sum of `field` over the stages from the first up to and including the one named `stage`. */
export function sumToStage(
  path: readonly StageTime[],
  stage: string,
  field: 'trafficShiftMinutes' | 'bakeMinutes',
): number | undefined {
  const end = path.findIndex((s) => s.stage.toLowerCase() === stage.toLowerCase());
  return end < 0 ? undefined : round(path.slice(0, end + 1).reduce((sum, s) => sum + s[field], 0));
}

/**
 * Minutes from the push to the end of the stage named `stage` (compared case-insensitively),
 * or `undefined` when the pipeline has no such stage.
 */
export function minutesToStage(path: readonly StageTime[], stage: string): number | undefined {
  return path.find((s) => s.stage.toLowerCase() === stage.toLowerCase())?.cumulativeMinutes;
}
