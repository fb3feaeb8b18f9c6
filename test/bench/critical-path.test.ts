import { criticalPath, DEFAULT_ACTION_WEIGHTS, minutesToStage, sumToStage } from '../../bench/critical-path';
import { JOURNEY_MODEL_MINUTES, READ_ONLY_JOURNEY_MODEL_MINUTES, stageWaits } from '../../bench/stage-waits';
import { JOURNEY_ACTION_NAME } from '../../lib/pipeline/checks/journey-action-name';
import { contextWith } from '../support/context';
import type { CfnPipelineAction, CfnPipelineStage } from '../../support/cfn-pipeline';
import { BAKE_ACTION_NAME } from '../../lib/pipeline/checks/bake-action-name';

function act(category: string, provider: string, runOrder?: number, mode?: string): CfnPipelineAction {
  return {
    Name: `${provider}${runOrder ?? ''}${mode ?? ''}`,
    ActionTypeId: { Category: category, Provider: provider },
    ...(runOrder === undefined ? {} : { RunOrder: runOrder }),
    ...(mode ? { Configuration: { ActionMode: mode } } : {}),
  };
}
const source = act('Source', 'CodeStarSourceConnection');
const codeBuild = (order?: number) => act('Build', 'CodeBuild', order);
const deploy = (order: number) => act('Deploy', 'CloudFormation', order, 'CREATE_UPDATE');
const lambda = (order: number) => act('Invoke', 'Lambda', order);
const approval = (order: number) => act('Approval', 'Manual', order);

describe('The modeled critical path', () => {
  it('counts parallel actions (same run order) once, at the slowest of them', () => {
    // GIVEN two stacks deploying in parallel, then one stack, then two Lambda checks in parallel
    const [dev] = criticalPath([{ Name: 'Dev', Actions: [deploy(1), deploy(1), deploy(2), lambda(3), lambda(3)] }]);
    // THEN the stage costs deploy + deploy + Lambda, not five actions
    expect(dev).toEqual({
      stage: 'Dev',
      runOrders: 3,
      minutes: 4.3,
      cumulativeMinutes: 4.3,
      trafficShiftMinutes: 0,
      bakeMinutes: 0,
    });
  });

  it('takes the slowest action of a run order that mixes kinds', () => {
    const [stage] = criticalPath([{ Name: 'Mixed', Actions: [lambda(1), codeBuild(1), deploy(2)] }]);
    expect(stage.minutes).toBe(4);
  });

  it('treats an action without a run order as run order 1', () => {
    const [stage] = criticalPath([{ Name: 'Build', Actions: [codeBuild(), codeBuild(1)] }]);
    expect(stage).toMatchObject({ runOrders: 1, minutes: 2 });
  });

  it('excludes the approval wait and separates change-set create from execute', () => {
    const [prod] = criticalPath([
      {
        Name: 'Prod',
        Actions: [
          approval(1),
          act('Deploy', 'CloudFormation', 2, 'CHANGE_SET_REPLACE'),
          act('Deploy', 'CloudFormation', 3, 'CHANGE_SET_EXECUTE'),
        ],
      },
    ]);
    expect(prod.minutes).toBe(0 + 0.5 + 2);
  });

  it('adds stages one after the other, so each stage reports minutes from the push', () => {
    const stages: CfnPipelineStage[] = [
      { Name: 'Source', Actions: [source] },
      { Name: 'Build', Actions: [codeBuild(1)] },
      { Name: 'Dev', Actions: [deploy(1), lambda(2)] },
      { Name: 'Prod', Actions: [approval(1), deploy(2), lambda(3)] },
    ];
    const path = criticalPath(stages);
    expect(path.map((s) => s.cumulativeMinutes)).toEqual([0.5, 2.5, 4.8, 7.1]);
    expect(minutesToStage(path, 'dev')).toBe(4.8);
    expect(minutesToStage(path, 'Prod')).toBe(7.1);
    expect(minutesToStage(path, 'Staging')).toBeUndefined();
  });

  it('uses the weights it is given, so configurations compare on the same model', () => {
    const [stage] = criticalPath([{ Name: 'Dev', Actions: [deploy(1), lambda(2)] }], {
      ...DEFAULT_ACTION_WEIGHTS,
      deploy: 5,
      lambda: 1,
    });
    expect(stage.minutes).toBe(6);
  });

  it('uses a measured figure for the action it names, and the weight for every other action', () => {
    // GIVEN the Build action measured at 3.4 min and an UpdatePipeline CodeBuild action that is not
    const stages: CfnPipelineStage[] = [
      { Name: 'Build', Actions: [{ ...codeBuild(1), Name: 'Synth' }] },
      { Name: 'UpdatePipeline', Actions: [{ ...codeBuild(1), Name: 'SelfMutate' }] },
    ];
    const path = criticalPath(stages, DEFAULT_ACTION_WEIGHTS, {}, { 'Build/Synth': 3.4 });
    // THEN only Build takes the measured figure
    expect(path.map((s) => s.minutes)).toEqual([3.4, DEFAULT_ACTION_WEIGHTS.codebuild]);
  });

  it('prices an action of an unknown provider at the "other" weight', () => {
    const [stage] = criticalPath([{ Name: 'X', Actions: [act('Invoke', 'StepFunctions', 1)] }]);
    expect(stage.minutes).toBe(DEFAULT_ACTION_WEIGHTS.other);
  });
});

