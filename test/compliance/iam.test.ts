import { iamFindings } from '../support/iam-findings';
import { synthApp } from '../support/synth';

const app = synthApp();
const pipelineAccount = app.config.pipeline.account;

describe('IAM of the pipeline stack', () => {
  it('allows no Action "*" or "<service>:*" and trusts no other account', () => {
    expect(
      iamFindings('PipelineStack', app.pipelineTemplate.toJSON(), { ownAccount: pipelineAccount, pipelineAccount }),
    ).toEqual([]);
  });
});

describe.each(app.config.stages.map((c) => [c.name, app.stage(c.name)] as const))(
  'IAM of the %s stage',
  (name, stage) => {
    it.each(stage.stacks.map((s) => [s.node.id] as const))(
      '%s stack allows no Action "*" and its roles trust only the pipeline account',
      (stackId) => {
        const findings = iamFindings(`${name}/${stackId}`, app.template(name, stackId).toJSON(), {
          ownAccount: stage.config.account,
          pipelineAccount,
        });
        expect(findings).toEqual([]);
      },
    );
  },
);

describe('The IAM check itself', () => {
  const role = (principal: unknown) => ({
    Resources: {
      R: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal }],
          },
        },
      },
    },
  });

  it('reports a role that another account may assume', () => {
    expect(
      iamFindings('S', role({ AWS: 'arn:aws:iam::444444444444:root' }), {
        ownAccount: '111111111111',
        pipelineAccount: '999999999999',
      }),
    ).toEqual([
      'S/R: trust policy lets account 444444444444 assume the role; only the pipeline account 999999999999 may.',
    ]);
  });

  it('accepts a role that the pipeline account may assume', () => {
    expect(
      iamFindings(
        'S',
        role({ AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::999999999999:root']] } }),
        { ownAccount: '111111111111', pipelineAccount: '999999999999' },
      ),
    ).toEqual([]);
  });

  it('reports a "service:*" action', () => {
    const template = {
      Resources: {
        P: {
          Type: 'AWS::IAM::Policy',
          Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['s3:*'], Resource: '*' }] } },
        },
      },
    };
    expect(iamFindings('S', template, { ownAccount: '1', pipelineAccount: '2' })).toEqual([
      'S/P: allows Action "s3:*"; name the actions.',
    ]);
  });
});
