/** A check item that could not be evaluated, or found something wrong; its message is shown to people. */
export class CheckFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** How AWS calls are retried and bounded. */
export interface CallOptions {
  /** Attempts in total for throttled or transient errors. @default 4 */
  readonly attempts?: number;
  /** First backoff delay; doubles each retry, with jitter. @default 200 ms */
  readonly baseDelayMs?: number;
  /** Time one attempt may take before it counts as a timeout. @default 5000 ms */
  readonly timeoutMs?: number;
  /** Sleeps between attempts (replaced in tests). */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Time (epoch ms) by which the call must have finished, retries and backoff included: each attempt's
   * timeout is cut to the time left, and no attempt or backoff starts that would end after it.
   * @default no deadline (only `attempts` and `timeoutMs` bound the call)
   */
  readonly deadlineAt?: number;
  /** Current time in epoch ms (replaced in tests). @default Date.now */
  readonly now?: () => number;
}

/** Shortest attempt worth starting before a deadline. */
const MIN_ATTEMPT_MS = 250;

const THROTTLING = new Set([
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
]);
const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
]);

interface AwsLikeError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

function asAwsError(error: unknown): AwsLikeError {
  return typeof error === 'object' && error !== null ? error : { message: String(error) };
}

/** True for throttling and transient (5xx) errors worth retrying. */
export function isRetryable(error: unknown): boolean {
  const e = asAwsError(error);
  if (e.name && THROTTLING.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  return status === 429 || (status !== undefined && status >= 500) || e.$retryable !== undefined;
}

/** True when the caller lacks permission (or credentials). */
export function isAccessDenied(error: unknown): boolean {
  const e = asAwsError(error);
  return (e.name !== undefined && ACCESS_DENIED.has(e.name)) || e.$metadata?.httpStatusCode === 403;
}

/** One short sentence about an error, for a check outcome. */
export function describeError(error: unknown): string {
  if (error instanceof CheckFailure) return error.message;
  const e = asAwsError(error);
  const text = `${e.name ?? 'Error'}: ${(e.message ?? '').split('\n')[0]}`.slice(0, 200);
  if (isAccessDenied(error)) return `access denied (${text}); check the stage's check role policy`;
  return text;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls AWS with bounded retries for throttling and transient errors and a per-attempt timeout.
 * Every other error, and the last retryable one, becomes a {@link CheckFailure} naming `what`.
 */
export async function callAws<T>(
  what: string,
  call: (signal: AbortSignal) => Promise<T>,
  options: CallOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const timeoutMs = options.timeoutMs ?? 5000;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const left = () => (options.deadlineAt === undefined ? Infinity : options.deadlineAt - now());
  for (let attempt = 1; ; attempt++) {
    if (left() < MIN_ATTEMPT_MS) throw new CheckFailure(`${what} not attempted: no time left before the deadline`);
    const attemptMs = Math.min(timeoutMs, Math.floor(left()));
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new CheckFailure(`${what} timed out after ${attemptMs} ms`));
      }, attemptMs);
    });
    try {
      return await Promise.race([call(controller.signal), timeout]);
    } catch (error) {
      if (error instanceof CheckFailure) throw error;
      const delay = Math.round(baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
      const outOfTime = left() - delay < MIN_ATTEMPT_MS;
      if (!isRetryable(error) || attempt >= attempts || outOfTime) {
        const suffix = !isRetryable(error)
          ? ''
          : outOfTime && attempt < attempts
            ? ` (still failing after ${attempt} attempts, no time left for another)`
            : ` (still failing after ${attempt} attempts)`;
        throw new CheckFailure(`${what} failed: ${describeError(error)}${suffix}`);
      }
      await sleep(delay);
    } finally {
      clearTimeout(timer);
    }
  }
}
