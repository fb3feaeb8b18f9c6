import type { Template } from 'aws-cdk-lib/assertions';
import { lambdaDeploymentConfig, trafficShiftMinutes } from '../../../lib/platform/release/deployment-config';
import { synthApp } from '../../support/synth';
import { configWith } from '../../support/context';

type Resource = { Type: string; Properties: Record<string, any> };
const resources = (t: Template, type: string): Array<[string, Resource]> =>
  Object.entries(t.findResources(type)) as Array<[string, Resource]>;

const built = synthApp();

describe.each(built.config.stages.map((s) => s.name))('Releases of the %s Service stack', (stageName) => {
  const config = built.stage(stageName).config;
  const template = built.template(stageName, 'Service');
  const groups = resources(template, 'AWS::CodeDeploy::DeploymentGroup').map(([, g]) => g);
  const expectedConfig = `CodeDeployDefault.Lambda${config.release.deploymentConfig.replace(/_/g, '')}`;

  it("has one deployment group per API and workflow function, in one application, with the stage's deployment config", () => {
    expect(groups).toHaveLength(5);
    const [[appId]] = resources(template, 'AWS::CodeDeploy::Application');
    for (const group of groups) {
      expect(group.Properties.ApplicationName).toEqual({ Ref: appId });
      expect(String(group.Properties.DeploymentConfigName).toLowerCase()).toBe(expectedConfig.toLowerCase());
      expect(group.Properties.AutoRollbackConfiguration).toEqual({
        Enabled: true,
        Events: expect.arrayContaining([
          'DEPLOYMENT_FAILURE',
          'DEPLOYMENT_STOP_ON_REQUEST',
          'DEPLOYMENT_STOP_ON_ALARM',
        ]),
      });
    }
  });

  it("watches each function's own error and p99 latency alarms, at the stage's thresholds, in every group", () => {
    const alarms = Object.fromEntries(resources(template, 'AWS::CloudWatch::Alarm'));
    const watched = new Set<string>();
    for (const group of groups) {
      const names = group.Properties.AlarmConfiguration.Alarms.map((a: { Name: { Ref: string } }) => a.Name.Ref);
      expect(group.Properties.AlarmConfiguration.Enabled).toBe(true);
      expect(names).toHaveLength(2);
      const kinds = names.map((id: string) => alarms[id].Properties);
      const errors = kinds.find((p: any) => p.MetricName === 'Errors');
      const latency = kinds.find((p: any) => p.MetricName === 'Duration');
      expect(errors).toMatchObject({ Threshold: config.release.maxErrors, Statistic: 'Sum', Period: 60 });
      const isApi = /Health|ProjectsApi/.test(JSON.stringify(errors.Dimensions));
      expect(latency).toMatchObject({
        Threshold: isApi ? config.release.apiLatencyP99Ms : config.release.workerLatencyP99Ms,
        ExtendedStatistic: 'p99',
        Period: 60,
      });
      // A rollback is worth a look: both alarms notify the warning topic.
      for (const alarm of [errors, latency]) expect(JSON.stringify(alarm.AlarmActions)).toContain('TopicsWarning');
      // Both alarms watch the alias the group shifts.
      expect(JSON.stringify(errors.Dimensions)).toEqual(JSON.stringify(latency.Dimensions));
      names.forEach((n: string) => watched.add(n));
    }
    expect(watched.size).toBe(10);
  });

  it("puts every live alias under CodeDeploy's control (its update policy names a deployment group)", () => {
    const aliases = resources(template, 'AWS::Lambda::Alias');
    const groupIds = resources(template, 'AWS::CodeDeploy::DeploymentGroup').map(([id]) => id);
    expect(aliases).toHaveLength(5);
    for (const [, alias] of aliases) {
      const policy = (alias as any).UpdatePolicy.CodeDeployLambdaAliasUpdate;
      expect(groupIds).toContain(policy.DeploymentGroupName.Ref);
    }
  });
});

describe('Deployment configs', () => {
  it('include all-at-once and a canary in the config these tests build from, so the releases above test both', () => {
    const configs = built.config.stages.map((s) => s.release.deploymentConfig);
    expect(configs).toContain('ALL_AT_ONCE');
    expect(configs.some((c) => c.startsWith('CANARY_'))).toBe(true);
  });

  it('models the traffic-shift time of each config', () => {
    expect(trafficShiftMinutes('ALL_AT_ONCE')).toBe(0);
    expect(trafficShiftMinutes('CANARY_10PERCENT_5MINUTES')).toBe(5);
    expect(trafficShiftMinutes('CANARY_10PERCENT_30MINUTES')).toBe(30);
    expect(trafficShiftMinutes('LINEAR_10PERCENT_EVERY_1MINUTE')).toBe(9);
    expect(trafficShiftMinutes('LINEAR_10PERCENT_EVERY_3MINUTES')).toBe(27);
    expect(lambdaDeploymentConfig('LINEAR_10PERCENT_EVERY_2MINUTES').deploymentConfigName).toBe(
      'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes',
    );
  });

  it('rejects an unknown deployment config naming the key, value and what is accepted', () => {
    expect(() => configWith({ 'staging.release.deploymentConfig': 'CANARY_50PERCENT' })).toThrow(
      /staging\.release\.deploymentConfig.*CANARY_50PERCENT[\s\S]*ALL_AT_ONCE, CANARY_10PERCENT_5MINUTES/,
    );
  });
});