describe('Traffic shift and bake in the critical path', () => {
  const action = (name: string, category: string, provider: string, runOrder: number): CfnPipelineAction => ({
    Name: name,
    ActionTypeId: { Category: category, Owner: 'AWS', Provider: provider, Version: '1' },
    RunOrder: runOrder,
  });
  /** A stage as the pipeline builds it: deploy, then the health and DR checks, then (with a bake time) the Bake action. */
  const stage = (name: string, bake: boolean): CfnPipelineStage => ({
    Name: name,
    Actions: [
      action('Deploy', 'Deploy', 'CloudFormation', 1),
      action('HealthCheck', 'Invoke', 'Lambda', 2),
      action('DrCheck', 'Invoke', 'Lambda', 2),
      ...(bake ? [action(BAKE_ACTION_NAME, 'Invoke', 'Lambda', 3)] : []),
    ],
  });
  const waits = {
    dev: { trafficShiftMinutes: 0, bakeMinutes: 0 },
    Staging: { trafficShiftMinutes: 5, bakeMinutes: 10 },
    PROD: { trafficShiftMinutes: 10, bakeMinutes: 30 },
  };

  it("counts a stage's Bake action for its bake time and its traffic shift in its deploy, and sums both up to a stage", () => {
    const path = criticalPath(
      [stage('Dev', false), stage('Staging', true), stage('Prod', true)],
      DEFAULT_ACTION_WEIGHTS,
      waits,
    );
    // deploy 2 + checks 0.3 (+ traffic shift) (+ bake)
    expect(path.map((s) => s.minutes)).toEqual([2.3, 2.3 + 5 + 10, 2.3 + 10 + 30]);
    expect(path.map((s) => s.bakeMinutes)).toEqual([0, 10, 30]);
    expect(minutesToStage(path, 'Prod')).toBe(2.3 + 17.3 + 42.3);
    expect(sumToStage(path, 'Prod', 'trafficShiftMinutes')).toBe(15);
    expect(sumToStage(path, 'Prod', 'bakeMinutes')).toBe(40);
    expect(sumToStage(path, 'Nowhere', 'bakeMinutes')).toBeUndefined();
  });

  it('counts no bake for a stage without a Bake action, whatever its config says', () => {
    const [staging] = criticalPath([stage('Staging', false)], DEFAULT_ACTION_WEIGHTS, waits);
    expect(staging).toMatchObject({ minutes: 2.3 + 5, bakeMinutes: 0 });
  });

  it('prices a Lambda action of another name at the Lambda weight', () => {
    const [staging] = criticalPath(
      [{ Name: 'Staging', Actions: [action('Journey', 'Invoke', 'Lambda', 1)] }],
      DEFAULT_ACTION_WEIGHTS,
      waits,
    );
    expect(staging.minutes).toBe(DEFAULT_ACTION_WEIGHTS.lambda + 5);
  });
});

describe('Stage waits from the app config', () => {
  it("reads each stage's canary time from its deployment config and its bake time", () => {
    const waits = stageWaits(
      contextWith({
        'staging.release.deploymentConfig': 'LINEAR_10PERCENT_EVERY_2MINUTES',
        'staging.delivery.bakeTimeMinutes': 12,
        'staging.journey.enabled': false,
      }),
    );
    expect(waits.Dev).toEqual({ trafficShiftMinutes: 0, bakeMinutes: expect.any(Number) });
    expect(waits.Staging).toEqual({ trafficShiftMinutes: 18, bakeMinutes: 12 });
  });

  it("adds a stage's acceptance journey as its Journey action's minutes, at most its time limit", () => {
    const waits = stageWaits(
      contextWith({
        'dev.journey.enabled': false,
        'staging.journey.enabled': true,
        'staging.journey.timeoutMinutes': 10,
        'prod.journey.enabled': true,
        'prod.journey.readOnly': true,
      }),
    );
    expect(waits.Dev.journeyMinutes).toBeUndefined();
    expect(waits.Staging.journeyMinutes).toBe(JOURNEY_MODEL_MINUTES);
    expect(waits.Prod.journeyMinutes).toBe(READ_ONLY_JOURNEY_MODEL_MINUTES);
    expect(
      stageWaits(contextWith({ 'staging.journey.enabled': true, 'staging.journey.timeoutMinutes': 1 })).Staging,
    ).toMatchObject({ journeyMinutes: 1 });
    // GIVEN Staging's actions with the journey after the checks
    const [staging] = criticalPath(
      [{ Name: 'Staging', Actions: [deploy(1), lambda(2), { ...lambda(3), Name: JOURNEY_ACTION_NAME }] }],
      DEFAULT_ACTION_WEIGHTS,
      { Staging: { trafficShiftMinutes: 0, bakeMinutes: 0, journeyMinutes: 2 } },
    );
    // THEN the journey weighs its modeled minutes, not a Lambda action's
    expect(staging.minutes).toBe(2 + 0.3 + 2);
  });
});
