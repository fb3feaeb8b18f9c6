import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ChangeReviewRole } from '../../../lib/platform/checks/change-review-role';

const stack = new Stack(new App(), 'Stage', { env: { account: '111111111111', region: 'eu-west-2' } });
new ChangeReviewRole(stack, 'PipelineChangeReview', {
  roleName: 'uk-home-improvement-prod-pipeline-change-review',
  pipelineAccount: '222222222222',
  trustedRoleName: 'uk-home-improvement-pipeline-change-review',
});
const template = Template.fromStack(stack);

describe('ChangeReviewRole', () => {
  it("trusts only the pipeline's change review role", () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'uk-home-improvement-prod-pipeline-change-review',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { AWS: Match.anyValue() },
            Condition: {
              ArnEquals: {
                'aws:PrincipalArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':iam::222222222222:role/uk-home-improvement-pipeline-change-review',
                    ],
                  ],
                },
              },
            },
          }),
        ],
      },
    });
  });

  it('reads CloudFormation and runs drift detection, and may change nothing', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const actions = policies.flatMap((p) =>
      p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()),
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'cloudformation:GetTemplate',
        'cloudformation:DetectStackDrift',
        'cloudformation:DescribeStackResourceDrifts',
        'cloudformation:DescribeStackDriftDetectionStatus',
      ]),
    );
    for (const a of actions) expect(a).toMatch(/^cloudformation:(Describe|Get|List|Detect)/);
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/SecurityAudit']] }],
    });
  });
});
