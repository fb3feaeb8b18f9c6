import type * as sns from 'aws-cdk-lib/aws-sns';
import { stageNamed } from '../support/pipeline-shape';
import { synthApp } from '../support/synth';

const built = synthApp({ 'pipeline.notificationEmails': ['oncall@example.com', 'release-approvers@example.com'] });
const template = built.pipelineTemplate;
const topicId = built.pipelineStack.getLogicalId(built.pipelineStack.approvalTopic.node.defaultChild as sns.CfnTopic);

describe('The pipeline topic', () => {
  it('is fed by no CodeStar notification rule: the execution notifier tells every execution, a rollback labelled as one', () => {
    template.resourceCountIs('AWS::CodeStarNotifications::NotificationRule', 0);
  });

  it('publishes to a topic encrypted with a rotating customer managed key', () => {
    const topic = template.findResources('AWS::SNS::Topic')[topicId];
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    expect(template.findResources('AWS::KMS::Key')[keyId].Properties.EnableKeyRotation).toBe(true);
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
