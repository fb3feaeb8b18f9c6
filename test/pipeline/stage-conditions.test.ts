import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import { resourceNames } from '../../contracts/resource-names';
import {
  alarmReaderRoleArn,
  applyStageConditions,
  bakeTimeCondition,
  StageConditionDeclarations,
  stageConditions,
} from '../../lib/pipeline/stage-conditions';
import { configWith } from '../support/context';
import { pipelineResource, stageNamed } from '../support/pipeline-shape';
import { synthApp } from '../support/synth';

const ALL_OFF = {
  'dev.delivery.bakeTimeMinutes': 0,
  'staging.delivery.bakeTimeMinutes': 0,
  'prod.delivery.bakeTimeMinutes': 0,
  'prod.delivery.window.enabled': false,
  'prod.delivery.rollbackOnFailure': false,
  // Prod is a production stage: each of these needs its break-glass key.
  'prod.breakGlass.bake': 'Test of a pipeline without any stage condition',
  'prod.breakGlass.deploymentWindow': 'Test of a pipeline without any stage condition',
  'prod.breakGlass.rollbackOnFailure': 'Test of a pipeline without any stage condition',
};

const built = synthApp();
const template = built.pipelineTemplate;
const allOff = synthApp(ALL_OFF).pipelineTemplate;

/** The resolved (tokens as CloudFormation intrinsics) declaration of a stage's conditions. */
function conditionsOf(t: Template, stageName: string) {
  const raw = stageNamed(t, stageName).raw as StageConditionDeclarations;
  return { beforeEntry: raw.BeforeEntry, onSuccess: raw.OnSuccess, onFailure: raw.OnFailure };
}

function pipelineRoleStatements(t: Template): Array<{ readonly Action?: unknown; readonly Resource?: unknown }> {
  const roleRef = pipelineResource(t).RoleArn['Fn::GetAtt'][0];
  return Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleRef))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('Bake time', () => {
  it.each(['staging', 'prod'])(
    '%s rolls back when its stage-unhealthy alarm fires within its configured bake time',
    (name) => {
      const stage = built.config.stages.find((s) => s.name === name)!;
      const { onSuccess } = conditionsOf(template, stage.displayName);
      expect(onSuccess!.Conditions).toHaveLength(1);
      const [condition] = onSuccess!.Conditions;
      expect(condition.Result).toBe('ROLLBACK');
      expect(condition.Rules).toEqual([
        expect.objectContaining({
          RuleTypeId: { Category: 'Rule', Owner: 'AWS', Provider: 'CloudWatchAlarm', Version: '1' },
          Configuration: {
            AlarmName: resourceNames(stage.name).stageUnhealthyAlarm,
            AlarmStates: 'ALARM',
            WaitTime: String(stage.delivery.bakeTimeMinutes),
          },
          Region: stage.region,
        }),
      ]);
    },
  );

  it('waits 10 minutes in staging and 30 in prod by default', () => {
    expect(conditionsOf(template, 'Staging').onSuccess!.Conditions[0].Rules[0].Configuration.WaitTime).toBe('10');
    expect(conditionsOf(template, 'Prod').onSuccess!.Conditions[0].Rules[0].Configuration.WaitTime).toBe('30');
  });

  it("reads the alarm in the stage account through the stage's check role, which the pipeline role may assume", () => {
    const prod = built.config.stages.find((s) => s.name === 'prod')!;
    const roleArn = JSON.stringify(conditionsOf(template, 'Prod').onSuccess!.Conditions[0].Rules[0].RoleArn);
    expect(roleArn).toContain(`:iam::${prod.account}:role/${resourceNames('prod').checkRole}`);
    expect(roleArn).not.toContain('lookup-role');
    const assumes = pipelineRoleStatements(template).filter(
      (s) => s.Action === 'sts:AssumeRole' && JSON.stringify(s.Resource).includes('pipeline-check'),
    );
    expect(assumes.map((s) => JSON.stringify(s.Resource)).sort()).toEqual(
      ['staging', 'prod']
        .map((n) => built.config.stages.find((s) => s.name === n)!)
        .map((s) => JSON.stringify(new Stack(new App(), 'Resolver').resolve(alarmReaderRoleArn(s))))
        .sort(),
    );
  });

  it('is absent from Dev, whose bake time is 0', () => {
    expect(conditionsOf(template, 'Dev').onSuccess).toBeUndefined();
  });

  it('is absent from every stage when every bake time is 0, and the pipeline role assumes no check role', () => {
    for (const name of ['Dev', 'Staging', 'Prod']) expect(conditionsOf(allOff, name).onSuccess).toBeUndefined();
    expect(JSON.stringify(pipelineRoleStatements(allOff))).not.toContain('pipeline-check');
  });
});

