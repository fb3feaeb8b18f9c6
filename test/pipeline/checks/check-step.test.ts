import { Match } from 'aws-cdk-lib/assertions';
import { CHECK_ROLE_NAMES } from '../../../contracts/resource-names';
import { PostDeployChecks } from '../../../lib/pipeline/checks/post-deploy-checks';
import { MAX_USER_PARAMETERS_LENGTH, CheckStep } from '../../../lib/pipeline/checks/check-step';
import { parseCheckParameters } from '../../../lambda/pipeline/private/user-parameters';
import { stageNamed } from '../../support/pipeline-shape';
import { synthApp } from '../../support/synth';

const built = synthApp();
const template = built.pipelineTemplate;

function functionLogicalId(roleName: string): string {
  const roles = template.findResources('AWS::IAM::Role', { Properties: { RoleName: roleName } });
  const [roleId] = Object.keys(roles);
  const fns = template.findResources('AWS::Lambda::Function', {
    Properties: { Role: { 'Fn::GetAtt': [roleId, 'Arn'] } },
  });
  expect(Object.keys(fns)).toHaveLength(1);
  return Object.keys(fns)[0];
}

const stages = built.config.stages;
const withBackup = stages.filter((s) => s.backup !== undefined);
const withoutBackup = stages.filter((s) => s.backup === undefined);

const checksOf = (stageName: string) => {
  const actions = stageNamed(template, stageName).actions;
  const deploys = actions.filter((a) => a.provider === 'CloudFormation');
  const lambdas = actions.filter((a) => a.provider === 'Lambda');
  return { deploys, lambdas, byName: (n: string) => lambdas.find((a) => a.name === n) };
};

