import type { APIGatewayProxyEvent } from 'aws-lambda';

/** An API Gateway proxy event as the REST API sends it, with the caller's Cognito claims. */
export function apiEvent(
  overrides: Partial<APIGatewayProxyEvent> & { sub?: string | null } = {},
): APIGatewayProxyEvent {
  const { sub = 'user-123', ...rest } = overrides;
  return {
    httpMethod: 'GET',
    resource: '/',
    path: '/',
    body: null,
    headers: {},
    multiValueHeaders: {},
    isBase64Encoded: false,
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {
      requestId: 'req-1',
      authorizer: sub === null ? undefined : { claims: { sub } },
    } as unknown as APIGatewayProxyEvent['requestContext'],
    ...rest,
  };
}

/** Parses a handler's JSON body. */
export function bodyOf(result: { body: string }): Record<string, unknown> {
  return JSON.parse(result.body);
}
