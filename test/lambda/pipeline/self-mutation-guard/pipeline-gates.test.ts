import type { GateSpec, StageGates } from '../../../../contracts/gate-spec';
import {
  observedFromSpec,
  observedStageGates,
  pipelineWeakenings,
  specWeakenings,
} from '../../../../lambda/pipeline/self-mutation-guard/pipeline-gates';
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

describe('the gates of the next pipeline, edge cases', () => {
  const live = SPEC.production[0];

  it('accepts QUEUED executions, a run order written as text and a bake of exactly the deployed length', () => {
    expect(
      weakenings((t) => {
        t.Resources.Pipeline.Properties.ExecutionMode = 'QUEUED';
        actionOf(t, 'Live', 'Bake').RunOrder = '5';
        bakeParameters(t, { minutes: 30 });
      }),
    ).toEqual([]);
  });

  it('keeps the window when one of several deployment window rules is the deployed one', () => {
    expect(
      weakenings((t) => {
        const rules = stageRule(t, 'BeforeEntry');
        stage(t, 'Live').BeforeEntry.Conditions[0].Rules.unshift({
          ...rules,
          Name: 'Other',
          Configuration: { Cron: '* * 0-23 ? * SAT', TimeZone: 'UTC' },
        });
      }),
    ).toEqual([]);
  });

  it('names every window the stage has when none is the deployed one', () => {
    expect(
      weakenings((t) => {
        const rule = stageRule(t, 'BeforeEntry');
        rule.Configuration.Cron = '* * 0-23 ? * MON-FRI';
        stage(t, 'Live').BeforeEntry.Conditions[0].Rules.push({
          ...rule,
          Configuration: { Cron: '* * 0-23 ? * SAT', TimeZone: 'UTC' },
        });
      }),
    ).toEqual([
      'Live: the deployment window changed from "* * 9-15 ? * MON-THU" (Europe/London) to "* * 0-23 ? * MON-FRI" (Europe/London) and "* * 0-23 ? * SAT" (UTC)',
    ]);
  });

  it('does not count a rule of another provider as the deployment window', () => {
    expect(
      weakenings((t) => {
        stageRule(t, 'BeforeEntry').RuleTypeId.Provider = 'CloudWatchAlarm';
      }),
    ).toEqual(['Live: the deployment window "* * 9-15 ? * MON-THU" (Europe/London) is gone']);
  });

  it('refuses a bake action of another kind, without judging its parameters', () => {
    expect(
      weakenings((t) => {
        actionOf(t, 'Live', 'Bake').ActionTypeId.Category = 'Build';
        actionOf(t, 'Live', 'Bake').ActionTypeId.Provider = 'CodeBuild';
        bakeParameters(t, { minutes: 1 });
      }),
    ).toEqual(['Live: Bake is no longer a Invoke/Lambda action (it is Build/CodeBuild)']);
  });

  it('refuses a bake whose length is not a number', () => {
    expect(weakenings((t) => bakeParameters(t, { minutes: '30' }))).toEqual([
      'Live: the bake is shorter, of no length it names instead of 30 minutes',
    ]);
  });

  it('refuses a bake of one minute, naming it in the singular', () => {
    expect(weakenings((t) => bakeParameters(t, { minutes: 1 }))).toEqual([
      'Live: the bake is shorter, 1 minute instead of 30 minutes',
    ]);
  });

  it('refuses a check action of another kind', () => {
    expect(
      weakenings((t) => {
        actionOf(t, 'Live', 'HealthCheck').ActionTypeId.Category = 'Approval';
        actionOf(t, 'Live', 'HealthCheck').ActionTypeId.Provider = 'Manual';
      }),
    ).toEqual(['Live: HealthCheck is no longer a Invoke/Lambda action (it is Approval/Manual)']);
  });

  it('reads an action without a run order as run order 1, before the deploys', () => {
    expect(
      weakenings((t) => {
        delete actionOf(t, 'Live', 'DrCheck').RunOrder;
      }),
    ).toEqual(['Live: DrCheck no longer runs after every deploy action of Live']);
  });

  it('counts nothing as after a deploy whose run order is not a number', () => {
    expect(
      weakenings((t) => {
        actionOf(t, 'Live', 'Service.Deploy').RunOrder = 'last';
      }),
    ).toEqual([
      'Live: Bake no longer runs after every deploy action of Live',
      'Live: TerminationProtection no longer runs after every deploy action of Live',
      'Live: HealthCheck no longer runs after every deploy action of Live',
      'Live: DrCheck no longer runs after every deploy action of Live',
    ]);
  });

  it('finds approval actions gone from an approval stage that has no actions, without an order to judge', () => {
    expect(
      weakenings((t) => {
        delete stage(t, 'ApproveLive').Actions;
      }),
    ).toEqual([
      'Live: ChangeReview (Build/CodeBuild) is gone from ApproveLive',
      'Live: ApproveToLive (Approval/Manual) is gone from ApproveLive',
    ]);
  });

  it('refuses a pipeline declared twice', () => {
    expect(
      weakenings((t) => {
        t.Resources.Copy = structuredClone(t.Resources.Pipeline);
      }),
    ).toEqual(['the pipeline example-delivery is declared 2 times']);
  });

  it('ignores a resource of another type that has the pipeline name', () => {
    expect(
      weakenings((t) => {
        t.Resources.Decoy = { Type: 'AWS::CodeBuild::Project', Properties: { Name: 'example-delivery' } };
      }),
    ).toEqual([]);
  });

  it('refuses a self-mutation stage moved between the approval and the production stage', () => {
    expect(
      weakenings((t) => {
        const stages = t.Resources.Pipeline.Properties.Stages;
        const selfMutation = stages.splice(stages.indexOf(stage(t, 'UpdatePipeline')), 1)[0];
        stages.splice(stages.indexOf(stage(t, 'Live')), 0, selfMutation);
      }),
    ).toEqual(['Live: UpdatePipeline no longer runs before it']);
  });

  it('leaves a missing self-mutation stage to the guard check, and judges the production gates', () => {
    expect(
      weakenings((t) => {
        const stages = t.Resources.Pipeline.Properties.Stages;
        stages.splice(stages.indexOf(stage(t, 'UpdatePipeline')), 1);
      }),
    ).toEqual([]);
  });

  it('does not ask a stage that never rolled back to roll back', () => {
    const spec: GateSpec = { ...SPEC, production: [{ ...live, rollbackOnFailure: false }] };
    expect(
      pipelineWeakenings(
        spec,
        changed(intact, (t) => {
          delete stage(t, 'Live').OnFailure;
        }),
      ),
    ).toEqual([]);
  });

  it('refuses an OnFailure that only fails the stage', () => {
    expect(
      weakenings((t) => {
        stage(t, 'Live').OnFailure = { Result: 'FAIL' };
      }),
    ).toEqual(['Live: rollback on failure is gone (OnFailure is no longer ROLLBACK)']);
  });
});