describe('Prod deployment window', () => {
  it('holds executions before Prod outside Monday to Thursday 09:00 to 16:00 Europe/London by default', () => {
    const { beforeEntry } = conditionsOf(template, 'Prod');
    expect(beforeEntry!.Conditions).toEqual([
      {
        Result: 'FAIL',
        Rules: [
          expect.objectContaining({
            RuleTypeId: { Category: 'Rule', Owner: 'AWS', Provider: 'DeploymentWindow', Version: '1' },
            Configuration: { Cron: '* * 9-15 ? * MON-THU', TimeZone: 'Europe/London' },
          }),
        ],
      },
    ]);
  });

  it('gates only Prod', () => {
    expect(conditionsOf(template, 'Dev').beforeEntry).toBeUndefined();
    expect(conditionsOf(template, 'Staging').beforeEntry).toBeUndefined();
  });

  it('is absent when prod.delivery.window.enabled is false', () => {
    expect(conditionsOf(allOff, 'Prod').beforeEntry).toBeUndefined();
  });
});

describe('Prod rollback on failure', () => {
  it('rolls Prod back to the last successful execution when it fails', () => {
    expect(conditionsOf(template, 'Prod').onFailure).toEqual({ Result: 'ROLLBACK' });
  });

  it('does not roll back Dev or Staging, whose failures stop the promotion instead', () => {
    expect(conditionsOf(template, 'Dev').onFailure).toBeUndefined();
    expect(conditionsOf(template, 'Staging').onFailure).toBeUndefined();
  });

  it('is absent when prod.delivery.rollbackOnFailure is false', () => {
    expect(conditionsOf(allOff, 'Prod').onFailure).toBeUndefined();
  });
});

describe('Each option is independent of the others', () => {
  const config = configWith();
  const prod = config.stages.find((s) => s.name === 'prod')!;
  const roleArn = 'arn:aws:iam::333333333333:role/reader';

  const withDelivery = (overrides: Partial<typeof prod.delivery>) => ({
    ...prod,
    delivery: { ...prod.delivery, ...overrides },
  });

  it('turning the window off keeps bake time and rollback', () => {
    const c = stageConditions(withDelivery({ window: undefined }), roleArn);
    expect(Object.keys(c).sort()).toEqual(['OnFailure', 'OnSuccess']);
  });

  it('turning rollback off keeps the window and bake time', () => {
    const c = stageConditions(withDelivery({ rollbackOnFailure: false }), roleArn);
    expect(Object.keys(c).sort()).toEqual(['BeforeEntry', 'OnSuccess']);
  });

  it('a bake time of 0 keeps the window and rollback', () => {
    const c = stageConditions(withDelivery({ bakeTimeMinutes: 0 }), roleArn);
    expect(Object.keys(c).sort()).toEqual(['BeforeEntry', 'OnFailure']);
    expect(bakeTimeCondition(withDelivery({ bakeTimeMinutes: 0 }), roleArn)).toBeUndefined();
  });

  it("follows each stage's own delivery policy, not its position: a window and rollback given to Staging apply to Staging", () => {
    const staging = configWith({
      'staging.delivery.window.enabled': true,
      'staging.delivery.window.cron': '* * 8-17 ? * MON-FRI',
      'staging.delivery.rollbackOnFailure': true,
    }).stages.find((s) => s.name === 'staging')!;
    expect(Object.keys(stageConditions(staging, roleArn)).sort()).toEqual(['BeforeEntry', 'OnFailure', 'OnSuccess']);
  });
});

describe('applyStageConditions', () => {
  it('fails with the pipeline id when a configured stage is missing from the pipeline', () => {
    const stack = new Stack(new App(), 'Bare', { env: { account: '999999999999', region: 'eu-west-2' } });
    const pipeline = new codepipeline.Pipeline(stack, 'BarePipeline', { pipelineType: codepipeline.PipelineType.V2 });
    expect(() => applyStageConditions(pipeline, configWith())).toThrow(/^BarePipeline: no pipeline stage named Dev/);
  });
});
