import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ENV_NAMES } from '../../../contracts/env-names';
import { PreTrafficHook } from '../../../lib/platform/release/pre-traffic-hook';
import { synthApp } from '../../support/synth';

type Resource = { Type: string; Properties: Record<string, any>; UpdatePolicy?: any; DependsOn?: string[] };
const built = synthApp();
const EXPECTED_PROBE: Record<string, string> = {
  Health: 'healthEndpoint',
  ProjectsApi: 'apiRoute',
  ProjectScoping: 'aiModel',
  QuoteEstimation: 'aiModel',
  Notify: 'worker',
};

describe.each(built.config.stages.map((s) => s.name))('Pre-traffic hooks of the %s Service stack', (stageName) => {
  const resources = built.template(stageName, 'Service').toJSON().Resources as Record<string, Resource>;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const aliases = ofType('AWS::Lambda::Alias');
  const policiesOf = (roleId: string) =>
    ofType('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);

  it("wires a pre-traffic hook into every deployment group (the live alias's BeforeAllowTrafficHook)", () => {
    expect(aliases).toHaveLength(5);
    const hooks = aliases.map(([, a]) => a.UpdatePolicy.CodeDeployLambdaAliasUpdate.BeforeAllowTrafficHook?.Ref);
    for (const hook of hooks) expect(resources[hook]?.Type).toBe('AWS::Lambda::Function');
    // One hook per deployment group: each knows its own function's new version.
    expect(new Set(hooks).size).toBe(5);
  });

  it('makes every live alias depend on its hook, so the hook and its target version update before CodeDeploy calls it', () => {
    for (const [id, alias] of aliases) {
      const hook = alias.UpdatePolicy.CodeDeployLambdaAliasUpdate.BeforeAllowTrafficHook.Ref;
      expect({ id, dependsOn: alias.DependsOn ?? [] }).toEqual({ id, dependsOn: expect.arrayContaining([hook]) });
    }
  });

  it.each(Object.keys(EXPECTED_PROBE))(
    'the %s hook probes the version the alias is about to move to, with its harmless request',
    (name) => {
      const [, alias] = aliases.find(([id]) => id.startsWith(`Functions${name}Live`))!;
      const update = alias.UpdatePolicy.CodeDeployLambdaAliasUpdate;
      const hook = resources[update.BeforeAllowTrafficHook.Ref];
      const variables = hook.Properties.Environment.Variables;
      expect(variables[ENV_NAMES.preTrafficTargetVersion]).toEqual({
        Ref: alias.Properties.FunctionVersion['Fn::GetAtt'][0],
      });
      expect(variables[ENV_NAMES.preTrafficProbe]).toBe(EXPECTED_PROBE[name]);
      expect(Number(variables[ENV_NAMES.reportReserveMs])).toBeLessThan(hook.Properties.Timeout * 1000);
      expect(hook.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });

      // The hook's role: its log group, X-Ray, invoking its target's versions, reporting to its own deployment group. Nothing else.
      const statements = policiesOf(hook.Properties.Role['Fn::GetAtt'][0]);
      const actions = statements.flatMap((s: any) => [s.Action].flat()).sort();
      expect(actions).toEqual([
        'codedeploy:PutLifecycleEventHookExecutionStatus',
        'lambda:InvokeFunction',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
      const invoke = statements.find((s: any) => s.Action === 'lambda:InvokeFunction');
      expect(invoke.Resource).toEqual({
        'Fn::Join': ['', [{ 'Fn::GetAtt': [alias.Properties.FunctionName.Ref, 'Arn'] }, ':*']],
      });
      const report = statements.find((s: any) => s.Action === 'codedeploy:PutLifecycleEventHookExecutionStatus');
      expect(JSON.stringify(report.Resource)).toContain(JSON.stringify({ Ref: update.DeploymentGroupName.Ref }));
      expect(JSON.stringify(report.Resource)).toContain(':deploymentgroup:');

      // CodeDeploy's role (the group's service role) may invoke the hook.
      const [group] = ofType('AWS::CodeDeploy::DeploymentGroup')
        .filter(([id]) => id === update.DeploymentGroupName.Ref)
        .map(([, g]) => g);
      const codeDeployInvokes = policiesOf(group.Properties.ServiceRoleArn['Fn::GetAtt'][0])
        .filter((s: any) => s.Action === 'lambda:InvokeFunction')
        .flatMap((s: any) => [s.Resource].flat());
      expect(codeDeployInvokes).toContainEqual({ 'Fn::GetAtt': [update.BeforeAllowTrafficHook.Ref, 'Arn'] });
    },
  );
});

describe('PreTrafficHook', () => {
  it('rejects a timeout that leaves no time beyond the report reserve, naming both', () => {
    const stack = new Stack(new App(), 'Test');
    const target = new lambda.Function(stack, 'Target', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    });
    expect(
      () =>
        new PreTrafficHook(stack, 'Hook', {
          target,
          targetVersion: target.currentVersion,
          probe: 'worker',
          stage: 'dev',
          logRetentionDays: 7,
          timeout: Duration.seconds(5),
        }),
    ).toThrow('Hook: timeout must be longer than the 5000 ms kept back to report, got 5000 ms');
  });
});