describe("the next guard's spec, edge cases", () => {
  const live = SPEC.production[0];

  it.each<[string, GateSpec, string]>([
    [
      'another self-mutation stage',
      { ...SPEC, selfMutation: { stage: 'Mutate', action: 'SelfMutate' } },
      'the guard would look for Mutate/SelfMutate instead of UpdatePipeline/SelfMutate',
    ],
    [
      'another self-mutation action',
      { ...SPEC, selfMutation: { stage: 'UpdatePipeline', action: 'Noop' } },
      'the guard would look for UpdatePipeline/Noop instead of UpdatePipeline/SelfMutate',
    ],
    [
      'another assembly',
      { ...SPEC, pipelineStack: { assembly: 'decoy.out', stack: 'PipelineStack' } },
      'the guard would read PipelineStack in decoy.out instead of PipelineStack in .',
    ],
    [
      'the approval moved to a stage of another name',
      { ...SPEC, production: [{ ...live, approval: { ...live.approval!, stage: 'Elsewhere' } }] },
      'Live: the approval stage ApproveLive is gone',
    ],
    [
      'another window',
      { ...SPEC, production: [{ ...live, window: { cron: '* * * ? * *', timeZone: 'UTC' } }] },
      'Live: the deployment window changed from "* * 9-15 ? * MON-THU" (Europe/London) to "* * * ? * *" (UTC)',
    ],
    [
      'the bake watching another alarm',
      { ...SPEC, production: [{ ...live, bake: { ...live.bake!, alarmName: 'quiet' } }] },
      'Live: Bake watches quiet instead of example-live-stage-unhealthy',
    ],
    [
      'a check of another kind',
      {
        ...SPEC,
        production: [
          {
            ...live,
            checks: [{ ...live.checks[0], category: 'Build', provider: 'CodeBuild' }, ...live.checks.slice(1)],
          },
        ],
      },
      'Live: TerminationProtection is no longer a Invoke/Lambda action (it is Build/CodeBuild)',
    ],
  ])('refuses %s', (_, next, message) => {
    expect(specWeakenings(SPEC, next)).toEqual([message]);
  });
});

