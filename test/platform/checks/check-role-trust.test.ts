import { CHECK_ROLE_NAMES } from '../../../contracts/resource-names';
import { checkRoleNamesFor } from '../../../lib/platform/checks/check-role';
import { platformStages } from '../../support/platform-stages';

/** The role ARNs the stage's check role lets assume it (its trust policy's aws:PrincipalArn condition). */
function trustedArns(stages: ReturnType<typeof platformStages>, stageName: string): string[] {
  const roles = stages.template(stageName, 'Service').findResources('AWS::IAM::Role');
  const [check] = Object.entries(roles).filter(([id]) => id.startsWith('PipelineCheck'));
  const [statement] = check[1].Properties.AssumeRolePolicyDocument.Statement;
  return [statement.Condition.ArnEquals['aws:PrincipalArn']].flat();
}

const roleName = (arn: string) => arn.split(':role/')[1];

describe("A stage's check role", () => {
  it('trusts the health check always, the DR check and the bake only where the stage has them', () => {
    expect(checkRoleNamesFor({ dr: false, bake: false })).toEqual([CHECK_ROLE_NAMES.health]);
    expect(checkRoleNamesFor({ dr: true, bake: false })).toEqual([CHECK_ROLE_NAMES.health, CHECK_ROLE_NAMES.dr]);
    expect(checkRoleNamesFor({ dr: false, bake: true })).toEqual([CHECK_ROLE_NAMES.health, CHECK_ROLE_NAMES.bake]);
  });

  // Explicit settings, independent of cdk.json: a stage without backup or bake, and one with both.
  const stages = platformStages({
    'dev.backup.enabled': false,
    'dev.delivery.bakeTimeMinutes': 0,
    'staging.backup.enabled': true,
    'staging.delivery.bakeTimeMinutes': 10,
  });

  it('of a stage without backup or bake trusts only the health check role of the pipeline account', () => {
    const arns = trustedArns(stages, 'dev');
    expect(arns.map(roleName)).toEqual([CHECK_ROLE_NAMES.health]);
    expect(arns[0]).toContain(`:iam::${stages.config.pipeline.account}:role/`);
  });

  it('of a stage with backup and a bake trusts the health, DR and bake roles', () => {
    expect(trustedArns(stages, 'staging').map(roleName)).toEqual([
      CHECK_ROLE_NAMES.health,
      CHECK_ROLE_NAMES.dr,
      CHECK_ROLE_NAMES.bake,
    ]);
  });
});
