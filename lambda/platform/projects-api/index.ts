import { randomUUID } from 'crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { apiHandler } from '../shared/api-handler';
import { DOMAIN_EVENT_SOURCE, DOMAIN_EVENTS } from '../../../contracts/domain-events';
import { InvalidInputError, NotFoundError, TransientError } from '../shared/errors';
import { jsonResponse } from '../shared/http-response';
import { functionLogger } from '../../shared/logger';
import { ENV_NAMES } from '../../../contracts/env-names';
import { Environment, FunctionEnvironment, readFunctionEnvironment } from '../shared/function-environment';
import {
  optionalPositiveInteger,
  optionalString,
  parseJsonObject,
  requireId,
  requirePostcode,
  requireString,
} from '../shared/request-input';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const events = new EventBridgeClient({});
const logger = functionLogger('projects-api');

/** The variables the API reads. */
const VARIABLES = [ENV_NAMES.projectsTable, ENV_NAMES.eventBusName] as const;
type ApiEnvironment = FunctionEnvironment<(typeof VARIABLES)[number]>;

/** The caller's Cognito `sub`; API Gateway's authorizer puts it in the request context. */
function callerId(event: APIGatewayProxyEvent): string {
  const sub = event.requestContext?.authorizer?.claims?.sub;
  if (typeof sub !== 'string' || sub === '')
    throw new InvalidInputError('the request carries no authenticated user', 401);
  return sub;
}

async function publish(
  environment: ApiEnvironment,
  detailType: string,
  detail: Record<string, unknown>,
): Promise<void> {
  const result = await events.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: environment.require(ENV_NAMES.eventBusName),
          Source: DOMAIN_EVENT_SOURCE,
          DetailType: detailType,
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  if (result.FailedEntryCount)
    throw new TransientError(`EventBridge rejected ${detailType}: ${result.Entries?.[0]?.ErrorCode ?? 'unknown'}`);
}

/** POST /projects: records a homeowner's project and announces ProjectCreated, which starts the AI workflow. */
async function createProject(environment: ApiEnvironment, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const homeownerId = callerId(event);
  const body = parseJsonObject(event.body);
  const now = new Date().toISOString();
  const project = {
    projectId: randomUUID(),
    homeownerId,
    title: requireString(body, 'title', 120),
    description: requireString(body, 'description', 4000),
    postcode: requirePostcode(body, 'postcode'),
    budgetPence: optionalPositiveInteger(body, 'budgetPence'),
    status: 'submitted',
    createdAt: now,
    updatedAt: now,
  };
  await documents.send(
    new PutCommand({
      TableName: environment.require(ENV_NAMES.projectsTable),
      Item: project,
      ConditionExpression: 'attribute_not_exists(projectId)',
    }),
  );
  await publish(environment, DOMAIN_EVENTS.projectCreated, { projectId: project.projectId, homeownerId });
  logger.info('project created', { projectId: project.projectId });
  return jsonResponse(201, { projectId: project.projectId, status: project.status });
}

/** POST /projects/{projectId}/quotes: the project's owner asks for a (new) quote; answered 202, estimated asynchronously. */
async function requestQuote(environment: ApiEnvironment, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const homeownerId = callerId(event);
  const projectId = requireId(event.pathParameters ?? {}, 'projectId');
  const body = event.body ? parseJsonObject(event.body) : {};
  const notes = optionalString(body, 'notes', 2000);
  const { Item } = await documents.send(
    new GetCommand({ TableName: environment.require(ENV_NAMES.projectsTable), Key: { projectId } }),
  );
  // Another homeowner's project answers 404 too, so ids cannot be probed.
  if (!Item || Item.homeownerId !== homeownerId) throw new NotFoundError(`project ${projectId} not found`);
  await publish(environment, DOMAIN_EVENTS.quoteRequested, { projectId, requestedBy: homeownerId, notes });
  return jsonResponse(202, { projectId, status: 'quote-requested' });
}

/** Builds the business API's router; the environment is read once, when it is built. */
export function createHandler(env: Environment = process.env) {
  const environment = readFunctionEnvironment(VARIABLES, env);
  return apiHandler(logger, async (event) => {
    if (!event || typeof event !== 'object' || !event.httpMethod)
      throw new InvalidInputError('not an API Gateway request');
    const route = `${event.httpMethod} ${event.resource}`;
    switch (route) {
      case 'POST /projects':
        return createProject(environment, event);
      case 'POST /projects/{projectId}/quotes':
        return requestQuote(environment, event);
      default:
        throw new NotFoundError(`no route for ${route}`);
    }
  });
}

/** Lambda entry point: routes the business API's requests; the environment is read at cold start. */
export const handler = createHandler();
