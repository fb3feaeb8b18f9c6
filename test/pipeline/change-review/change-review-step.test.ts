import type { CfnElement } from 'aws-cdk-lib';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CHANGE_REVIEW_ENV } from '../../../contracts/env-names';
import { ChangeReviewReports } from '../../../lib/pipeline/change-review/change-review-reports';
import { miniPipeline, PIPELINE_ACCOUNT, STAGE_ACCOUNT } from './mini-pipeline';

const app = new App();
const { stack, review } = miniPipeline(app);
const template = Template.fromStack(stack);
const pipelineStages = () =>
  Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0].Properties.Stages as Array<{
    Name: string;
    Actions: Array<{
      Name: string;
      RunOrder: number;
      ActionTypeId: { Provider: string };
      Configuration: Record<string, unknown>;
    }>;
  }>;
const prodActions = () => pipelineStages().find((s) => s.Name === 'Prod')!.Actions;

describe('The change review step in the pipeline', () => {
  it('runs before the approval in the stage it reviews', () => {
    const actions = prodActions();
    const review = actions.find((a) => a.Name === 'ChangeReview')!;
    const approval = actions.find((a) => a.Name === 'ApproveToProd')!;
    const deploy = actions.find((a) => /Stateful/.test(a.Name))!;
    expect(review.ActionTypeId.Provider).toBe('CodeBuild');
    expect(review.RunOrder).toBeLessThan(approval.RunOrder);
    expect(approval.RunOrder).toBeLessThan(deploy.RunOrder);
  });

  it('passes the execution id and commit as pipeline variables and the review parameters to the project', () => {
    const review = prodActions().find((a) => a.Name === 'ChangeReview')!;
    const actionEnv = JSON.parse(JSON.stringify(stack.resolve(review.Configuration.EnvironmentVariables)));
    expect(actionEnv).toEqual(
      expect.stringContaining(
        `"name":"${CHANGE_REVIEW_ENV.executionId}","type":"PLAINTEXT","value":"#{codepipeline.PipelineExecutionId}"`,
      ),
    );
    expect(actionEnv).toEqual(
      expect.stringMatching(
        new RegExp(`"name":"${CHANGE_REVIEW_ENV.commitId}","type":"PLAINTEXT","value":"#\\{[^.]+\\.CommitId\\}"`),
      ),
    );
    const projects = template.findResources('AWS::CodeBuild::Project', {
      Properties: {
        Environment: {
          EnvironmentVariables: Match.arrayWith([Match.objectLike({ Name: CHANGE_REVIEW_ENV.parameters })]),
        },
      },
    });
    const [project] = Object.values(projects);
    const vars = Object.fromEntries(
      (project.Properties.Environment.EnvironmentVariables as Array<{ Name: string; Value: unknown }>).map((v) => [
        v.Name,
        v.Value,
      ]),
    );
    expect(JSON.parse(vars[CHANGE_REVIEW_ENV.parameters] as string)).toEqual({
      stage: 'prod',
      account: STAGE_ACCOUNT,
      region: 'eu-west-2',
      stackNames: ['Prod-Stateful'],
      // How the review finds the stage's stacks the assembly no longer has, and every region it searches.
      stageStacks: {
        namePrefix: 'Prod-',
        tags: { 'uk-home-improvement:stage': 'prod' },
        regions: ['eu-west-2', 'eu-west-1'],
      },
      roleArns: {
        'eu-west-2': `arn:aws:iam::${STAGE_ACCOUNT}:role/cdk-hnb659fds-lookup-role-${STAGE_ACCOUNT}-eu-west-2`,
        'eu-west-1': `arn:aws:iam::${STAGE_ACCOUNT}:role/cdk-hnb659fds-lookup-role-${STAGE_ACCOUNT}-eu-west-1`,
      },
      pipelineAccount: PIPELINE_ACCOUNT,
      policy: { allowReplace: [], failOnDrift: true },
    });
    expect(vars[CHANGE_REVIEW_ENV.pipelineStage]).toBe('Prod');
    expect(vars[CHANGE_REVIEW_ENV.actionName]).toBe('ChangeReview');
    expect(JSON.stringify(project.Properties.Source.BuildSpec)).toContain('node change-review/lib/review.js');
  });

  it("points the approval at this execution's report", () => {
    const approval = prodActions().find((a) => a.Name === 'ApproveToProd')!;
    const link = JSON.stringify(approval.Configuration.ExternalEntityLink);
    expect(link).toContain('console.aws.amazon.com/s3/object/');
    expect(link).toContain('change-review/prod/#{codepipeline.PipelineExecutionId}/report.md');
  });

  it("lets the review role assume only the stage's CDK bootstrap lookup roles (every region of the stage), write reports and publish to the topic", () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'codebuild.amazonaws.com' } })],
      },
      Description: Match.stringLikeRegexp('change review'),
    });
    const roleId = stack.getLogicalId(review.role.node.defaultChild as CfnElement);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`),
    );
    const assumes = policies.flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>).filter((st) =>
        JSON.stringify(st.Action).includes('sts:AssumeRole'),
      ),
    );
    expect(assumes).toEqual([
      expect.objectContaining({
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Resource: [
          `arn:aws:iam::${STAGE_ACCOUNT}:role/cdk-hnb659fds-lookup-role-${STAGE_ACCOUNT}-eu-west-2`,
          `arn:aws:iam::${STAGE_ACCOUNT}:role/cdk-hnb659fds-lookup-role-${STAGE_ACCOUNT}-eu-west-1`,
        ],
      }),
    ]);
  });

  it('reads through the lookup role of the qualifier the app bootstraps with', () => {
    const custom = Template.fromStack(
      miniPipeline(new App({ context: { '@aws-cdk/core:bootstrapQualifier': 'tooling1' } })).stack,
    );
    const policies = JSON.stringify(custom.findResources('AWS::IAM::Policy'));
    // The region with a stack (from its synthesizer) and the region without one (from the app's qualifier) alike.
    for (const region of ['eu-west-2', 'eu-west-1'])
      expect(policies).toContain(
        `"arn:aws:iam::${STAGE_ACCOUNT}:role/cdk-tooling1-lookup-role-${STAGE_ACCOUNT}-${region}"`,
      );
  });

  it('keeps reports private, KMS-encrypted and for 90 days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
          }),
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpireReports', ExpirationInDays: 90, Status: 'Enabled' })]),
      },
    });
  });

  it('rejects a retention shorter than a day', () => {
    expect(
      () => new ChangeReviewReports(new Stack(new App(), 'S'), 'Reports', { retention: Duration.hours(2) }),
    ).toThrow('Reports: retention must be a whole number of days, at least 1, got 2 hours');
  });
});
