import type { CodePipelineEvent } from 'aws-lambda';
import type * as Entry from '../../../../lambda/pipeline/dr-check';

/*
 * The Lambda entry of the DR-readiness action: the handler it exports is the check handler of the DR check.
 * The entry reads its environment when it loads, as on a cold start, so it is loaded with a valid one.
 */
let handler: typeof Entry.handler;
beforeAll(() => {
  jest.replaceProperty(process, 'env', { ...process.env, REPORT_RESERVE_MS: '5000' });
  ({ handler } = jest.requireActual<typeof Entry>('../../../../lambda/pipeline/dr-check'));
});

describe('The DR-readiness check entry', () => {
  it('names the DR check in the error for an event that is not a CodePipeline job', async () => {
    const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'req-1' };
    await expect(handler({} as CodePipelineEvent, context)).rejects.toThrow(
      'dr check: event has no CodePipeline.job.id',
    );
  });
});
