import { GateSpec, StageGates } from '../../../../contracts/gate-spec';
import { pipelineWeakenings, specWeakenings } from '../../../../lambda/pipeline/self-mutation-guard/pipeline-gates';
import { actionOf, changed, guardedTemplate, SPEC, stage } from './fixtures/guarded-pipeline';

const intact = guardedTemplate();
const weakenings = (change: (t: Record<string, any>) => void) => pipelineWeakenings(SPEC, changed(intact, change));
const stageRule = (t: Record<string, any>, kind: string) => stage(t, 'Live')[kind].Conditions[0].Rules[0];
/** Rewrites the Bake action's user parameters. */
const bakeParameters = (t: Record<string, any>, change: Record<string, unknown>) => {
  const configuration = actionOf(t, 'Live', 'Bake').Configuration;
  configuration.UserParameters = JSON.stringify({ ...JSON.parse(configuration.UserParameters), ...change });
};

describe('the gates of the next pipeline, against the deployed spec', () => {
  it('finds every gate of a pipeline that keeps them', () => {
    expect(pipelineWeakenings(SPEC, intact)).toEqual([]);
  });

  it('accepts a stronger pipeline: a longer bake, an extra check', () => {
    expect(
      weakenings((t) => {
        bakeParameters(t, { minutes: 45 });
        stage(t, 'Live').Actions.push({ ...actionOf(t, 'Live', 'HealthCheck'), Name: 'JourneyCheck' });
      }),
    ).toEqual([]);
  });

  describe('refuses, naming the stage and the gate', () => {
    it.each<[string, (t: Record<string, any>) => void, string]>([
      [
        'the approval stage removed',
        (t) => {
          const stages = t.Resources.Pipeline.Properties.Stages;
          stages.splice(stages.indexOf(stage(t, 'ApproveLive')), 1);
        },
        'Live: the approval stage ApproveLive is gone',
      ],
      [
        'the change review removed',
        (t) => {
          stage(t, 'ApproveLive').Actions.shift();
        },
        'Live: ChangeReview (Build/CodeBuild) is gone from ApproveLive',
      ],
      [
        'the manual approval removed',
        (t) => {
          stage(t, 'ApproveLive').Actions.pop();
        },
        'Live: ApproveToLive (Approval/Manual) is gone from ApproveLive',
      ],
      [
        'the change review running beside the approval',
        (t) => {
          actionOf(t, 'ApproveLive', 'ApproveToLive').RunOrder = 1;
        },
        'Live: ChangeReview no longer finishes before ApproveToLive starts in ApproveLive (run order 1, then 1)',
      ],
      [
        'the change review running after the approval',
        (t) => {
          actionOf(t, 'ApproveLive', 'ChangeReview').RunOrder = 3;
        },
        'Live: ChangeReview no longer finishes before ApproveToLive starts in ApproveLive (run order 3, then 2)',
      ],
      [
        'the change review replaced by another kind of action',
        (t) => {
          actionOf(t, 'ApproveLive', 'ChangeReview').ActionTypeId.Provider = 'Lambda';
          actionOf(t, 'ApproveLive', 'ChangeReview').ActionTypeId.Category = 'Invoke';
        },
        'Live: ChangeReview in ApproveLive is no longer a Build/CodeBuild action (it is Invoke/Lambda)',
      ],
      [
        'the approval stage moved after the production stage',
        (t) => {
          const stages = t.Resources.Pipeline.Properties.Stages;
          const approval = stages.splice(stages.indexOf(stage(t, 'ApproveLive')), 1)[0];
          stages.push(approval);
        },
        'Live: the approval stage ApproveLive no longer runs before Live',
      ],
      [
        'the deployment window removed',
        (t) => {
          delete stage(t, 'Live').BeforeEntry;
        },
        'Live: the deployment window "* * 9-15 ? * MON-THU" (Europe/London) is gone',
      ],
      [
        "the window's cron changed",
        (t) => {
          stageRule(t, 'BeforeEntry').Configuration.Cron = '* * 0-23 ? * MON-SUN';
        },
        'Live: the deployment window changed from "* * 9-15 ? * MON-THU" (Europe/London) to "* * 0-23 ? * MON-SUN" (Europe/London)',
      ],
      [
        "the window's time zone changed",
        (t) => {
          stageRule(t, 'BeforeEntry').Configuration.TimeZone = 'Pacific/Auckland';
        },
        'Live: the deployment window changed from "* * 9-15 ? * MON-THU" (Europe/London) to "* * 9-15 ? * MON-THU" (Pacific/Auckland)',
      ],
      [
        'the window no longer failing the entry',
        (t) => {
          stage(t, 'Live').BeforeEntry.Conditions[0].Result = 'SKIP';
        },
        'Live: the deployment window "* * 9-15 ? * MON-THU" (Europe/London) is gone',
      ],
      [
        'rollback on failure removed',
        (t) => {
          delete stage(t, 'Live').OnFailure;
        },
        'Live: rollback on failure is gone (OnFailure is no longer ROLLBACK)',
      ],
      [
        'the bake removed',
        (t) => {
          stage(t, 'Live').Actions = stage(t, 'Live').Actions.filter((a: { Name: string }) => a.Name !== 'Bake');
        },
        'Live: the 30-minute bake (Bake, watching example-live-stage-unhealthy) is gone',
      ],
      [
        'the bake shortened',
        (t) => {
          bakeParameters(t, { minutes: 5 });
        },
        'Live: the bake is shorter, 5 minutes instead of 30 minutes',
      ],
      [
        'the bake watching another alarm',
        (t) => {
          bakeParameters(t, { alarmName: 'an-alarm-that-never-fires' });
        },
        'Live: Bake watches an-alarm-that-never-fires instead of example-live-stage-unhealthy',
      ],
      [
        'the bake moved before the last deploy',
        (t) => {
          actionOf(t, 'Live', 'Bake').RunOrder = 1;
        },
        'Live: Bake no longer runs after every deploy action of Live',
      ],
      [
        'the health check removed',
        (t) => {
          stage(t, 'Live').Actions = stage(t, 'Live').Actions.filter((a: { Name: string }) => a.Name !== 'HealthCheck');
        },
        'Live: the HealthCheck action (Invoke/Lambda) is gone',
      ],
      [
        'the DR check moved before the last deploy',
        (t) => {
          actionOf(t, 'Live', 'DrCheck').RunOrder = 2;
        },
        'Live: DrCheck no longer runs after every deploy action of Live',
      ],
      [
        'the termination protection action removed',
        (t) => {
          stage(t, 'Live').Actions = stage(t, 'Live').Actions.filter(
            (a: { Name: string }) => a.Name !== 'TerminationProtection',
          );
        },
        'Live: the TerminationProtection action (Invoke/Lambda) is gone',
      ],
      [
        'the production stage renamed',
        (t) => {
          stage(t, 'Live').Name = 'Production';
        },
        'Live: the production stage is gone (removed or renamed)',
      ],
      [
        'the pipeline renamed',
        (t) => {
          t.Resources.Pipeline.Properties.Name = 'another-delivery';
        },
        'the pipeline example-delivery is gone (no AWS::CodePipeline::Pipeline of that name)',
      ],
      [
        'the pipeline switched to PARALLEL executions',
        (t) => {
          t.Resources.Pipeline.Properties.ExecutionMode = 'PARALLEL';
        },
        'the pipeline runs in PARALLEL mode: executions overlap, so a newer one can deploy before an older one is approved',
      ],
      [
        'the self-mutation stage moved after the production stage',
        (t) => {
          const stages = t.Resources.Pipeline.Properties.Stages;
          stages.push(stages.splice(stages.indexOf(stage(t, 'UpdatePipeline')), 1)[0]);
        },
        'Live: UpdatePipeline no longer runs before it',
      ],
    ])('%s', (_, change, message) => {
      expect(weakenings(change)).toEqual([message]);
    });
  });

  it('counts a value that is not a literal as absent', () => {
    expect(
      weakenings((t) => {
        actionOf(t, 'Live', 'Bake').Configuration.UserParameters = { 'Fn::Join': ['', ['{"minutes":', '30}']] };
      }),
    ).toEqual([
      'Live: Bake watches no alarm it names instead of example-live-stage-unhealthy',
      'Live: the bake is shorter, of no length it names instead of 30 minutes',
    ]);
  });
});

