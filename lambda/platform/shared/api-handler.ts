import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ConfigurationError, InvalidInputError, NotFoundError } from './errors';
import { errorResponse } from './http-response';
import type { Logger } from '../../shared/logger';
import { describeError } from '../../shared/logger';

/** An API route's logic: may throw the errors of ./errors. */
export type ApiLogic = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/**
 * Wraps API logic so every failure becomes a JSON answer: bad input 4xx with its message,
 * unknown record 404, configuration 500 and dependency failures 503 with a generic message.
 * The details go to the log with the request id; no stack trace reaches the client.
 */
export function apiHandler(
  logger: Logger,
  logic: ApiLogic,
): (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult> {
  return async (event) => {
    const requestId = event?.requestContext?.requestId;
    try {
      return await logic(event);
    } catch (error) {
      if (error instanceof InvalidInputError) return errorResponse(error.statusCode, error.message, requestId);
      if (error instanceof NotFoundError) return errorResponse(404, error.message, requestId);
      logger.error('request failed', { requestId, ...describeError(error) });
      if (error instanceof ConfigurationError)
        return errorResponse(500, 'the service is misconfigured; the team has been alerted', requestId);
      return errorResponse(503, 'a dependency of the service is unavailable; try again shortly', requestId);
    }
  };
}
