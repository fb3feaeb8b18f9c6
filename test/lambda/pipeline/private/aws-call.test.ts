import * as FakeTimers from '@sinonjs/fake-timers';
import { callAws, CheckFailure } from '../../../../lambda/pipeline/private/aws-call';
import { createLogger } from '../../../../lambda/shared/logger';

const throttled = () =>
  Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

describe('An AWS call made by a check', () => {
  it('retries throttling with growing backoff and returns the answer', async () => {
    const sleeps: number[] = [];
    const fn = jest
      .fn()
      .mockRejectedValueOnce(throttled())
      .mockRejectedValueOnce(throttled())
      .mockResolvedValue('answer');
    await expect(
      callAws('Describe', fn, {
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        baseDelayMs: 100,
      }),
    ).resolves.toBe('answer');
    expect(fn).toHaveBeenCalledTimes(3);
    // Exponential backoff with jitter: attempt n waits between half and all of 100 ms * 2^(n-1).
    expect(sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeGreaterThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
  });

  it('gives up after the bounded number of attempts', async () => {
    const fn = jest.fn().mockRejectedValue(throttled());
    await expect(callAws('Describe', fn, { sleep: async () => undefined, attempts: 4 })).rejects.toThrow(
      'Describe failed: ThrottlingException: Rate exceeded (still failing after 4 attempts)',
    );
    expect(fn).toHaveBeenCalledTimes(4);
  });

  it('does not retry access denied, and says what to check', async () => {
    const fn = jest
      .fn()
      .mockRejectedValue(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
    await expect(callAws('Describe', fn)).rejects.toThrow(/access denied .*check role policy/);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('fails an attempt that takes longer than its timeout, aborting it', async () => {
    let signal: AbortSignal | undefined;
    const fn = (s: AbortSignal) => {
      signal = s;
      return new Promise(() => undefined);
    };
    await expect(callAws('Describe', fn, { timeoutMs: 20 })).rejects.toEqual(
      new CheckFailure('Describe timed out after 20 ms'),
    );
    expect(signal?.aborted).toBe(true);
  });
});

describe('An AWS call with a deadline', () => {
  it('cuts the attempt timeout to the time left', async () => {
    const started = Date.now();
    const fn = () => new Promise(() => undefined);
    await expect(callAws('Put', fn, { timeoutMs: 5000, deadlineAt: started + 300 })).rejects.toThrow(
      /^Put timed out after (2\d\d|300) ms$/,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('ends every attempt and backoff by the deadline, on a fake clock', async () => {
    const clock = FakeTimers.install({ now: 0 });
    try {
      // Each attempt takes 4 s and fails with a retryable 500; 4 attempts of up to 5 s could take 20 s.
      const fn = jest.fn(
        () =>
          new Promise((_, reject) =>
            setTimeout(
              () =>
                reject(Object.assign(new Error('boom'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } })),
              4000,
            ),
          ),
      );
      let endedAt = -1;
      const done = callAws('Put', fn, { deadlineAt: 9000, attempts: 4, timeoutMs: 5000 }).catch((e: Error) => {
        endedAt = Date.now();
        return e;
      });
      await clock.tickAsync(30_000);
      expect(((await done) as Error).message).toMatch(
        /^Put (timed out after \d+ ms|failed: InternalError: boom \(still failing after \d attempts, no time left for another\))$/,
      );
      expect(endedAt).toBeGreaterThan(0);
      expect(endedAt).toBeLessThanOrEqual(9000);
      expect(fn.mock.calls.length).toBeLessThan(4);
    } finally {
      clock.uninstall();
    }
  });

  it('does not start when the deadline has passed', async () => {
    const fn = jest.fn();
    await expect(callAws('Put', fn, { now: () => 10, deadlineAt: 5 })).rejects.toThrow(
      'Put not attempted: no time left before the deadline',
    );
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('The structured logger', () => {
  it('writes one JSON object per line with stage, check and the fields', () => {
    const lines: string[] = [];
    createLogger({ stage: 'prod', check: 'dr' }, (l) => lines.push(l))
      .child({ jobId: 'j' })
      .warn('slow', { ms: 3 });
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'warn',
      stage: 'prod',
      check: 'dr',
      jobId: 'j',
      message: 'slow',
      ms: 3,
    });
  });
});
