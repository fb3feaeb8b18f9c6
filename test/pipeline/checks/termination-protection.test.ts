import { resourceNames, TERMINATION_PROTECTION_FUNCTION_ROLE_NAME } from '../../../contracts/resource-names';
import { stageNamed } from '../../support/pipeline-shape';
import { synthApp } from '../../support/synth';

const built = synthApp();
const template = built.pipelineTemplate;
const resources = template.toJSON().Resources as Record<string, any>;

describe('Termination protection after each deploy (point 5)', () => {
  it('runs in Prod, whose config asks for it, after every deploy and before the health check', () => {
    const prod = stageNamed(template, 'Prod').actions;
    const protect = prod.find((a) => a.name === 'TerminationProtection')!;
    expect(protect.provider).toBe('Lambda');
    const lastDeploy = Math.max(...prod.filter((a) => a.provider === 'CloudFormation').map((a) => a.runOrder));
    expect(protect.runOrder).toBeGreaterThan(lastDeploy);
    expect(prod.find((a) => a.name === 'HealthCheck')!.runOrder).toBeGreaterThan(protect.runOrder);
  });

  it("is passed every stack of the stage and the stage's termination protection role", () => {
    const protect = stageNamed(template, 'Prod').actions.find((a) => a.name === 'TerminationProtection')!;
    const params = JSON.parse(protect.configuration.UserParameters as string);
    expect(params.stackNames).toEqual(built.stage('prod').stackNames);
    expect(params.roleArn).toBe(built.stage('prod').terminationProtectionRoleArn);
    expect(params.roleArn).toContain(`:role/${resourceNames('prod').terminationProtectionRole}`);
  });

  it("tells Prod's health check to fail on an unprotected stack, and only Prod's", () => {
    const health = (stage: string) =>
      JSON.parse(
        stageNamed(template, stage).actions.find((a) => a.name === 'HealthCheck')!.configuration
          .UserParameters as string,
      );
    expect(health('Prod').terminationProtection).toBe(true);
    expect(health('Dev').terminationProtection).toBeUndefined();
    expect(health('Staging').terminationProtection).toBeUndefined();
  });

  it('is absent from stages that do not ask for it', () => {
    for (const stage of ['Dev', 'Staging'])
      expect(stageNamed(template, stage).actions.map((a) => a.name)).not.toContain('TerminationProtection');
    expect(built.stage('staging').terminationProtectionRoleArn).toBeUndefined();
  });

  it("runs as a function whose role may assume only Prod's termination protection role", () => {
    const roleId = Object.keys(resources).find(
      (id) =>
        resources[id].Type === 'AWS::IAM::Role' &&
        resources[id].Properties.RoleName === TERMINATION_PROTECTION_FUNCTION_ROLE_NAME,
    )!;
    const assumes = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`))
      .flatMap((r) => r.Properties.PolicyDocument.Statement)
      .filter((s) => s.Action === 'sts:AssumeRole')
      .flatMap((s) => [s.Resource].flat());
    expect(assumes).toEqual([built.stage('prod').terminationProtectionRoleArn]);
  });
});

describe('The termination protection role in the stage account', () => {
  const roleOf = (stage: string) =>
    Object.entries(built.template(stage, 'Service').toJSON().Resources as Record<string, any>).find(
      ([, r]) =>
        r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === resourceNames(stage).terminationProtectionRole,
    );

  it("may only update and describe the stage's own stacks", () => {
    const [id] = roleOf('prod')!;
    const statements = Object.values(built.template('prod', 'Service').toJSON().Resources as Record<string, any>)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${id}"`))
      .flatMap((r) => r.Properties.PolicyDocument.Statement);
    expect(statements).toHaveLength(1);
    expect([...statements[0].Action].sort()).toEqual([
      'cloudformation:DescribeStacks',
      'cloudformation:UpdateTerminationProtection',
    ]);
    const resourcesText = JSON.stringify(statements[0].Resource);
    for (const stack of built.stage('prod').stacks) expect(resourcesText).toContain(`:cloudformation:${stack.region}:`);
    const names = [statements[0].Resource]
      .flat()
      .map((r: any) => JSON.stringify(r).match(/stack\/([A-Za-z0-9-]+)\/\*/)![1]);
    expect(names.sort()).toEqual([...built.stage('prod').stackNames].sort());
  });

  it("trusts only the termination protection function's role of the pipeline account", () => {
    const [, role] = roleOf('prod')!;
    const trust = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toHaveLength(1);
    expect(JSON.stringify(trust[0].Principal)).toContain(`:iam::${built.config.pipeline.account}:root`);
    expect(JSON.stringify(trust[0].Condition.ArnEquals['aws:PrincipalArn'])).toContain(
      `:iam::${built.config.pipeline.account}:role/${TERMINATION_PROTECTION_FUNCTION_ROLE_NAME}`,
    );
  });

  it('exists only in stages that ask for termination protection', () => {
    expect(roleOf('staging')).toBeUndefined();
    expect(roleOf('dev')).toBeUndefined();
  });
});