describe("the next guard's spec, against the deployed one", () => {
  const live = SPEC.production[0];
  const withLive = (change: Partial<StageGates>): GateSpec => ({ ...SPEC, production: [{ ...live, ...change }] });

  it('accepts the same spec and a stronger one', () => {
    expect(specWeakenings(SPEC, SPEC)).toEqual([]);
    expect(specWeakenings(SPEC, withLive({ bake: { ...live.bake!, minutes: 60 } }))).toEqual([]);
    expect(
      specWeakenings(SPEC, {
        ...SPEC,
        production: [...SPEC.production, { stage: 'Dr', rollbackOnFailure: true, checks: [] }],
      }),
    ).toEqual([]);
  });

  it.each<[string, GateSpec, string]>([
    [
      'the production flag dropped',
      { ...SPEC, production: [] },
      'Live: no longer a production stage (its production flag is unset, or the stage renamed)',
    ],
    [
      'a shorter bake',
      withLive({ bake: { ...live.bake!, minutes: 10 } }),
      'Live: the bake is shorter, 10 minutes instead of 30 minutes',
    ],
    [
      'no bake',
      withLive({ bake: undefined }),
      'Live: the 30-minute bake (Bake, watching example-live-stage-unhealthy) is gone',
    ],
    [
      'no window',
      withLive({ window: undefined }),
      'Live: the deployment window "* * 9-15 ? * MON-THU" (Europe/London) is gone',
    ],
    [
      'no rollback',
      withLive({ rollbackOnFailure: false }),
      'Live: rollback on failure is gone (OnFailure is no longer ROLLBACK)',
    ],
    ['no approval', withLive({ approval: undefined }), 'Live: the approval stage ApproveLive is gone'],
    [
      'the approval before the review',
      withLive({ approval: { stage: 'ApproveLive', actions: [...live.approval!.actions].reverse() } }),
      'Live: ChangeReview no longer finishes before ApproveToLive starts in ApproveLive (run order 2, then 1)',
    ],
    [
      'a check dropped',
      withLive({ checks: live.checks.slice(1) }),
      'Live: the TerminationProtection action (Invoke/Lambda) is gone',
    ],
    [
      'another pipeline',
      { ...SPEC, pipelineName: 'other' },
      'the guard would check the pipeline other instead of example-delivery',
    ],
    [
      'another stack',
      { ...SPEC, pipelineStack: { assembly: '.', stack: 'Decoy' } },
      'the guard would read Decoy in . instead of PipelineStack in .',
    ],
  ])('refuses %s', (_, next, message) => {
    expect(specWeakenings(SPEC, next)).toEqual([message]);
  });
});
