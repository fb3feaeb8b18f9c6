import { callAws, CheckFailure } from '../../../../lambda/pipeline/private/aws-call';
import { createLogger } from '../../../../lambda/shared/logger';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

describe('An AWS call made by a check', () => {
  it('retries throttling with growing backoff and returns the answer', async () => {
    const sleeps: number[] = [];
    const fn = jest.fn().mockRejectedValueOnce(throttled()).mockRejectedValueOnce(throttled()).mockResolvedValue('answer');
    await expect(callAws('Describe', fn, { sleep: async (ms) => { sleeps.push(ms); }, baseDelayMs: 100 })).resolves.toBe('answer');
    expect(fn).toHaveBeenCalledTimes(3);
    // Exponential backoff with jitter: attempt n waits between half and all of 100 ms * 2^(n-1).
    expect(sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeGreaterThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
  });

  it('gives up after the bounded number of attempts', async () => {
    const fn = jest.fn().mockRejectedValue(throttled());
    await expect(callAws('Describe', fn, { sleep: async () => undefined, attempts: 4 })).rejects.toThrow('Describe failed: ThrottlingException: Rate exceeded (still failing after 4 attempts)');
    expect(fn).toHaveBeenCalledTimes(4);
  });

  it('does not retry access denied, and says what to check', async () => {
    const fn = jest.fn().mockRejectedValue(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
    await expect(callAws('Describe', fn)).rejects.toThrow(/access denied .*check role policy/);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('fails an attempt that takes longer than its timeout, aborting it', async () => {
    let signal: AbortSignal | undefined;
    const fn = (s: AbortSignal) => { signal = s; return new Promise(() => undefined); };
    await expect(callAws('Describe', fn, { timeoutMs: 20 })).rejects.toEqual(new CheckFailure('Describe timed out after 20 ms'));
    expect(signal?.aborted).toBe(true);
  });
});

describe('The structured logger', () => {
  it('writes one JSON object per line with stage, check and the fields', () => {
    const lines: string[] = [];
    createLogger({ stage: 'prod', check: 'dr' }, (l) => lines.push(l)).child({ jobId: 'j' }).warn('slow', { ms: 3 });
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'warn', stage: 'prod', check: 'dr', jobId: 'j', message: 'slow', ms: 3 });
  });
});
