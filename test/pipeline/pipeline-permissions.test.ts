import { PIPELINE_ROLE_NAME, resourceNames } from '../../contracts/resource-names';
import { USE_CONNECTION_ACTIONS } from '../../lib/pipeline/grant-connection-use';
import { pipelineResource } from '../support/pipeline-shape';
import { synthApp } from '../support/synth';

const built = synthApp();
const template = built.pipelineTemplate;
const resources = template.toJSON().Resources as Record<string, any>;

/** A CloudFormation value flattened to text: Fn::Join parts joined, Fn::Sub as written, Ref as ${Name}. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v?.['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(text).join(v['Fn::Join'][0]);
  if (v?.['Fn::Sub']) return typeof v['Fn::Sub'] === 'string' ? v['Fn::Sub'] : v['Fn::Sub'][0];
  if (v?.Ref) return `\${${v.Ref}}`;
  if (v?.['Fn::GetAtt']) return `\${${v['Fn::GetAtt'].join('.')}}`;
  return JSON.stringify(value);
}

function statementsOfRole(roleLogicalId: string): any[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${roleLogicalId}"`))
    .flatMap((r) => r.Properties.PolicyDocument.Statement);
}

describe('The pipeline role (point 4)', () => {
  const roleId = pipelineResource(template).RoleArn['Fn::GetAtt'][0];
  const assumable = statementsOfRole(roleId)
    .filter((s) => [s.Action].flat().includes('sts:AssumeRole'))
    .flatMap((s) => [s.Resource].flat().map(text));

  it('has a fixed name, so its ARN is known without a reference to the pipeline stack', () => {
    expect(resources[roleId].Properties.RoleName).toBe(PIPELINE_ROLE_NAME);
  });

  it('may assume, in a stage account, only the CDK deploy role', () => {
    for (const stage of built.config.stages) {
      const inStage = assumable.filter((arn) => arn.includes(`:${stage.account}:`));
      const allowed = [
        new RegExp(
          `^arn:\\$\\{AWS::Partition\\}:iam::${stage.account}:role/cdk-hnb659fds-deploy-role-${stage.account}-[a-z0-9-]+$`,
        ),
      ];
      expect({ stage: stage.name, other: inStage.filter((arn) => !allowed.some((re) => re.test(arn))) }).toEqual({
        stage: stage.name,
        other: [],
      });
      expect(inStage.some((arn) => allowed[0].test(arn))).toBe(true);
    }
    expect(assumable.join(' ')).not.toContain('lookup-role');
  });

  it("is not trusted by the stages' check roles: no stage condition reads an alarm, the Bake action does", () => {
    for (const name of ['staging', 'prod']) {
      const role = Object.values(built.template(name, 'Service').findResources('AWS::IAM::Role')).find(
        (r) => r.Properties.RoleName === resourceNames(name).checkRole,
      )!;
      const trust = role.Properties.AssumeRolePolicyDocument.Statement[0];
      const arns = [trust.Condition.ArnEquals['aws:PrincipalArn']].flat().map(text);
      expect(arns.join(' ')).not.toContain(`role/${PIPELINE_ROLE_NAME}`);
    }
  });
});

describe('The source action (point 7)', () => {
  it('may use the connection under both the codeconnections and the codestar-connections prefix', () => {
    const sourceRole = Object.entries(resources).find(
      ([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('PipelineSource'),
    )![0];
    const uses = statementsOfRole(sourceRole).filter((s) =>
      [s.Action].flat().some((a: string) => a.endsWith(':UseConnection')),
    );
    const granted = uses
      .filter((s) => text(s.Resource) === built.config.pipeline.connectionArn)
      .flatMap((s) => [s.Action].flat());
    for (const action of USE_CONNECTION_ACTIONS) expect(granted).toContain(action);
  });
});

describe('The asset publishing role (point 8)', () => {
  it('may start, stop and read builds only of the projects that run as it', () => {
    const roleId = Object.keys(resources).find(
      (id) => id.startsWith('PipelineAssetsFileRole') && resources[id].Type === 'AWS::IAM::Role',
    )!;
    const builds = statementsOfRole(roleId).filter((s) =>
      [s.Action].flat().some((a: string) => a.startsWith('codebuild:') && /Build/.test(a)),
    );
    expect(builds.length).toBeGreaterThan(0);
    const ownProjects = Object.entries(resources)
      .filter(
        ([, r]) =>
          r.Type === 'AWS::CodeBuild::Project' && JSON.stringify(r.Properties.ServiceRole).includes(`"${roleId}"`),
      )
      .map(([id]) => ({ 'Fn::GetAtt': [id, 'Arn'] }));
    expect(ownProjects.length).toBeGreaterThan(0);
    for (const s of builds) expect([s.Resource].flat()).toEqual(ownProjects);
  });
});