describe('Post-deploy checks in the pipeline', () => {
  const healthFn = functionLogicalId(CHECK_ROLE_NAMES.health);
  const drFn = functionLogicalId(CHECK_ROLE_NAMES.dr);

  it.each(stages.map((s) => s.displayName))(
    '%s runs a stage health check Lambda action after all its deploys',
    (stageName) => {
      const { deploys, byName } = checksOf(stageName);
      const health = byName('HealthCheck');
      expect(health).toBeDefined();
      expect(health!.runOrder).toBeGreaterThan(Math.max(...deploys.map((d) => d.runOrder)));
      expect(health!.configuration.FunctionName).toEqual({ Ref: healthFn });
    },
  );

  it.each(withBackup.map((s) => s.displayName))(
    '%s runs a DR check Lambda action after all its deploys',
    (stageName) => {
      const { deploys, byName } = checksOf(stageName);
      const dr = byName('DrCheck');
      expect(dr).toBeDefined();
      expect(dr!.runOrder).toBeGreaterThan(Math.max(...deploys.map((d) => d.runOrder)));
      expect(dr!.configuration.FunctionName).toEqual({ Ref: drFn });
    },
  );

  it('runs no DR check after a stage without a backup plan', () => {
    expect(withoutBackup.length).toBeGreaterThan(0);
    for (const stage of withoutBackup)
      expect(checksOf(stage.displayName).lambdas.map((a) => a.name)).toEqual(['HealthCheck']);
  });

  it.each(stages.map((s) => s.name))(
    'passes %s its stage, region, stack names and check role, in a shape the handler accepts',
    (name) => {
      const stage = built.stage(name);
      const health = checksOf(stage.config.displayName).byName('HealthCheck')!;
      const params = parseCheckParameters(health.configuration.UserParameters, { requireRole: true, requireDr: false });
      expect(params).toMatchObject({
        stage: name,
        region: stage.config.region,
        stackNames: stage.stackNames,
        roleArn: stage.checkRoleArn,
      });
      expect(String(health.configuration.UserParameters).length).toBeLessThanOrEqual(MAX_USER_PARAMETERS_LENGTH);
    },
  );

  it("gives each DR check its stage's DR region, recovery point age and restore-job age rule (none when off)", () => {
    const dr = (s: string) =>
      parseCheckParameters(checksOf(s).byName('DrCheck')!.configuration.UserParameters, {
        requireRole: true,
        requireDr: true,
      }).dr!;
    for (const stage of withBackup) {
      expect(dr(stage.displayName)).toMatchObject({
        drRegion: stage.drRegion,
        recoveryPointMaxAgeHours: stage.backup!.dr.recoveryPointMaxAgeHours,
      });
      expect(dr(stage.displayName).restoreJobMaxAgeDays).toBe(stage.backup!.dr.restoreJobMaxAgeDays);
    }
    // Both forms are in the config: a rule and one that is off.
    expect(new Set(withBackup.map((s) => s.backup!.dr.restoreJobMaxAgeDays === undefined))).toEqual(
      new Set([true, false]),
    );
  });

  it('runs the check functions on Node.js 22 on ARM with the report reserve set', () => {
    for (const id of [healthFn, drFn]) {
      expect(template.toJSON().Resources[id].Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Environment: { Variables: { REPORT_RESERVE_MS: '10000' } },
      });
    }
  });

  it('lets each check role assume exactly the check roles of the stages it checks', () => {
    const assumable = (roleName: string) => {
      const [roleId] = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { RoleName: roleName } }));
      return Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }))
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .filter((s: { Action: unknown }) => s.Action === 'sts:AssumeRole')
        .flatMap((s: { Resource: string | string[] }) => [s.Resource].flat())
        .sort();
    };
    expect(assumable(CHECK_ROLE_NAMES.health)).toEqual(stages.map((s) => built.stage(s.name).checkRoleArn).sort());
    expect(assumable(CHECK_ROLE_NAMES.dr)).toEqual(withBackup.map((s) => built.stage(s.name).checkRoleArn).sort());
  });

  it('lets the check roles report job results to CodePipeline', () => {
    for (const roleName of Object.values(CHECK_ROLE_NAMES)) {
      const [roleId] = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { RoleName: roleName } }));
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: roleId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: ['codepipeline:PutJobFailureResult', 'codepipeline:PutJobSuccessResult'] }),
          ]),
        },
      });
    }
  });

  it('tells the checks the region of each stack outside the primary region', () => {
    // A real stage with WAF and backup: its region map comes from PlatformStage.stackRegions, which the change review shares.
    const config = stages.find((s) => s.waf !== undefined && s.backup !== undefined)!;
    expect(PostDeployChecks.parametersFor(built.stage(config.name)).stackRegions).toEqual({
      [`${config.displayName}-EdgeSecurity`]: 'us-east-1',
      [`${config.displayName}-DrVault`]: config.drRegion,
    });
  });

  it('rejects user parameters longer than CodePipeline accepts, naming the step', () => {
    const fn = { functionName: 'f' } as never;
    const long = {
      stage: 'dev',
      region: 'eu-west-2',
      stackNames: Array.from({ length: 40 }, (_, i) => `Stack-With-A-Long-Name-${i}`),
    };
    expect(() => new CheckStep('HealthCheck', { function: fn, parameters: long })).toThrow(
      /^HealthCheck: user parameters are \d+ characters/,
    );
  });
});

describe('The stage check role', () => {
  it('trusts only the pipeline check roles and allows only the read calls the checks make', () => {
    // A stage with a backup plan, whose role the DR check uses too.
    const stage = withBackup[0];
    const service = built.template(stage.name, 'Service');
    const pipelineAccount = built.config.pipeline.account;
    const [role] = Object.values(
      service.findResources('AWS::IAM::Role', {
        Properties: { RoleName: `uk-home-improvement-${stage.name}-pipeline-check` },
      }),
    );
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain(
      `:${pipelineAccount}:role/${CHECK_ROLE_NAMES.health}`,
    );
    const actions = Object.values(service.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes('PipelineCheck'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions.sort()).toEqual([
      'backup:DescribeBackupVault',
      'backup:DescribeRegionSettings',
      'backup:GetBackupPlan',
      'backup:GetBackupSelection',
      'backup:GetRestoreTestingPlan',
      'backup:ListBackupSelections',
      'backup:ListCopyJobs',
      'backup:ListRecoveryPointsByResource',
      'backup:ListRestoreJobs',
      'cloudformation:DescribeStacks',
      'cloudwatch:DescribeAlarmHistory',
      'cloudwatch:DescribeAlarms',
      'cognito-idp:DescribeUserPool',
      'dynamodb:DescribeContinuousBackups',
      'dynamodb:DescribeTable',
      'kms:DescribeKey',
      'kms:GetKeyRotationStatus',
      's3:GetBucketVersioning',
      'secretsmanager:DescribeSecret',
      'states:DescribeStateMachine',
    ]);
  });
});
