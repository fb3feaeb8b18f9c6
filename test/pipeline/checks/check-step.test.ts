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

const checksOf = (stageName: string) => {
  const actions = stageNamed(template, stageName).actions;
  const deploys = actions.filter((a) => a.provider === 'CloudFormation');
  const lambdas = actions.filter((a) => a.provider === 'Lambda');
  return { deploys, lambdas, byName: (n: string) => lambdas.find((a) => a.name === n) };
};

describe('Post-deploy checks in the pipeline', () => {
  const healthFn = functionLogicalId(CHECK_ROLE_NAMES.health);
  const drFn = functionLogicalId(CHECK_ROLE_NAMES.dr);

  it.each(['Dev', 'Staging', 'Prod'])(
    '%s runs a stage health check Lambda action after all its deploys',
    (stageName) => {
      const { deploys, byName } = checksOf(stageName);
      const health = byName('HealthCheck');
      expect(health).toBeDefined();
      expect(health!.runOrder).toBeGreaterThan(Math.max(...deploys.map((d) => d.runOrder)));
      expect(health!.configuration.FunctionName).toEqual({ Ref: healthFn });
    },
  );

  it.each(['Staging', 'Prod'])('%s runs a DR check Lambda action after all its deploys', (stageName) => {
    const { deploys, byName } = checksOf(stageName);
    const dr = byName('DrCheck');
    expect(dr).toBeDefined();
    expect(dr!.runOrder).toBeGreaterThan(Math.max(...deploys.map((d) => d.runOrder)));
    expect(dr!.configuration.FunctionName).toEqual({ Ref: drFn });
  });

  it('runs no DR check after Dev, which has no backup plan', () => {
    expect(checksOf('Dev').lambdas.map((a) => a.name)).toEqual(['HealthCheck']);
  });

  it.each(['dev', 'staging', 'prod'])(
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

  it('gives the Prod DR check the restore-job age rule and Staging none', () => {
    const dr = (s: string) =>
      parseCheckParameters(checksOf(s).byName('DrCheck')!.configuration.UserParameters, {
        requireRole: true,
        requireDr: true,
      }).dr!;
    const prodBackup = built.stage('prod').config.backup!;
    expect(dr('Prod')).toMatchObject({
      drRegion: built.stage('prod').config.drRegion,
      recoveryPointMaxAgeHours: prodBackup.dr.recoveryPointMaxAgeHours,
      restoreJobMaxAgeDays: 35,
    });
    expect(dr('Staging').restoreJobMaxAgeDays).toBeUndefined();
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
    expect(assumable(CHECK_ROLE_NAMES.health)).toEqual(
      ['dev', 'staging', 'prod'].map((n) => built.stage(n).checkRoleArn).sort(),
    );
    expect(assumable(CHECK_ROLE_NAMES.dr)).toEqual(['staging', 'prod'].map((n) => built.stage(n).checkRoleArn).sort());
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
    // The real Prod stage: its region map comes from PlatformStage.stackRegions, which the change review shares.
    const stage = built.stage('prod');
    expect(PostDeployChecks.parametersFor(stage).stackRegions).toEqual({
      'Prod-EdgeSecurity': 'us-east-1',
      'Prod-DrVault': 'eu-west-1',
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
    const service = built.template('staging', 'Service');
    const pipelineAccount = built.config.pipeline.account;
    const [role] = Object.values(
      service.findResources('AWS::IAM::Role', {
        Properties: { RoleName: 'uk-home-improvement-staging-pipeline-check' },
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