describe('the gates of the next pipeline, values the template may hold', () => {
  const live = SPEC.production[0];
  const withoutApproval: GateSpec = { ...SPEC, production: [{ ...live, approval: undefined }] };
  const moveStage = (t: Record<string, any>, name: string, to: number) => {
    const stages = t.Resources.Pipeline.Properties.Stages;
    stages.splice(to, 0, stages.splice(stages.indexOf(stage(t, name)), 1)[0]);
  };

  it('reads a missing run order as 1, as CodePipeline does, for a deploy and for the change review', () => {
    // RunOrder defaults to 1: https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_codepipeline.CommonActionProps.html
    expect(
      weakenings((t) => {
        delete actionOf(t, 'Live', 'Stateful.Deploy').RunOrder;
        delete actionOf(t, 'ApproveLive', 'ChangeReview').RunOrder;
      }),
    ).toEqual([]);
  });

  it('skips stages, actions and conditions that are not objects, and an OnFailure of null', () => {
    expect(
      weakenings((t) => {
        stage(t, 'Live').Actions.unshift(null);
        stage(t, 'ApproveLive').Actions.push(7);
        stage(t, 'Live').BeforeEntry.Conditions.unshift(null);
        t.Resources.Pipeline.Properties.Stages.unshift(null, 'Source');
      }),
    ).toEqual([]);
    expect(
      weakenings((t) => {
        stage(t, 'Live').OnFailure = null;
      }),
    ).toEqual(['Live: rollback on failure is gone (OnFailure is no longer ROLLBACK)']);
  });

  it('names an action type or a window that is not literal text as empty', () => {
    expect(
      weakenings((t) => {
        actionOf(t, 'Live', 'HealthCheck').ActionTypeId = { Category: { Ref: 'Category' } };
      }),
    ).toEqual(['Live: HealthCheck is no longer a Invoke/Lambda action (it is /)']);
    expect(
      weakenings((t) => {
        stageRule(t, 'BeforeEntry').Configuration = { Cron: { Ref: 'Cron' } };
      }),
    ).toEqual(['Live: the deployment window changed from "* * 9-15 ? * MON-THU" (Europe/London) to "" ()']);
  });

  it('counts bake parameters that are not text as absent, even a list holding the JSON', () => {
    expect(
      weakenings((t) => {
        const configuration = actionOf(t, 'Live', 'Bake').Configuration;
        configuration.UserParameters = [configuration.UserParameters];
      }),
    ).toEqual([
      'Live: Bake watches no alarm it names instead of example-live-stage-unhealthy',
      'Live: the bake is shorter, of no length it names instead of 30 minutes',
    ]);
  });

  it('ignores a pipeline resource without properties', () => {
    expect(
      weakenings((t) => {
        t.Resources.Empty = { Type: 'AWS::CodePipeline::Pipeline' };
      }),
    ).toEqual([]);
  });

  it('finds a production stage that comes first, after which its approval and the self-mutation run', () => {
    expect(weakenings((t) => moveStage(t, 'Live', 0))).toEqual([
      'Live: the approval stage ApproveLive no longer runs before Live',
      'Live: UpdatePipeline no longer runs before it',
    ]);
  });

  it('finds an approval stage that comes first, and wants the self-mutation before it', () => {
    expect(weakenings((t) => moveStage(t, 'ApproveLive', 0))).toEqual([
      'Live: UpdatePipeline no longer runs before it',
    ]);
  });

  it('does not count an approval stage that is the production stage itself as running before it', () => {
    const spec: GateSpec = { ...SPEC, production: [{ ...live, approval: { ...live.approval!, stage: 'Live' } }] };
    expect(pipelineWeakenings(spec, intact)).toEqual([
      'Live: the approval stage Live no longer runs before Live',
      'Live: ChangeReview (Build/CodeBuild) is gone from Live',
      'Live: ApproveToLive (Approval/Manual) is gone from Live',
    ]);
  });

  it('judges the run order of the approval actions only between those of the right kind', () => {
    expect(
      weakenings((t) => {
        actionOf(t, 'ApproveLive', 'ChangeReview').ActionTypeId.Category = 'Invoke';
        actionOf(t, 'ApproveLive', 'ChangeReview').RunOrder = 3;
      }),
    ).toEqual(['Live: ChangeReview in ApproveLive is no longer a Build/CodeBuild action (it is Invoke/CodeBuild)']);
  });

  it('wants the self-mutation before a production stage that has no approval gate', () => {
    expect(pipelineWeakenings(withoutApproval, intact)).toEqual([]);
    expect(
      pipelineWeakenings(
        withoutApproval,
        changed(intact, (t) => moveStage(t, 'UpdatePipeline', 5)),
      ),
    ).toEqual(['Live: UpdatePipeline no longer runs before it']);
  });

  it('does not ask where the self-mutation runs when neither the production stage nor its approval is left', () => {
    expect(
      weakenings((t) => {
        stage(t, 'Live').Name = 'Production';
        stage(t, 'ApproveLive').Name = 'ApproveProduction';
      }),
    ).toEqual(['Live: the production stage is gone (removed or renamed)']);
  });
});

