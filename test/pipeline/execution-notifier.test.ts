import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EXECUTION_NOTIFIER_ENV } from '../../contracts/env-names';
import { ChangeReviewReports } from '../../lib/pipeline/change-review/change-review-reports';
import { ExecutionNotifier, NOTIFIER_READ_ACTIONS } from '../../lib/pipeline/execution-notifier';
import { synthApp } from '../support/synth';

const PIPELINE_ARN = 'arn:aws:codepipeline:eu-west-2:222222222222:example-delivery';

function notifierStack(withDetails = true) {
  const stack = new Stack(new App(), 'Notified', { env: { account: '222222222222', region: 'eu-west-2' } });
  const pipeline = codepipeline.Pipeline.fromPipelineArn(stack, 'Pipeline', PIPELINE_ARN);
  const topic = new sns.Topic(stack, 'Topic', { masterKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
  const reports = withDetails ? new ChangeReviewReports(stack, 'Reports') : undefined;
  const notifier = new ExecutionNotifier(stack, 'Notifier', { pipeline, topic, failureDetails: reports });
  return { stack, notifier, template: Template.fromStack(stack) };
}

/** Every statement of the policies attached to the notifier function's role. */
/** A policy statement as the template holds it. */
interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

function roleStatements(template: Template, stack: Stack, notifier: ExecutionNotifier): Statement[] {
  const roleId = stack.getLogicalId(notifier.function.role!.node.defaultChild as never);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('The execution notifier', () => {
  const { stack, notifier, template } = notifierStack();

  it("hears only this pipeline's executions that end, one event per execution: no action or stage events", () => {
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.codepipeline'],
        'detail-type': ['CodePipeline Pipeline Execution State Change'],
        detail: {
          pipeline: ['example-delivery'],
          state: ['FAILED', 'STOPPED', 'SUPERSEDED', 'CANCELED', 'SUCCEEDED'],
        },
      },
      State: 'ENABLED',
    });
  });

  it('invokes the function, retried by EventBridge within an hour', () => {
    const functionId = stack.getLogicalId(notifier.function.node.defaultChild as never);
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        }),
      ],
    });
  });

  it('may make exactly the CodePipeline reads it needs, on this pipeline only', () => {
    const codePipeline = roleStatements(template, stack, notifier).filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('codepipeline:')),
    );
    expect(codePipeline).toEqual([
      {
        Sid: 'ReadThisPipelinesExecutions',
        Effect: 'Allow',
        Action: [
          'codepipeline:GetPipeline',
          'codepipeline:GetPipelineExecution',
          'codepipeline:ListActionExecutions',
          'codepipeline:ListPipelineExecutions',
          'codepipeline:ListRuleExecutions',
        ],
        Resource: PIPELINE_ARN,
      },
    ]);
    expect([...NOTIFIER_READ_ACTIONS].every((a) => /^codepipeline:(Get|List)/.test(a))).toBe(true);
  });

  it('may publish to its topic and read failure details, and nothing else beyond its logs', () => {
    const others = roleStatements(template, stack, notifier)
      .flatMap((s) => [s.Action].flat())
      .filter((a) => !a.startsWith('codepipeline:'));
    expect(new Set(others)).toEqual(
      new Set([
        'sns:Publish',
        'kms:Decrypt',
        'kms:DescribeKey',
        'kms:GenerateDataKey*',
        's3:GetObject*',
        's3:GetBucket*',
        's3:List*',
      ]),
    );
    const s3Read = roleStatements(template, stack, notifier).find((s) => [s.Action].flat().includes('s3:GetObject*'));
    expect(JSON.stringify(s3Read?.Resource)).toContain('/failure-details/*');
  });

  it('tells the function its topic and the failure details bucket', () => {
    const variables =
      template.findResources('AWS::Lambda::Function')[stack.getLogicalId(notifier.function.node.defaultChild as never)]
        .Properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual(
      [EXECUTION_NOTIFIER_ENV.detailsBucket, EXECUTION_NOTIFIER_ENV.topicArn].sort(),
    );
  });

  it('keeps time for its reads and the publish: a timeout well above the 10 s kept back for publishing', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 60,
      Environment: { Variables: Match.objectLike({ [EXECUTION_NOTIFIER_ENV.topicArn]: Match.anyValue() }) },
    });
  });

  it('reads no failure details when no step leaves them', () => {
    const bare = notifierStack(false);
    const actions = roleStatements(bare.template, bare.stack, bare.notifier).flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.startsWith('s3:'))).toEqual([]);
  });
});

describe('The execution notifier in the pipeline stack', () => {
  const built = synthApp({});
  const template = built.pipelineTemplate;

  it('watches the delivery pipeline by name, and the pipeline has no other notification rule', () => {
    const pipelineId = Object.keys(template.findResources('AWS::CodePipeline::Pipeline'))[0];
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter(
      (r) => r.Properties.EventPattern?.source?.[0] === 'aws.codepipeline',
    );
    expect(rules.map((r) => r.Properties.EventPattern.detail.pipeline)).toEqual([[{ Ref: pipelineId }]]);
    template.resourceCountIs('AWS::CodeStarNotifications::NotificationRule', 0);
  });

  it("may read the delivery pipeline's executions, by its ARN", () => {
    const pipelineId = Object.keys(template.findResources('AWS::CodePipeline::Pipeline'))[0];
    const reads = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: Statement) => s.Sid === 'ReadThisPipelinesExecutions');
    expect(reads).toHaveLength(1);
    expect(reads[0].Resource).toEqual({
      'Fn::Join': [
        '',
        [`arn:aws:codepipeline:${built.config.pipeline.region}:${built.config.pipeline.account}:`, { Ref: pipelineId }],
      ],
    });
  });
});
