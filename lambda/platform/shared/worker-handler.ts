import type { Logger } from '../../shared/logger';
import { describeError } from '../../shared/logger';

/**
 * Wraps a Step Functions / EventBridge worker: logs the failure (name and message, no stack)
 * and rethrows an error of the same name, so the workflow's retry and catch rules still apply.
 */
export function workerHandler<I, O>(logger: Logger, logic: (event: I) => Promise<O>): (event: I) => Promise<O> {
  return async (event) => {
    try {
      return await logic(event);
    } catch (error) {
      const { errorName, errorMessage } = describeError(error);
      logger.error('work failed', { errorName, errorMessage });
      const clean = new Error(errorMessage);
      clean.name = errorName;
      clean.stack = `${errorName}: ${errorMessage}`;
      throw clean;
    }
  };
}
