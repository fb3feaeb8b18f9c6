import type { CodePipelineEvent } from 'aws-lambda';
import type * as Entry from '../../../../lambda/pipeline/termination-protection';

/*
 * The Lambda entry of the termination-protection action: the handler it exports is the check handler of the
 * termination-protection check.
 * The entry reads its environment when it loads, as on a cold start, so it is loaded with a valid one.
 */
let handler: typeof Entry.handler;
beforeAll(() => {
  jest.replaceProperty(process, 'env', { ...process.env, REPORT_RESERVE_MS: '5000' });
  ({ handler } = jest.requireActual<typeof Entry>('../../../../lambda/pipeline/termination-protection'));
});

describe('The termination-protection entry', () => {
  it('names the termination-protection check in the error for an event that is not a CodePipeline job', async () => {
    const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'req-1' };
    await expect(handler({} as CodePipelineEvent, context)).rejects.toThrow(
      'termination-protection check: event has no CodePipeline.job.id',
    );
  });
});
