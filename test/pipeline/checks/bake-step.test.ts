import { CHECK_ROLE_NAMES, resourceNames } from '../../../contracts/resource-names';
import { BAKE_ACTION_NAME } from '../../../lib/pipeline/checks/bake-action-name';
import { parseBakeParameters } from '../../../lambda/pipeline/private/user-parameters';
import { stageNamed } from '../../support/pipeline-shape';
import { synthApp } from '../../support/synth';

// Explicit bake times and rollback, so the test holds whatever cdk.json sets.
const built = synthApp({
  'dev.delivery.bakeTimeMinutes': 0,
  'staging.delivery.bakeTimeMinutes': 7,
  'staging.delivery.rollbackOnFailure': true,
  'prod.delivery.bakeTimeMinutes': 25,
  'prod.delivery.rollbackOnFailure': false,
  // Prod is a production stage: going without rollback needs its break-glass key.
  'prod.breakGlass.rollbackOnFailure': 'Test fixture: a production stage whose failed bake does not roll back',
});
const template = built.pipelineTemplate;
const lambdaActions = (stageName: string) =>
  stageNamed(template, stageName).actions.filter((a) => a.provider === 'Lambda');

function roleIdNamed(roleName: string): string {
  const [id] = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { RoleName: roleName } }));
  expect(id).toBeDefined();
  return id;
}

describe('The Bake action', () => {
  it.each([
    ['Staging', 'staging', 7],
    ['Prod', 'prod', 25],
  ])(
    '%s bakes after its health check, watching its stage-unhealthy alarm for its own bake time',
    (display, name, minutes) => {
      const actions = lambdaActions(display);
      const bake = actions.find((a) => a.name === BAKE_ACTION_NAME)!;
      const health = actions.find((a) => a.name === 'HealthCheck')!;
      expect(bake).toBeDefined();
      expect(bake.runOrder).toBeGreaterThan(health.runOrder);
      expect(parseBakeParameters(bake.configuration.UserParameters)).toEqual({
        stage: name,
        region: built.stage(name).config.region,
        roleArn: built.stage(name).checkRoleArn,
        alarmName: resourceNames(name).stageUnhealthyAlarm,
        minutes,
      });
    },
  );

  it('is absent from a stage whose bake time is 0', () => {
    expect(lambdaActions('Dev').map((a) => a.name)).not.toContain(BAKE_ACTION_NAME);
  });

  it('leaves no stage condition watching the alarm: a failed bake fails the stage, and rollbackOnFailure decides', () => {
    for (const display of ['Dev', 'Staging', 'Prod'])
      expect(stageNamed(template, display).raw.OnSuccess).toBeUndefined();
    expect(stageNamed(template, 'Staging').raw.OnFailure).toEqual({ Result: 'ROLLBACK' });
    expect(stageNamed(template, 'Prod').raw.OnFailure).toBeUndefined();
  });

  it('runs a function whose invocation ends well within the 20 minutes CodePipeline waits for a reply', () => {
    const roleId = roleIdNamed(CHECK_ROLE_NAMES.bake);
    const [fn] = Object.values(
      template.findResources('AWS::Lambda::Function', { Properties: { Role: { 'Fn::GetAtt': [roleId, 'Arn'] } } }),
    );
    expect(fn.Properties.Timeout).toBe(300);
    expect(fn.Properties.Environment.Variables.REPORT_RESERVE_MS).toBe('10000');
  });

  it('may assume exactly the check roles of the stages it bakes', () => {
    const roleId = roleIdNamed(CHECK_ROLE_NAMES.bake);
    const assumed = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
    )
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Action: unknown }) => s.Action === 'sts:AssumeRole')
      .flatMap((s: { Resource: string | string[] }) => [s.Resource].flat())
      .sort();
    expect(assumed).toEqual(['staging', 'prod'].map((n) => built.stage(n).checkRoleArn).sort());
  });
});

describe("The stage's check role, for the bake", () => {
  const service = built.template('staging', 'Service');
  const [role] = Object.values(
    service.findResources('AWS::IAM::Role', { Properties: { RoleName: resourceNames('staging').checkRole } }),
  );
  const statements = Object.values(service.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes('PipelineCheck'))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);

  it('trusts the bake function', () => {
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain(
      `:${built.config.pipeline.account}:role/${CHECK_ROLE_NAMES.bake}`,
    );
  });

  it('reads alarms and their history on *, the only scope CloudWatch answers composite alarms for', () => {
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarms'],
        Effect: 'Allow',
        Resource: '*',
      }),
    );
  });
});
