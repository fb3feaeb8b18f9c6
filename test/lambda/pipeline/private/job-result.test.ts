import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import type { CodePipelineEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { pipelineJob, reportJobResult } from '../../../../lambda/pipeline/private/job-result';

const codePipeline = mockClient(CodePipelineClient);
const client = () => new CodePipelineClient({ region: 'eu-west-2' });
const OPTIONS = { sleep: async () => undefined, timeoutMs: 500, attempts: 2 };

beforeEach(() => {
  codePipeline.reset();
  codePipeline.onAnyCommand().resolves({});
});

describe('The job of a pipeline action event', () => {
  it('is read with its id', () => {
    const job = { id: 'job-1', accountId: '999999999999', data: {} };
    expect(pipelineJob({ 'CodePipeline.job': job } as unknown as CodePipelineEvent, 'bake')).toEqual({
      job,
      jobId: 'job-1',
    });
  });

  it.each<[string, unknown]>([
    ['no event', undefined],
    ['an event of another source', { Records: [] }],
    ['a job without an id', { 'CodePipeline.job': { data: {} } }],
    ['a job whose id is not a string', { 'CodePipeline.job': { id: 7 } }],
    ['a job with an empty id', { 'CodePipeline.job': { id: '' } }],
  ])('is refused for %s, naming the handler', (_, event) => {
    expect(() => pipelineJob(event as CodePipelineEvent, 'health-check')).toThrow(
      'health-check: event has no CodePipeline.job.id; this handler only runs as a pipeline action',
    );
  });
});

describe('Reporting a job result to CodePipeline', () => {
  it('ends the action with PutJobSuccessResult: the summary and the invocation id, no token', async () => {
    await reportJobResult(client(), 'job-1', { success: true, summary: 'all good' }, 'req-1', OPTIONS);
    expect(codePipeline.commandCalls(PutJobFailureResultCommand)).toHaveLength(0);
    expect(codePipeline.commandCalls(PutJobSuccessResultCommand).map((c) => c.args[0].input)).toStrictEqual([
      { jobId: 'job-1', executionDetails: { summary: 'all good', externalExecutionId: 'req-1' } },
    ]);
  });

  it('keeps the action in progress with the continuation token and the progress, 0 percent included', async () => {
    await reportJobResult(
      client(),
      'job-1',
      { success: true, summary: 'watching', continuationToken: '{"v":1}', percentComplete: 0 },
      'req-2',
      OPTIONS,
    );
    expect(codePipeline.commandCalls(PutJobSuccessResultCommand).map((c) => c.args[0].input)).toEqual([
      {
        jobId: 'job-1',
        continuationToken: '{"v":1}',
        executionDetails: { summary: 'watching', externalExecutionId: 'req-2', percentComplete: 0 },
      },
    ]);
  });

  it('fails the action with PutJobFailureResult of type JobFailed carrying the summary', async () => {
    await reportJobResult(client(), 'job-1', { success: false, summary: 'bake FAILED: x' }, 'req-3', OPTIONS);
    expect(codePipeline.commandCalls(PutJobSuccessResultCommand)).toHaveLength(0);
    expect(codePipeline.commandCalls(PutJobFailureResultCommand).map((c) => c.args[0].input)).toEqual([
      {
        jobId: 'job-1',
        failureDetails: { type: 'JobFailed', message: 'bake FAILED: x', externalExecutionId: 'req-3' },
      },
    ]);
  });

  const denied = () =>
    Object.assign(new Error('User is not authorized to perform: codepipeline:PutJobSuccessResult'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });

  it('throws naming PutJobSuccessResult when the success cannot be reported', async () => {
    codePipeline.on(PutJobSuccessResultCommand).rejects(denied());
    await expect(
      reportJobResult(client(), 'job-1', { success: true, summary: 'ok' }, 'req-4', OPTIONS),
    ).rejects.toThrow(/^PutJobSuccessResult failed: access denied/);
  });

  it('throws naming PutJobFailureResult when the failure cannot be reported', async () => {
    codePipeline.on(PutJobFailureResultCommand).rejects(denied());
    await expect(
      reportJobResult(client(), 'job-1', { success: false, summary: 'no' }, 'req-5', OPTIONS),
    ).rejects.toThrow(/^PutJobFailureResult failed: access denied/);
  });
});
