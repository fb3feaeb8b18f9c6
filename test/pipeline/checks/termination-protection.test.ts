import { resourceNames, TERMINATION_PROTECTION_FUNCTION_ROLE_NAME } from '../../../contracts/resource-names';
import { stageNamed } from '../../support/pipeline-shape';
import { synthApp } from '../../support/synth';

const built = synthApp();
const template = built.pipelineTemplate;
const resources = template.toJSON().Resources as Record<string, any>;
const protectedStages = built.config.stages.filter((s) => s.delivery.terminationProtection);
const unprotected = built.config.stages.filter((s) => !s.delivery.terminationProtection);
// The config has both kinds of stage, the first protected one is the one examined in detail.
const prod = protectedStages[0];

describe('Termination protection after each deploy (point 5)', () => {
  it.each(protectedStages.map((s) => s.displayName))(
    'runs in %s, whose config asks for it, after every deploy and before the health check',
    (displayName) => {
      const actions = stageNamed(template, displayName).actions;
      const protect = actions.find((a) => a.name === 'TerminationProtection')!;
      expect(protect.provider).toBe('Lambda');
      const lastDeploy = Math.max(...actions.filter((a) => a.provider === 'CloudFormation').map((a) => a.runOrder));
      expect(protect.runOrder).toBeGreaterThan(lastDeploy);
      expect(actions.find((a) => a.name === 'HealthCheck')!.runOrder).toBeGreaterThan(protect.runOrder);
    },
  );

  it("is passed every stack of the stage and the stage's termination protection role", () => {
    const protect = stageNamed(template, prod.displayName).actions.find((a) => a.name === 'TerminationProtection')!;
    const params = JSON.parse(protect.configuration.UserParameters as string);
    expect(params.stackNames).toEqual(built.stage(prod.name).stackNames);
    expect(params.roleArn).toBe(built.stage(prod.name).terminationProtectionRoleArn);
    expect(params.roleArn).toContain(`:role/${resourceNames(prod.name).terminationProtectionRole}`);
  });

  it('tells the health check of a protected stage to fail on an unprotected stack, and only there', () => {
    const health = (stage: string) =>
      JSON.parse(
        stageNamed(template, stage).actions.find((a) => a.name === 'HealthCheck')!.configuration
          .UserParameters as string,
      );
    for (const stage of protectedStages) expect(health(stage.displayName).terminationProtection).toBe(true);
    for (const stage of unprotected) expect(health(stage.displayName).terminationProtection).toBeUndefined();
  });

  it('is absent from stages that do not ask for it', () => {
    expect(unprotected.length).toBeGreaterThan(0);
    for (const stage of unprotected) {
      expect(stageNamed(template, stage.displayName).actions.map((a) => a.name)).not.toContain('TerminationProtection');
      expect(built.stage(stage.name).terminationProtectionRoleArn).toBeUndefined();
    }
  });

  it('runs as a function whose role may assume only the termination protection roles of the protected stages', () => {
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
    expect(assumes.sort()).toEqual(protectedStages.map((s) => built.stage(s.name).terminationProtectionRoleArn).sort());
  });
});

describe('The termination protection role in the stage account', () => {
  const roleOf = (stage: string) =>
    Object.entries(built.template(stage, 'Service').toJSON().Resources as Record<string, any>).find(
      ([, r]) =>
        r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === resourceNames(stage).terminationProtectionRole,
    );

  it("may only update and describe the stage's own stacks", () => {
    const [id] = roleOf(prod.name)!;
    const statements = Object.values(built.template(prod.name, 'Service').toJSON().Resources as Record<string, any>)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${id}"`))
      .flatMap((r) => r.Properties.PolicyDocument.Statement);
    expect(statements).toHaveLength(1);
    expect([...statements[0].Action].sort()).toEqual([
      'cloudformation:DescribeStacks',
      'cloudformation:UpdateTerminationProtection',
    ]);
    const resourcesText = JSON.stringify(statements[0].Resource);
    for (const stack of built.stage(prod.name).stacks)
      expect(resourcesText).toContain(`:cloudformation:${stack.region}:`);
    const names = [statements[0].Resource]
      .flat()
      .map((r: any) => JSON.stringify(r).match(/stack\/([A-Za-z0-9-]+)\/\*/)![1]);
    expect(names.sort()).toEqual([...built.stage(prod.name).stackNames].sort());
  });

  it("trusts only the termination protection function's role of the pipeline account", () => {
    const [, role] = roleOf(prod.name)!;
    const trust = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toHaveLength(1);
    expect(JSON.stringify(trust[0].Principal)).toContain(`:iam::${built.config.pipeline.account}:root`);
    expect(JSON.stringify(trust[0].Condition.ArnEquals['aws:PrincipalArn'])).toContain(
      `:iam::${built.config.pipeline.account}:role/${TERMINATION_PROTECTION_FUNCTION_ROLE_NAME}`,
    );
  });

  it('exists only in stages that ask for termination protection', () => {
    for (const stage of unprotected) expect(roleOf(stage.name)).toBeUndefined();
  });
});
