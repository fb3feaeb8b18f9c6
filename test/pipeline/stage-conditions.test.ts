import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import { resourceNames } from '../../lib/config';
import {
  alarmReaderRoleArn, applyStageConditions, bakeTimeCondition, isProductionStage, stageConditions,
} from '../../lib/pipeline/stage-conditions';
import { configWith } from '../support/context';
import { pipelineResource, stageNamed } from '../support/pipeline-shape';
import { synthApp } from '../support/synth';

const ALL_OFF = {
  'dev.bakeTimeMinutes': 0,
  'staging.bakeTimeMinutes': 0,
  'prod.bakeTimeMinutes': 0,
  'pipeline.prodDeploymentWindow': 'off',
  'pipeline.rollbackProdOnFailure': false,
};

const built = synthApp();
const template = built.pipelineTemplate;
const allOff = synthApp(ALL_OFF).pipelineTemplate;

/** The resolved (tokens as CloudFormation intrinsics) declaration of a stage's conditions. */
function conditionsOf(t: Template, stageName: string) {
  const raw = stageNamed(t, stageName).raw as Record<string, any>;
  return { beforeEntry: raw.BeforeEntry, onSuccess: raw.OnSuccess, onFailure: raw.OnFailure };
}

function pipelineRoleStatements(t: Template): any[] {
  const roleRef = pipelineResource(t).RoleArn['Fn::GetAtt'][0];
  return Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleRef))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('Bake time', () => {
  it.each(['staging', 'prod'])('%s rolls back when its stage-unhealthy alarm fires within its configured bake time', (name) => {
    const stage = built.config.stages.find((s) => s.name === name)!;
    const { onSuccess } = conditionsOf(template, stage.displayName);
    expect(onSuccess.Conditions).toHaveLength(1);
    const [condition] = onSuccess.Conditions;
    expect(condition.Result).toBe('ROLLBACK');
    expect(condition.Rules).toEqual([expect.objectContaining({
      RuleTypeId: { Category: 'Rule', Owner: 'AWS', Provider: 'CloudWatchAlarm', Version: '1' },
      Configuration: { AlarmName: resourceNames(stage.name).stageUnhealthyAlarm, WaitTime: String(stage.bakeTimeMinutes) },
      Region: stage.region,
    })]);
  });

  it('waits 10 minutes in staging and 30 in prod by default', () => {
    expect(conditionsOf(template, 'Staging').onSuccess.Conditions[0].Rules[0].Configuration.WaitTime).toBe('10');
    expect(conditionsOf(template, 'Prod').onSuccess.Conditions[0].Rules[0].Configuration.WaitTime).toBe('30');
  });

  it('reads the alarm in the stage account through its bootstrap lookup role, which the pipeline role may assume', () => {
    const prod = built.config.stages.find((s) => s.name === 'prod')!;
    const roleArn = JSON.stringify(conditionsOf(template, 'Prod').onSuccess.Conditions[0].Rules[0].RoleArn);
    expect(roleArn).toContain(`:iam::${prod.account}:role/cdk-hnb659fds-lookup-role-${prod.account}-${prod.region}`);
    const assumes = pipelineRoleStatements(template).filter((s) => s.Action === 'sts:AssumeRole' && JSON.stringify(s.Resource).includes('lookup-role'));
    expect(assumes.map((s) => JSON.stringify(s.Resource)).sort()).toEqual(
      ['staging', 'prod'].map((n) => built.config.stages.find((s) => s.name === n)!)
        .map((s) => JSON.stringify(built.pipelineStack.resolve(alarmReaderRoleArn(s)))).sort(),
    );
  });

  it('is absent from Dev, whose bake time is 0', () => {
    expect(conditionsOf(template, 'Dev').onSuccess).toBeUndefined();
  });

  it('is absent from every stage when every bake time is 0, and the pipeline role assumes no lookup role', () => {
    for (const name of ['Dev', 'Staging', 'Prod']) expect(conditionsOf(allOff, name).onSuccess).toBeUndefined();
    expect(JSON.stringify(pipelineRoleStatements(allOff))).not.toContain('lookup-role');
  });
});

describe('Prod deployment window', () => {
  it('holds executions before Prod outside Monday to Thursday 09:00 to 16:00 Europe/London by default', () => {
    const { beforeEntry } = conditionsOf(template, 'Prod');
    expect(beforeEntry.Conditions).toEqual([{
      Result: 'FAIL',
      Rules: [expect.objectContaining({
        RuleTypeId: { Category: 'Rule', Owner: 'AWS', Provider: 'DeploymentWindow', Version: '1' },
        Configuration: { Cron: '* * 9-15 ? * MON-THU', TimeZone: 'Europe/London' },
      })],
    }]);
  });

  it('gates only Prod', () => {
    expect(conditionsOf(template, 'Dev').beforeEntry).toBeUndefined();
    expect(conditionsOf(template, 'Staging').beforeEntry).toBeUndefined();
  });

  it('is absent when the window is "off"', () => {
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

  it('is absent when rollbackProdOnFailure is false', () => {
    expect(conditionsOf(allOff, 'Prod').onFailure).toBeUndefined();
  });
});

describe('Each option is independent of the others', () => {
  const config = configWith();
  const prod = config.stages.find((s) => s.name === 'prod')!;
  const roleArn = 'arn:aws:iam::333333333333:role/reader';

  it('turning the window off keeps bake time and rollback', () => {
    const c = stageConditions(prod, { ...config.pipeline, prodDeploymentWindow: undefined }, true, roleArn);
    expect(Object.keys(c).sort()).toEqual(['OnFailure', 'OnSuccess']);
  });

  it('turning rollback off keeps the window and bake time', () => {
    const c = stageConditions(prod, { ...config.pipeline, rollbackProdOnFailure: false }, true, roleArn);
    expect(Object.keys(c).sort()).toEqual(['BeforeEntry', 'OnSuccess']);
  });

  it('a bake time of 0 keeps the window and rollback', () => {
    const c = stageConditions({ ...prod, bakeTimeMinutes: 0 }, config.pipeline, true, roleArn);
    expect(Object.keys(c).sort()).toEqual(['BeforeEntry', 'OnFailure']);
    expect(bakeTimeCondition({ ...prod, bakeTimeMinutes: 0 }, roleArn)).toBeUndefined();
  });

  it('the prod-only settings never reach a stage that is not last, even one with a manual approval', () => {
    const staging = config.stages.find((s) => s.name === 'staging')!;
    const approved = { ...staging, manualApproval: true };
    expect(isProductionStage(config, approved)).toBe(false);
    expect(isProductionStage(config, prod)).toBe(true);
    expect(Object.keys(stageConditions(approved, config.pipeline, false, roleArn))).toEqual(['OnSuccess']);
  });
});

describe('applyStageConditions', () => {
  it('fails with the pipeline id when a configured stage is missing from the pipeline', () => {
    const stack = new Stack(new App(), 'Bare', { env: { account: '999999999999', region: 'eu-west-2' } });
    const pipeline = new codepipeline.Pipeline(stack, 'BarePipeline', { pipelineType: codepipeline.PipelineType.V2 });
    expect(() => applyStageConditions(pipeline, configWith())).toThrow(/^BarePipeline: no pipeline stage named Dev/);
  });
});
