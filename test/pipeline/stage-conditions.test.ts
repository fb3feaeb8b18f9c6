import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import { resourceNames } from '../../contracts/resource-names';
import type { StageConditionDeclarations } from '../../lib/pipeline/stage-conditions';
import { applyStageConditions, stageConditions } from '../../lib/pipeline/stage-conditions';
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
  it('is no stage condition: no stage has an on-success condition (the Bake action watches the alarm)', () => {
    for (const stage of built.config.stages)
      expect(conditionsOf(template, stage.displayName).onSuccess).toBeUndefined();
  });

  it('leaves the pipeline role without access to the stage accounts beyond the CDK deploy role', () => {
    const assumed = pipelineRoleStatements(template)
      .filter((s) => s.Action === 'sts:AssumeRole')
      .map((s) => JSON.stringify(s.Resource));
    for (const stage of built.config.stages)
      expect(assumed.join(' ')).not.toContain(resourceNames(stage.name).checkRole);
  });

  it('is absent from every stage when every bake time is 0', () => {
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

  it('rolls Staging back too (a failed bake included), and not Dev, whose failures stop the promotion instead', () => {
    expect(conditionsOf(template, 'Staging').onFailure).toEqual({ Result: 'ROLLBACK' });
    expect(conditionsOf(template, 'Dev').onFailure).toBeUndefined();
  });

  it('is absent when prod.delivery.rollbackOnFailure is false', () => {
    expect(conditionsOf(allOff, 'Prod').onFailure).toBeUndefined();
  });
});

describe('Each option is independent of the others', () => {
  const config = configWith();
  const prod = config.stages.find((s) => s.name === 'prod')!;

  const withDelivery = (overrides: Partial<typeof prod.delivery>) => ({
    ...prod,
    delivery: { ...prod.delivery, ...overrides },
  });

  it('turning the window off keeps rollback', () => {
    const c = stageConditions(withDelivery({ window: undefined }));
    expect(Object.keys(c).sort()).toEqual(['OnFailure']);
  });

  it('turning rollback off keeps the window', () => {
    const c = stageConditions(withDelivery({ rollbackOnFailure: false }));
    expect(Object.keys(c).sort()).toEqual(['BeforeEntry']);
  });

  it('the bake time changes no condition', () => {
    expect(stageConditions(withDelivery({ bakeTimeMinutes: 0 }))).toEqual(
      stageConditions(withDelivery({ bakeTimeMinutes: 45 })),
    );
  });

  it("follows each stage's own delivery policy, not its position: a window and rollback given to Staging apply to Staging", () => {
    const staging = configWith({
      'staging.delivery.window.enabled': true,
      'staging.delivery.window.cron': '* * 8-17 ? * MON-FRI',
      'staging.delivery.rollbackOnFailure': true,
    }).stages.find((s) => s.name === 'staging')!;
    expect(Object.keys(stageConditions(staging)).sort()).toEqual(['BeforeEntry', 'OnFailure']);
  });
});

describe('applyStageConditions', () => {
  it('fails with the pipeline id when a configured stage is missing from the pipeline', () => {
    const stack = new Stack(new App(), 'Bare', { env: { account: '999999999999', region: 'eu-west-2' } });
    const pipeline = new codepipeline.Pipeline(stack, 'BarePipeline', { pipelineType: codepipeline.PipelineType.V2 });
    expect(() => applyStageConditions(pipeline, configWith())).toThrow(/^BarePipeline: no pipeline stage named Dev/);
  });
});
