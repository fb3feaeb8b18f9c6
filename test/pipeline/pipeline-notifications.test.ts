import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PipelineNotifications } from '../../lib/pipeline/pipeline-notifications';
import { stageNamed } from '../support/pipeline-shape';
import { synthApp } from '../support/synth';

const built = synthApp({ 'pipeline.notificationEmails': ['oncall@example.com', 'release-approvers@example.com'] });
const template = built.pipelineTemplate;
const topicId = built.pipelineStack.getLogicalId(built.pipelineStack.approvalTopic.node.defaultChild as sns.CfnTopic);

describe('Pipeline notifications', () => {
  it('sends succeeded and superseded executions, in full detail, to the topic; failures go to the failure notifier and approvals come from the approval action', () => {
    template.resourceCountIs('AWS::CodeStarNotifications::NotificationRule', 1);
    template.hasResourceProperties('AWS::CodeStarNotifications::NotificationRule', {
      DetailType: 'FULL',
      EventTypeIds: [
        'codepipeline-pipeline-pipeline-execution-succeeded',
        'codepipeline-pipeline-pipeline-execution-superseded',
      ],
      Targets: [{ TargetType: 'SNS', TargetAddress: { Ref: topicId } }],
    });
  });

  it('watches the delivery pipeline', () => {
    const rule = Object.values(template.findResources('AWS::CodeStarNotifications::NotificationRule'))[0];
    const pipelineId = Object.keys(template.findResources('AWS::CodePipeline::Pipeline'))[0];
    expect(JSON.stringify(rule.Properties.Resource)).toContain(`"Ref":"${pipelineId}"`);
  });

  it('publishes to a topic encrypted with a rotating customer managed key', () => {
    const topic = template.findResources('AWS::SNS::Topic')[topicId];
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    expect(template.findResources('AWS::KMS::Key')[keyId].Properties.EnableKeyRotation).toBe(true);
  });

  it('lets the notifications service use the key and publish to the topic', () => {
    const keyId = template.findResources('AWS::SNS::Topic')[topicId].Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    const statements: any[] = template.findResources('AWS::KMS::Key')[keyId].Properties.KeyPolicy.Statement;
    const forService = statements.filter((s) => s.Principal?.Service === 'codestar-notifications.amazonaws.com');
    expect(forService.flatMap((s) => s.Action)).toEqual(
      expect.arrayContaining(['kms:GenerateDataKey*', 'kms:Decrypt']),
    );
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'codestar-notifications.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  it('subscribes every configured e-mail address', () => {
    const emails = Object.values(template.findResources('AWS::SNS::Subscription'))
      .filter((s) => s.Properties.Protocol === 'email' && s.Properties.TopicArn.Ref === topicId)
      .map((s) => s.Properties.Endpoint);
    expect(emails.sort()).toEqual(['oncall@example.com', 'release-approvers@example.com']);
  });

  it('shares the topic with the Prod approval, so approvers and on-call read one channel', () => {
    const approval = stageNamed(template, 'ApproveProd').actions.find((a) => a.category === 'Approval')!;
    expect(approval.configuration.NotificationArn).toEqual({ Ref: topicId });
  });

  it('refuses an unencrypted topic, naming the construct', () => {
    const stack = new Stack(new App(), 'Bare');
    const pipeline = codepipeline.Pipeline.fromPipelineArn(
      stack,
      'Imported',
      'arn:aws:codepipeline:eu-west-2:999999999999:example',
    );
    const topic = new sns.Topic(stack, 'Plain');
    expect(() => new PipelineNotifications(stack, 'Notify', { pipeline, topic })).toThrow(
      /^Notify: the notification topic must be encrypted/,
    );
  });
});

describe('Prod approval request', () => {
  const approval = stageNamed(template, 'ApproveProd').actions.find((a) => a.category === 'Approval')!;
  const comment = String(approval.configuration.CustomData);

  it("links to the change review report in the pipeline account's S3 console, where the approver signs in", () => {
    expect(JSON.stringify(approval.configuration.ExternalEntityLink)).toContain(
      'https://eu-west-2.console.aws.amazon.com/s3/object/',
    );
  });

  it('says what to check: the Staging checks, its dashboard and unhealthy alarm, and where its health URL is', () => {
    expect(comment).toContain('the change review report (link) shows what Prod will change');
    expect(comment).toContain('the Staging check actions of this execution passed');
    expect(comment).toContain('dashboard uk-home-improvement-staging-dashboard');
    expect(comment).toContain('uk-home-improvement-staging-stage-unhealthy is OK');
    expect(comment).toContain('HealthUrl of the Staging Service stack');
  });

  it('fits the 500 characters CodePipeline allows in an approval comment', () => {
    expect(comment.length).toBeLessThanOrEqual(500);
  });
});
