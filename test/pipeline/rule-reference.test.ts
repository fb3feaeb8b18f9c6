import { App, Stack } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import { configWith } from '../support/context';
import { pipelineStages } from '../support/pipeline-shape';
import { synthApp } from '../support/synth';
import { RULE_REFERENCE, ruleConfigurationProblems } from '../../lib/pipeline/rule-reference';
import { applyStageConditions, stageConditions } from '../../lib/pipeline/stage-conditions';

const template = synthApp().pipelineTemplate;
const rulesOf = (stage: Record<string, any>): any[] =>
  ['BeforeEntry', 'OnSuccess', 'OnFailure'].flatMap((kind) =>
    (stage[kind]?.Conditions ?? []).flatMap((c: any) => c.Rules ?? []),
  );
const allRules = pipelineStages(template).flatMap((s) => rulesOf(s.raw));

describe('Every rule of the pipeline, against the CodePipeline rule reference (point 3)', () => {
  it('has rules to check (a window is on by default; the bake is an action, not a rule)', () => {
    expect(allRules.map((r) => r.RuleTypeId.Provider).sort()).toEqual(['DeploymentWindow']);
  });

  it('uses only configuration keys its provider accepts, with accepted values, and every required key', () => {
    for (const rule of allRules)
      expect({ rule: rule.Name, problems: ruleConfigurationProblems(rule) }).toEqual({ rule: rule.Name, problems: [] });
  });
});

describe('ruleConfigurationProblems', () => {
  const rule = (Provider: string, Configuration: Record<string, unknown>) => ({
    Name: 'R',
    RuleTypeId: { Provider },
    Configuration,
  });

  it('names a missing AlarmStates, which the reference requires in at least one partition', () => {
    expect(RULE_REFERENCE.CloudWatchAlarm.AlarmStates.required).toBe(true);
    expect(ruleConfigurationProblems(rule('CloudWatchAlarm', { AlarmName: 'a', WaitTime: '5' }))).toEqual([
      'rule R: CloudWatchAlarm requires AlarmStates (a comma-separated list of ALARM, OK, INSUFFICIENT_DATA)',
    ]);
  });

  it('names an unknown key, a bad value and an unknown provider', () => {
    expect(
      ruleConfigurationProblems(
        rule('CloudWatchAlarm', { AlarmName: 'a', AlarmStates: 'ALARM', WaitTimeMinutes: '5' }),
      ),
    ).toEqual([
      'rule R: CloudWatchAlarm has no configuration key WaitTimeMinutes (accepted: AlarmName, AlarmStates, WaitTime)',
    ]);
    expect(
      ruleConfigurationProblems(rule('CloudWatchAlarm', { AlarmName: 'a', AlarmStates: 'RED', WaitTime: '0' })),
    ).toEqual([
      'rule R: AlarmStates = "RED" is not a comma-separated list of ALARM, OK, INSUFFICIENT_DATA',
      'rule R: WaitTime = "0" is not a whole number of minutes, at least 1',
    ]);
    expect(
      ruleConfigurationProblems(rule('DeploymentWindow', { Cron: '* * 9-15 ? * MON-THU', TimeZone: 'Europe/London' })),
    ).toEqual([]);
    expect(ruleConfigurationProblems(rule('DeploymentWindow', { TimeZone: 'Europe/London' }))).toEqual([
      'rule R: DeploymentWindow requires Cron (a cron expression of 6 or 7 fields)',
    ]);
    expect(ruleConfigurationProblems(rule('LambdaInvoke', {}))[0]).toMatch(
      /provider LambdaInvoke is not in the rule reference table/,
    );
  });

  it('accepts the deployment window rule as the pipeline declares it', () => {
    const prod = configWith().stages.find((s) => s.name === 'prod')!;
    const rules = stageConditions(prod).BeforeEntry!.Conditions.flatMap((c) => c.Rules);
    expect(rules.flatMap((r) => ruleConfigurationProblems(r))).toEqual([]);
  });

  it('is applied at synth: a stage whose rule the reference rejects fails applyStageConditions with the problem', () => {
    const stack = new Stack(new App(), 'Bare', { env: { account: '999999999999', region: 'eu-west-2' } });
    const pipeline = new codepipeline.Pipeline(stack, 'BarePipeline', { pipelineType: codepipeline.PipelineType.V2 });
    const config = configWith();
    for (const s of config.stages) pipeline.addStage({ stageName: s.displayName, actions: [] });
    const bad = {
      ...config,
      stages: config.stages.map((s) =>
        s.name === 'prod'
          ? { ...s, delivery: { ...s.delivery, window: { cron: '* * 9-15', timeZone: 'Europe/London' } } }
          : s,
      ),
    };
    expect(() => applyStageConditions(pipeline, bad)).toThrow(
      'BarePipeline: stage Prod: rule ProdDeploymentWindow: Cron = "* * 9-15" is not a cron expression of 6 or 7 fields',
    );
  });
});
