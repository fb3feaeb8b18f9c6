import * as FakeTimers from '@sinonjs/fake-timers';
import {
  callAws,
  CheckFailure,
  describeError,
  isAccessDenied,
  isRetryable,
} from '../../../../lambda/pipeline/private/aws-call';
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

describe('Which AWS errors a check retries', () => {
  const awsError = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(`${name} happened`), {
      name,
      ...(status ? { $metadata: { httpStatusCode: status } } : {}),
      ...extra,
    });
  const noSleep = { sleep: async () => undefined };

  it.each([
    'ThrottlingException',
    'Throttling',
    'ThrottledException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'ProvisionedThroughputExceededException',
    'RequestThrottled',
    'RequestThrottledException',
    'SlowDown',
    'LimitExceededException',
  ])('retries %s, a throttling error, until it succeeds', async (name) => {
    const fn = jest.fn().mockRejectedValueOnce(awsError(name)).mockResolvedValue('answer');
    await expect(callAws('Describe', fn, noSleep)).resolves.toBe('answer');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['HTTP 429', awsError('SomethingNew', 429)],
    ['HTTP 500', awsError('InternalFailure', 500)],
    ['HTTP 503', awsError('ServiceUnavailable', 503)],
    ['an error the SDK marks retryable', awsError('TimeoutError', undefined, { $retryable: {} })],
  ])('retries %s', async (_label, error) => {
    expect(isRetryable(error)).toBe(true);
    const fn = jest.fn().mockRejectedValueOnce(error).mockResolvedValue('answer');
    await expect(callAws('Describe', fn, noSleep)).resolves.toBe('answer');
  });

  it.each([
    ['a validation error', awsError('ValidationError', 400)],
    ['HTTP 499', awsError('ClientClosed', 499)],
    ['a missing resource', awsError('ResourceNotFoundException', 400)],
    ['a plain error', new Error('bug')],
  ])('does not retry %s, and says what failed without counting attempts', async (_label, error) => {
    expect(isRetryable(error)).toBe(false);
    const fn = jest.fn().mockRejectedValue(error);
    await expect(callAws('DescribeTable t-users', fn, noSleep)).rejects.toThrow(
      new CheckFailure(`DescribeTable t-users failed: ${error.name}: ${error.message}`),
    );
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('tries 4 times by default', async () => {
    const fn = jest.fn().mockRejectedValue(throttled());
    await expect(callAws('Describe', fn, noSleep)).rejects.toThrow('(still failing after 4 attempts)');
    expect(fn).toHaveBeenCalledTimes(4);
  });

  it('waits 200 ms, then 400 ms, then 800 ms by default, each cut by at most half at random', async () => {
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
    };
    const random = jest.spyOn(Math, 'random').mockReturnValue(0);
    await expect(callAws('Describe', jest.fn().mockRejectedValue(throttled()), { sleep })).rejects.toThrow();
    random.mockReturnValue(0.999999);
    await expect(callAws('Describe', jest.fn().mockRejectedValue(throttled()), { sleep })).rejects.toThrow();
    expect(sleeps).toEqual([100, 200, 400, 200, 400, 800]);
  });

  it('gives an attempt 5 s by default', async () => {
    const clock = FakeTimers.install({ now: 0 });
    try {
      const done = callAws('Describe', () => new Promise(() => undefined)).catch((e: Error) => e);
      await clock.tickAsync(4999);
      await clock.tickAsync(1);
      expect(await done).toEqual(new CheckFailure('Describe timed out after 5000 ms'));
    } finally {
      clock.uninstall();
    }
  });

  it('says it ran out of time, not attempts, when the deadline stops the retries', async () => {
    let now = 0;
    const fn = jest.fn(async () => {
      now += 1000;
      throw throttled();
    });
    const random = jest.spyOn(Math, 'random').mockReturnValue(0);
    await expect(
      callAws('Put', fn, { now: () => now, deadlineAt: 1290, attempts: 4, baseDelayMs: 100, sleep: noSleep.sleep }),
    ).rejects.toThrow(
      new CheckFailure(
        'Put failed: ThrottlingException: Rate exceeded (still failing after 1 attempts, no time left for another)',
      ),
    );
    expect(random).toHaveBeenCalled();
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('says it ran out of attempts, not time, when the last attempt also leaves no time for another', async () => {
    let now = 0;
    const fn = jest.fn(async () => {
      now += 1000;
      throw throttled();
    });
    jest.spyOn(Math, 'random').mockReturnValue(0);
    await expect(
      callAws('Put', fn, { now: () => now, deadlineAt: 2290, attempts: 2, baseDelayMs: 100, sleep: noSleep.sleep }),
    ).rejects.toThrow(
      new CheckFailure('Put failed: ThrottlingException: Rate exceeded (still failing after 2 attempts)'),
    );
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('starts an attempt with 250 ms left before the deadline, and not with less', async () => {
    const fn = jest.fn().mockResolvedValue('answer');
    await expect(callAws('Put', fn, { now: () => 750, deadlineAt: 1000 })).resolves.toBe('answer');
    await expect(callAws('Put', fn, { now: () => 751, deadlineAt: 1000 })).rejects.toThrow(
      'Put not attempted: no time left before the deadline',
    );
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('retries when the backoff still leaves 250 ms before the deadline', async () => {
    let now = 0;
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const fn = jest.fn().mockRejectedValueOnce(throttled()).mockResolvedValue('answer');
    // The first backoff is 100 ms (200 ms halved by the jitter): 350 ms left leaves exactly 250 ms after it.
    await expect(
      callAws('Put', fn, {
        now: () => now,
        deadlineAt: 350,
        sleep: async (ms) => {
          now += ms;
        },
      }),
    ).resolves.toBe('answer');
    expect(fn).toHaveBeenCalledTimes(2);
  });
});

describe('An AWS error, in one sentence for the operator', () => {
  it.each([
    'AccessDenied',
    'AccessDeniedException',
    'UnauthorizedOperation',
    'UnrecognizedClientException',
    'ExpiredTokenException',
    'InvalidClientTokenId',
  ])('names %s as access denied and says to check the role policy', (name) => {
    const error = Object.assign(new Error('not allowed'), { name });
    expect(isAccessDenied(error)).toBe(true);
    expect(describeError(error)).toBe(`access denied (${name}: not allowed); check the stage's check role policy`);
  });

  it('reads any HTTP 403 as access denied', () => {
    const error = Object.assign(new Error('Forbidden'), { name: 'Forbidden', $metadata: { httpStatusCode: 403 } });
    expect(describeError(error)).toBe("access denied (Forbidden: Forbidden); check the stage's check role policy");
  });

  it('does not call other errors access denied', () => {
    const error = Object.assign(new Error('Stack with id X does not exist'), {
      name: 'ValidationError',
      $metadata: { httpStatusCode: 400 },
    });
    expect(isAccessDenied(error)).toBe(false);
    expect(isAccessDenied(new Error('x'))).toBe(false);
    expect(describeError(error)).toBe('ValidationError: Stack with id X does not exist');
  });

  it('keeps the first line, at most 200 characters', () => {
    expect(describeError(Object.assign(new Error('line one\nline two'), { name: 'InternalError' }))).toBe(
      'InternalError: line one',
    );
    expect(describeError(Object.assign(new Error('y'.repeat(300)), { name: 'InternalError' }))).toBe(
      `InternalError: ${'y'.repeat(185)}`,
    );
  });

  it('describes what is not an Error object', () => {
    expect(describeError('socket hang up')).toBe('Error: socket hang up');
    expect(describeError(null)).toBe('Error: null');
    expect(describeError({ name: 'Odd' })).toBe('Odd: ');
  });

  it('passes a check failure message through as it is', () => {
    expect(describeError(new CheckFailure('stack Staging-Backup does not exist in eu-west-2'))).toBe(
      'stack Staging-Backup does not exist in eu-west-2',
    );
    expect(new CheckFailure('x').name).toBe('CheckFailure');
  });
});
