import {
  CodePipelineClient,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
} from '@aws-sdk/client-codepipeline';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { notifyFailure } from '../../../../lambda/pipeline/failure-notifier';
import { renderFailureMessage } from '../../../../lambda/pipeline/private/failure-notifier/failure-message';
import { createLogger } from '../../../../lambda/shared/logger';

const codePipeline = mockClient(CodePipelineClient);
const sns = mockClient(SNSClient);
const s3 = mockClient(S3Client);

const awsError = (name: string, status: number) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });
const event = (state = 'FAILED', stage = 'Staging', action = 'HealthCheck') => ({
  version: '0',
  id: 'e-1',
  'detail-type': 'CodePipeline Action Execution State Change' as const,
  source: 'aws.codepipeline',
  account: '222222222222',
  time: '2026-12-02T10:00:00Z',
  region: 'eu-west-2',
  resources: [],
  detail: {
    pipeline: 'uk-home-improvement-delivery',
    'execution-id': 'exec-9',
    stage,
    action,
    state,
    type: { provider: 'Lambda', category: 'Invoke' },
  },
});
const deps = (withBucket = false) => ({
  topicArn: 'arn:aws:sns:eu-west-2:222222222222:pipeline',
  codePipeline: new CodePipelineClient({}),
  sns: new SNSClient({}),
  ...(withBucket ? { detailsBucket: 'reports', s3: new S3Client({}) } : {}),
  log: createLogger({ stage: 'test' }, () => undefined),
  call: { sleep: async () => undefined, baseDelayMs: 1, attempts: 2 },
});
const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);

beforeEach(() => {
  for (const m of [codePipeline, sns, s3]) m.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  codePipeline.on(GetPipelineExecutionCommand).resolves({
    pipelineExecution: {
      artifactRevisions: [
        {
          name: 'Source',
          revisionId: 'abc1234def',
          revisionSummary: JSON.stringify({
            ProviderType: 'GitHub',
            CommitMessage: 'Raise the quotes table throughput',
          }),
        },
      ],
    },
  });
  codePipeline.on(ListActionExecutionsCommand).resolves({
    actionExecutionDetails: [
      {
        stageName: 'Staging',
        actionName: 'HealthCheck',
        status: 'Failed',
        lastUpdateTime: new Date(1000),
        output: { executionResult: { externalExecutionSummary: 'older attempt' } },
      },
      {
        stageName: 'Staging',
        actionName: 'HealthCheck',
        status: 'Failed',
        lastUpdateTime: new Date(2000),
        output: {
          executionResult: {
            externalExecutionSummary: 'staging health check FAILED: health-endpoint answered 503',
            externalExecutionUrl: 'https://logs.example/fn',
          },
        },
      },
      { stageName: 'Staging', actionName: 'DrCheck', status: 'Succeeded' },
    ],
  });
});

describe('The failure notifier', () => {
  it("sends one message with stage, action, the check's own failure message, the commit and the execution link", async () => {
    await notifyFailure(event(), deps());
    expect(published()).toHaveLength(1);
    const { Subject, Message, TopicArn } = published()[0];
    expect(TopicArn).toBe('arn:aws:sns:eu-west-2:222222222222:pipeline');
    expect(Subject).toBe(
      '[pipeline FAILED] Staging/HealthCheck: staging health check FAILED: health-endpoint answered 503',
    );
    expect(Message).toContain('Reason:    staging health check FAILED: health-endpoint answered 503');
    expect(Message).toContain('Commit:    abc1234def (Raise the quotes table throughput)');
    expect(Message).toContain(
      'Execution: https://eu-west-2.console.aws.amazon.com/codesuite/codepipeline/pipelines/uk-home-improvement-delivery/executions/exec-9/timeline?region=eu-west-2',
    );
    expect(Message).toContain('Details:   https://logs.example/fn');
  });

  it("uses the failure details a step left (the change review's reason) over the build's generic summary", async () => {
    s3.on(GetObjectCommand, { Bucket: 'reports', Key: 'failure-details/exec-9/Prod/ChangeReview.txt' }).resolves({
      Body: {
        transformToString: async () =>
          'data loss: Prod-Stateful/UsersTable (AWS::DynamoDB::Table) would be replaced\ndrift: Prod-Service/Queue0 (AWS::SQS::Queue) is MODIFIED outside CloudFormation',
      } as never,
    });
    codePipeline.on(ListActionExecutionsCommand).resolves({
      actionExecutionDetails: [
        {
          stageName: 'Prod',
          actionName: 'ChangeReview',
          status: 'Failed',
          output: { executionResult: { externalExecutionSummary: 'Build terminated with state: FAILED' } },
        },
      ],
    });
    await notifyFailure(event('FAILED', 'Prod', 'ChangeReview'), deps(true));
    expect(published()[0].Subject).toHaveLength(100);
    expect(published()[0].Subject).toBe(
      '[pipeline FAILED] Prod/ChangeReview: data loss: Prod-Stateful/UsersTable (AWS::DynamoDB::Table) w...',
    );
    expect(published()[0].Message).toContain(
      'Reason:    data loss: Prod-Stateful/UsersTable (AWS::DynamoDB::Table) would be replaced\n           drift: Prod-Service/Queue0',
    );
    expect(published()[0].Message).not.toContain('Build terminated');
  });

  it('falls back to the action summary when a step left no failure details', async () => {
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey', 404));
    await notifyFailure(event(), deps(true));
    expect(published()[0].Subject).toContain('health-endpoint answered 503');
  });

  it('still sends the message, with what the event says, when CodePipeline cannot be read', async () => {
    codePipeline.on(GetPipelineExecutionCommand).rejects(awsError('ThrottlingException', 400));
    codePipeline.on(ListActionExecutionsCommand).rejects(awsError('ThrottlingException', 400));
    await notifyFailure(event(), deps());
    expect(published()).toHaveLength(1);
    expect(published()[0].Message).toContain('Commit:    unknown');
    expect(published()[0].Subject).toBe(
      '[pipeline FAILED] Staging/HealthCheck: the action reported no failure summary; open the execution',
    );
  });

  it('throws when publishing fails, so Lambda retries, and never publishes twice itself', async () => {
    sns.on(PublishCommand).rejects(awsError('InternalError', 500));
    await expect(notifyFailure(event(), deps())).rejects.toThrow('Publish failure notification failed: InternalError');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  it('ignores events that are not failures', async () => {
    await notifyFailure(event('SUCCEEDED'), deps());
    expect(published()).toHaveLength(0);
  });
});

describe('renderFailureMessage', () => {
  it('keeps the subject within 100 ASCII characters on one line', () => {
    const { subject } = renderFailureMessage({
      pipeline: 'p',
      region: 'eu-west-2',
      executionId: 'e',
      stage: 'Prod',
      action: 'DrCheck',
      reason: `recovery point für ${'x'.repeat(200)}\nsecond line`,
    });
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^\[pipeline FAILED\] Prod\/DrCheck: recovery point f\?r x+\.\.\.$/);
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  codePipeline.restore();
  sns.restore();
  s3.restore();
});
