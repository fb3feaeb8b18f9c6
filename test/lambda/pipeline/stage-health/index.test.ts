import { CodePipelineClient, PutJobSuccessResultCommand } from '@aws-sdk/client-codepipeline';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { CodePipelineEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type * as Entry from '../../../../lambda/pipeline/stage-health';
import type { StageMocks } from '../../../../support/check-fixtures';
import { ASSUMED_ROLE, HEALTHY_BODY, mockHealthyStage, PARAMS } from '../../../../support/check-fixtures';

/*
 * The Lambda entry of the stage health action: the handler it exports is the check handler of the stage
 * health check. The entry reads its environment when it loads, as on a cold start, so it is loaded with a valid one.
 */
let handler: typeof Entry.handler;
beforeAll(() => {
  jest.replaceProperty(process, 'env', { ...process.env, REPORT_RESERVE_MS: '5000' });
  ({ handler } = jest.requireActual<typeof Entry>('../../../../lambda/pipeline/stage-health'));
});

const codePipeline = mockClient(CodePipelineClient);
const sts = mockClient(STSClient);
const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'req-1' };
let mocks: StageMocks;
beforeEach(() => {
  mocks = mockHealthyStage();
  codePipeline.reset();
  sts.reset();
  codePipeline.onAnyCommand().resolves({});
  sts.on(AssumeRoleCommand).resolves(ASSUMED_ROLE);
  // The function's JSON log lines go to the console; these tests read what it reports to CodePipeline instead.
  for (const stream of ['log', 'warn', 'error'] as const)
    jest.spyOn(console, stream).mockImplementation(() => undefined);
});
afterEach(() => mocks.restore());
afterAll(() => {
  codePipeline.restore();
  sts.restore();
});

describe('The stage health check entry', () => {
  it('runs the stage health check, GETting the health endpoint, and reports a healthy stage as passed', async () => {
    const fetch = jest
      .spyOn(globalThis, 'fetch')
      .mockImplementation(async () => new Response(HEALTHY_BODY, { status: 200 }));
    const event = {
      'CodePipeline.job': {
        id: 'job-1',
        data: { actionConfiguration: { configuration: { UserParameters: JSON.stringify(PARAMS) } } },
      },
    } as unknown as CodePipelineEvent;
    await handler(event, context);
    expect(fetch).toHaveBeenCalledWith('https://api.example.com/prod/health', expect.anything());
    const [report] = codePipeline.commandCalls(PutJobSuccessResultCommand);
    expect(report.args[0].input.executionDetails!.summary).toMatch(/^staging health check passed \(\d+ items\)\.$/);
  });

  it('names the health check in the error for an event that is not a CodePipeline job', async () => {
    await expect(handler({} as CodePipelineEvent, context)).rejects.toThrow(
      'health check: event has no CodePipeline.job.id',
    );
  });
});
