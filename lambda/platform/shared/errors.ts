/**
 * Errors a handler throws on purpose. `name` is what Step Functions sees as the error type,
 * so retry and catch rules can tell a bad request from a passing outage.
 */

/** The caller sent something the handler cannot accept: never retried, answered with a 4xx. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(
    message: string,
    readonly statusCode: 400 | 401 | 403 = 400,
  ) {
    super(message);
  }
}

/** A record the request names does not exist (or is not the caller's). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The function's own configuration (environment, secret content) is wrong: fix the stage, not the request. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** A dependency failed in a way worth retrying (throttling, timeout, a malformed model answer). */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}
