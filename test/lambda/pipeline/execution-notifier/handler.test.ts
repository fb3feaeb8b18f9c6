import type { Context } from 'aws-lambda';
import {
  CodePipelineClient,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  ListRuleExecutionsCommand,
} from '@aws-sdk/client-codepipeline';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { EXECUTION_NOTIFIER_ENV } from '../../../../contracts/env-names';
import { handler, PUBLISH_RESERVE_MS } from '../../../../lambda/pipeline/execution-notifier';
import { actionRecord, DECLARATION, executionEvent, FAILED_EXECUTION, standardExecution } from './pipeline-fixture';

/*
 * The Lambda entry as the function runs it: its settings from the environment the construct sets, its
 * clients built once, and the time left in the invocation split between reading and publishing.
 */
const codePipeline = mockClient(CodePipelineClient);
const sns = mockClient(SNSClient);
const s3 = mockClient(S3Client);
const TOPIC = 'arn:aws:sns:eu-west-2:111111111111:pipeline-notices';
const context = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;
const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);

let savedEnv: NodeJS.ProcessEnv;
beforeEach(() => {
  savedEnv = { ...process.env };
  process.env[EXECUTION_NOTIFIER_ENV.topicArn] = TOPIC;
  process.env[EXECUTION_NOTIFIER_ENV.detailsBucket] = 'pipeline-reports';
  for (const m of [codePipeline, sns, s3]) m.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  codePipeline.on(GetPipelineCommand).resolves({ pipeline: DECLARATION });
  codePipeline.on(GetPipelineExecutionCommand).resolves({
    pipelineExecution: standardExecution(FAILED_EXECUTION, 'abc1234def5678', 'Raise the quotes table throughput'),
  });
  codePipeline.on(ListActionExecutionsCommand).resolves({
    actionExecutionDetails: [
      actionRecord(FAILED_EXECUTION, 'ApproveProd', 'ChangeReview', 'Failed', {
        output: { executionResult: { externalExecutionSummary: 'Build terminated with state: FAILED' } },
      }),
    ],
  });
  codePipeline.on(ListRuleExecutionsCommand).resolves({ ruleExecutionDetails: [] });
  codePipeline.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [] });
  s3.on(GetObjectCommand).resolves({
    Body: { transformToString: async () => 'data loss: Prod-Stateful/UsersTable would be replaced' } as never,
  });
  // The function's JSON log lines go to the console; these tests read the published message instead.
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  process.env = savedEnv;
});
afterAll(() => {
  codePipeline.restore();
  sns.restore();
  s3.restore();
});

describe('handler', () => {
  // The first invocation in this file: it builds the clients the later ones reuse. AWS_MAX_ATTEMPTS sets the SDK's
  // attempts when the client is given none (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
  it('builds its clients once per cold start, each making three SDK attempts whatever AWS_MAX_ATTEMPTS says', async () => {
    process.env.AWS_MAX_ATTEMPTS = '1';
    await handler(executionEvent('FAILED', FAILED_EXECUTION), context(60_000));
    await handler(executionEvent('FAILED', FAILED_EXECUTION), context(60_000));
    const clientsOf = (calls: { thisValue: unknown }[]) => calls.map((c) => c.thisValue);
    const [first, second] = clientsOf(codePipeline.commandCalls(GetPipelineExecutionCommand));
    expect(second).toBe(first);
    const [published1, published2] = clientsOf(sns.commandCalls(PublishCommand));
    expect(published2).toBe(published1);
    const [read1, read2] = clientsOf(s3.commandCalls(GetObjectCommand));
    expect(read2).toBe(read1);
    for (const client of [first, published1, read1] as Array<{ config: { maxAttempts: () => Promise<number> } }>)
      expect(await client.config.maxAttempts()).toBe(3);
  });

  it('publishes to the topic the environment names, with the failure details from the bucket it names', async () => {
    const logLines = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await handler(executionEvent('FAILED', FAILED_EXECUTION), context(60_000));
    expect(JSON.parse(logLines.mock.calls[0][0] as string)).toMatchObject({
      stage: 'pipeline',
      component: 'execution-notifier',
      message: 'execution notified',
    });
    expect(published()).toHaveLength(1);
    expect(published()[0]).toMatchObject({
      TopicArn: TOPIC,
      Subject: '[pipeline FAILED] ApproveProd/ChangeReview: data loss: Prod-Stateful/UsersTable would be replaced',
    });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: 'pipeline-reports',
      Key: `failure-details/${FAILED_EXECUTION}/ApproveProd/ChangeReview.txt`,
    });
  });

  it(`keeps the last ${PUBLISH_RESERVE_MS} ms of the invocation for publishing: no read starts in them`, async () => {
    await handler(executionEvent('FAILED', FAILED_EXECUTION), context(PUBLISH_RESERVE_MS));
    expect(codePipeline.calls()).toHaveLength(0);
    expect(published()[0].Message).toContain(
      'Not read:  GetPipelineExecution: not attempted, no time left before the message must go out',
    );

    sns.resetHistory();
    await handler(executionEvent('FAILED', FAILED_EXECUTION), context(PUBLISH_RESERVE_MS + 2_000));
    expect(codePipeline).toHaveReceivedCommand(GetPipelineExecutionCommand);
    expect(published()[0].Message).not.toContain('Not read');
  });
});

describe('handler, on a cold start without its topic', () => {
  // Fresh copies of the module (nothing cached), loaded before the tests run.
  const fresh: Array<typeof handler> = [];
  beforeAll(() => {
    for (let i = 0; i < 2; i += 1)
      jest.isolateModules(() => {
        fresh.push(
          jest.requireActual<{ handler: typeof handler }>('../../../../lambda/pipeline/execution-notifier').handler,
        );
      });
  });

  it('refuses to run, naming the variable and who sets it, when the topic is unset or empty', () => {
    delete process.env[EXECUTION_NOTIFIER_ENV.topicArn];
    expect(() => fresh[0](executionEvent('FAILED', FAILED_EXECUTION), context(60_000))).toThrow(
      "environment variable NOTIFIER_TOPIC_ARN is not set; the execution notifier's construct sets it",
    );
    process.env[EXECUTION_NOTIFIER_ENV.topicArn] = '';
    expect(() => fresh[1](executionEvent('FAILED', FAILED_EXECUTION), context(60_000))).toThrow(
      'environment variable NOTIFIER_TOPIC_ARN is not set',
    );
  });
});