describe("the next guard's spec, stages matched by name", () => {
  const live = SPEC.production[0];
  const dr: StageGates = { stage: 'Dr', rollbackOnFailure: true, checks: [{ ...live.checks[1] }] };

  it('matches each production stage by its name, in whatever order the next spec lists them', () => {
    expect(specWeakenings({ ...SPEC, production: [live, dr] }, { ...SPEC, production: [dr, live] })).toEqual([]);
  });

  it('accepts a stage without an approval gate, and one that gains it', () => {
    const withoutApproval: GateSpec = { ...SPEC, production: [{ ...live, approval: undefined }] };
    expect(specWeakenings(withoutApproval, withoutApproval)).toEqual([]);
    expect(specWeakenings(withoutApproval, SPEC)).toEqual([]);
  });
});

describe('what a pipeline and a spec hold of a stage', () => {
  const live = SPEC.production[0];
  const stagesOfIntact = (change: (t: Record<string, any>) => void) =>
    changed(intact, change).Resources.Pipeline.Properties.Stages;

  it('lists no action for a stage without actions', () => {
    const observed = observedStageGates(
      stagesOfIntact((t) => delete stage(t, 'Live').Actions),
      live,
    );
    expect(observed?.actions).toEqual([]);
  });

  it('reads an action without a name as nameless, so it stands for no gate', () => {
    const observed = observedStageGates(
      stagesOfIntact((t) => delete actionOf(t, 'Live', 'HealthCheck').Name),
      live,
    );
    expect(observed?.actions.filter((a) => a.category === 'Invoke').map((a) => a.name)).toEqual([
      'TerminationProtection',
      'DrCheck',
      '',
      'Bake',
    ]);
  });

  it('holds just the checks of a spec stage without a bake', () => {
    expect(observedFromSpec({ ...live, bake: undefined }, live).actions).toEqual(
      live.checks.map((c) => ({ ...c, afterDeploy: true })),
    );
  });
});
