import { randomUUID } from 'crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { apiHandler } from '../shared/api-handler';
import { DOMAIN_EVENT_SOURCE, DOMAIN_EVENTS } from '../../../contracts/domain-events';
import { InvalidInputError, NotFoundError, TransientError } from '../shared/errors';
import { jsonResponse } from '../shared/http-response';
import { functionLogger } from '../../shared/logger';
import { ENV_NAMES } from '../../../contracts/env-names';
import { hasSyntheticGroup, SYNTHETIC } from '../../../contracts/synthetic-data';
import { PROJECT_INDEXES, QUOTE_INDEXES } from '../../../contracts/table-indexes';
import type { Environment, FunctionEnvironment } from '../shared/function-environment';
import { readFunctionEnvironment } from '../shared/function-environment';
import {
  optionalPositiveInteger,
  optionalString,
  parseJsonObject,
  requireId,
  requirePostcode,
  requireString,
} from '../shared/request-input';

/** The AWS clients the API uses; tests and the journey's local API pass their own. */
export interface ProjectsApiClients {
  readonly documents: Pick<DynamoDBDocumentClient, 'send'>;
  readonly events: { send(command: PutEventsCommand): Promise<PutEventsCommandOutput> };
}

let defaultClients: ProjectsApiClients | undefined;
/** The real clients, created once per container. */
function productionClients(): ProjectsApiClients {
  return (defaultClients ??= {
    documents: DynamoDBDocumentClient.from(new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    events: new EventBridgeClient({}),
  });
}
const logger = functionLogger('projects-api');

/** The variables the API reads. */
const VARIABLES = [ENV_NAMES.projectsTable, ENV_NAMES.quotesTable, ENV_NAMES.eventBusName] as const;
type ApiEnvironment = FunctionEnvironment<(typeof VARIABLES)[number]>;

/** Everything a route needs. */
interface RouteContext {
  readonly environment: ApiEnvironment;
  readonly clients: ProjectsApiClients;
  readonly event: APIGatewayProxyEvent;
}

/** Most projects or quotes one list answer holds. */
export const LIST_LIMIT = 50;

/** The caller's Cognito `sub`; API Gateway's authorizer puts it in the request context. */
function callerId(event: APIGatewayProxyEvent): string {
  const sub = event.requestContext?.authorizer?.claims?.sub;
  if (typeof sub !== 'string' || sub === '')
    throw new InvalidInputError('the request carries no authenticated user', 401);
  return sub;
}

/** Whether the caller is one of the acceptance journey's synthetic users (group membership only an administrator grants). */
function callerIsSynthetic(event: APIGatewayProxyEvent): boolean {
  return hasSyntheticGroup(event.requestContext?.authorizer?.claims?.['cognito:groups']);
}

async function publish(
  { environment, clients }: RouteContext,
  detailType: string,
  detail: Record<string, unknown>,
): Promise<void> {
  const result = await clients.events.send(
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

/**
 * POST /projects: records a homeowner's project and announces ProjectCreated, which starts the AI workflow.
 * A synthetic caller's project gets the synthetic key prefix and attribute, so the journey's role may remove it.
 */
async function createProject(ctx: RouteContext): Promise<APIGatewayProxyResult> {
  const { event, environment, clients } = ctx;
  const homeownerId = callerId(event);
  const synthetic = callerIsSynthetic(event);
  const body = parseJsonObject(event.body);
  const now = new Date().toISOString();
  const project = {
    projectId: `${synthetic ? SYNTHETIC.keyPrefix : ''}${randomUUID()}`,
    homeownerId,
    title: requireString(body, 'title', 120),
    description: requireString(body, 'description', 4000),
    postcode: requirePostcode(body, 'postcode'),
    budgetPence: optionalPositiveInteger(body, 'budgetPence'),
    status: 'submitted',
    createdAt: now,
    updatedAt: now,
    ...(synthetic ? { [SYNTHETIC.attribute]: true } : {}),
  };
  await clients.documents.send(
    new PutCommand({
      TableName: environment.require(ENV_NAMES.projectsTable),
      Item: project,
      ConditionExpression: 'attribute_not_exists(projectId)',
    }),
  );
  await publish(ctx, DOMAIN_EVENTS.projectCreated, { projectId: project.projectId, homeownerId });
  logger.info('project created', { projectId: project.projectId, ...(synthetic ? { synthetic } : {}) });
  return jsonResponse(201, { projectId: project.projectId, status: project.status });
}

/** The caller's own project; another homeowner's project answers 404 too, so ids cannot be probed. */
async function ownProject({ event, environment, clients }: RouteContext): Promise<Record<string, unknown>> {
  const homeownerId = callerId(event);
  const projectId = requireId(event.pathParameters ?? {}, 'projectId');
  const { Item } = await clients.documents.send(
    new GetCommand({ TableName: environment.require(ENV_NAMES.projectsTable), Key: { projectId } }),
  );
  if (!Item || Item.homeownerId !== homeownerId) throw new NotFoundError(`project ${projectId} not found`);
  return Item;
}

/** What a homeowner sees of a project. */
function projectView(item: Record<string, unknown>): Record<string, unknown> {
  const {
    projectId,
    title,
    description,
    postcode,
    budgetPence,
    status,
    scope,
    lastNotification,
    createdAt,
    updatedAt,
  } = item;
  return {
    projectId,
    title,
    description,
    postcode,
    budgetPence,
    status,
    scope,
    lastNotification,
    createdAt,
    updatedAt,
  };
}

/** GET /projects/{projectId}: the caller's project with its status, scope and last notification. */
async function readProject(ctx: RouteContext): Promise<APIGatewayProxyResult> {
  return jsonResponse(200, projectView(await ownProject(ctx)));
}

/** GET /projects: the caller's projects, newest first (index byHomeowner), at most {@link LIST_LIMIT}. */
async function listProjects({ event, environment, clients }: RouteContext): Promise<APIGatewayProxyResult> {
  const homeownerId = callerId(event);
  const { Items = [] } = await clients.documents.send(
    new QueryCommand({
      TableName: environment.require(ENV_NAMES.projectsTable),
      IndexName: PROJECT_INDEXES.byHomeowner,
      KeyConditionExpression: 'homeownerId = :homeownerId',
      ExpressionAttributeValues: { ':homeownerId': homeownerId },
      ScanIndexForward: false,
      Limit: LIST_LIMIT,
    }),
  );
  return jsonResponse(200, {
    projects: Items.map(({ projectId, title, status, createdAt }) => ({ projectId, title, status, createdAt })),
  });
}

/** GET /projects/{projectId}/quotes: the quotes of the caller's project, in the order they arrived (index byProject). */
async function listQuotes(ctx: RouteContext): Promise<APIGatewayProxyResult> {
  const { projectId } = await ownProject(ctx);
  const { Items = [] } = await ctx.clients.documents.send(
    new QueryCommand({
      TableName: ctx.environment.require(ENV_NAMES.quotesTable),
      IndexName: QUOTE_INDEXES.byProject,
      KeyConditionExpression: 'projectId = :projectId',
      ExpressionAttributeValues: { ':projectId': projectId },
      Limit: LIST_LIMIT,
    }),
  );
  return jsonResponse(200, {
    quotes: Items.map(({ quoteId, source, lineItems, subtotalPence, vatPence, totalPence, createdAt }) => ({
      quoteId,
      source,
      lineItems,
      subtotalPence,
      vatPence,
      totalPence,
      createdAt,
    })),
  });
}

/** POST /projects/{projectId}/quotes: the project's owner asks for a (new) quote; answered 202, estimated asynchronously. */
async function requestQuote(ctx: RouteContext): Promise<APIGatewayProxyResult> {
  callerId(ctx.event);
  requireId(ctx.event.pathParameters ?? {}, 'projectId');
  const body = ctx.event.body ? parseJsonObject(ctx.event.body) : {};
  const notes = optionalString(body, 'notes', 2000);
  const { projectId, homeownerId } = await ownProject(ctx);
  await publish(ctx, DOMAIN_EVENTS.quoteRequested, { projectId, requestedBy: homeownerId, notes });
  return jsonResponse(202, { projectId, status: 'quote-requested' });
}

const ROUTES: Readonly<Record<string, (ctx: RouteContext) => Promise<APIGatewayProxyResult>>> = {
  'POST /projects': createProject,
  'GET /projects': listProjects,
  'GET /projects/{projectId}': readProject,
  'GET /projects/{projectId}/quotes': listQuotes,
  'POST /projects/{projectId}/quotes': requestQuote,
};

/** The routes the API answers, as `<method> <resource>` (PlatformApi declares the same). */
export const PROJECTS_API_ROUTES = Object.keys(ROUTES);

/** Builds the business API's router; the environment is read once, when it is built. */
export function createHandler(env: Environment = process.env, clients?: ProjectsApiClients) {
  const environment = readFunctionEnvironment(VARIABLES, env);
  return apiHandler(logger, async (event) => {
    if (!event || typeof event !== 'object' || !event.httpMethod)
      throw new InvalidInputError('not an API Gateway request');
    const route = `${event.httpMethod} ${event.resource}`;
    const answer = ROUTES[route];
    if (!answer) throw new NotFoundError(`no route for ${route}`);
    return answer({ environment, clients: clients ?? productionClients(), event });
  });
}

/** Lambda entry point: routes the business API's requests; the environment is read at cold start. */
export const handler = createHandler();
