import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createHandler } from '../../../lambda/platform/projects-api/index';
import { apiEvent, bodyOf } from './api-event';
import { quietLogs } from './quiet-logs';

/** A cold start per call: the handler reads the environment as the test has set it. */
const handler = (...args: Parameters<ReturnType<typeof createHandler>>) => createHandler()(...args);

const documents = mockClient(DynamoDBDocumentClient);
const events = mockClient(EventBridgeClient);
const saved = { ...process.env };
quietLogs();

const validProject = {
  title: 'New kitchen',
  description: 'Replace units and worktops',
  postcode: 'sw1a 1aa',
  budgetPence: 1500000,
};
const createProject = (body: unknown, sub: string | null = 'user-123') =>
  handler(
    apiEvent({
      httpMethod: 'POST',
      resource: '/projects',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      sub,
    }),
  );
const requestQuote = (projectId: string, body: string | null = null) =>
  handler(
    apiEvent({ httpMethod: 'POST', resource: '/projects/{projectId}/quotes', pathParameters: { projectId }, body }),
  );

beforeEach(() => {
  documents.reset();
  events.reset();
  process.env = {
    ...saved,
    STAGE: 'dev',
    PROJECTS_TABLE: 'projects-table',
    QUOTES_TABLE: 'quotes-table',
    EVENT_BUS_NAME: 'bus',
  };
  documents.on(PutCommand).resolves({});
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});
afterAll(() => {
  process.env = saved;
});

describe('POST /projects', () => {
  it('stores the project for the caller and announces ProjectCreated, answering 201', async () => {
    const result = await createProject(validProject);
    expect(result.statusCode).toBe(201);
    const { projectId } = bodyOf(result);
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'projects-table',
      Item: expect.objectContaining({
        projectId,
        homeownerId: 'user-123',
        postcode: 'SW1A 1AA',
        status: 'submitted',
        budgetPence: 1500000,
      }),
    });
    const entry = events.commandCalls(PutEventsCommand)[0].args[0].input.Entries![0];
    expect(entry).toMatchObject({
      EventBusName: 'bus',
      Source: 'uk-home-improvement.platform',
      DetailType: 'ProjectCreated',
    });
    expect(JSON.parse(entry.Detail!)).toEqual({ projectId, homeownerId: 'user-123' });
  });

  it.each([
    ['an empty body', '', /empty/],
    ['a body that is not JSON', '{"title":', /not valid JSON/],
    ['a JSON array', '[]', /JSON object/],
    ['a missing title', JSON.stringify({ ...validProject, title: undefined }), /title is required/],
    ['a postcode that is not a UK postcode', JSON.stringify({ ...validProject, postcode: '90210' }), /UK postcode/],
    ['a budget that is not a whole number', JSON.stringify({ ...validProject, budgetPence: 12.5 }), /budgetPence/],
  ])('answers 400 with a clear message for %s, storing nothing', async (_case, body, message) => {
    const result = await createProject(body);
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).message).toMatch(message);
    expect(documents).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers 401 when the request carries no authenticated user', async () => {
    const result = await createProject(validProject, null);
    expect(result.statusCode).toBe(401);
  });

  it('answers 503 without a stack trace when the table throws', async () => {
    documents
      .on(PutCommand)
      .rejects(Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    const result = await createProject(validProject);
    expect(result.statusCode).toBe(503);
    expect(bodyOf(result)).toEqual({ message: expect.stringMatching(/unavailable/), requestId: 'req-1' });
    expect(result.body).not.toMatch(/Throughput|\.ts:\d+/);
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('answers 503 when EventBridge rejects the event', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    expect((await createProject(validProject)).statusCode).toBe(503);
  });

  it('answers 500 saying the service is misconfigured when the table name is not set', async () => {
    delete process.env.PROJECTS_TABLE;
    const result = await createProject(validProject);
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result).message).toMatch(/misconfigured/);
  });
});

describe('POST /projects/{projectId}/quotes', () => {
  it("announces QuoteRequested for the caller's own project, answering 202", async () => {
    documents.on(GetCommand).resolves({ Item: { projectId: 'p-1', homeownerId: 'user-123' } });
    const result = await requestQuote('p-1', JSON.stringify({ notes: 'Prefer oak' }));
    expect(result.statusCode).toBe(202);
    const entry = events.commandCalls(PutEventsCommand)[0].args[0].input.Entries![0];
    expect(entry.DetailType).toBe('QuoteRequested');
    expect(JSON.parse(entry.Detail!)).toEqual({ projectId: 'p-1', requestedBy: 'user-123', notes: 'Prefer oak' });
  });

  it("answers 404 for another homeowner's project, so ids cannot be probed", async () => {
    documents.on(GetCommand).resolves({ Item: { projectId: 'p-1', homeownerId: 'someone-else' } });
    const result = await requestQuote('p-1');
    expect(result.statusCode).toBe(404);
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('answers 400 for a malformed project id', async () => {
    const result = await requestQuote('../etc/passwd');
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).message).toMatch(/projectId/);
  });
});

describe('any other request', () => {
  it('answers 404 for an unknown route', async () => {
    expect((await handler(apiEvent({ httpMethod: 'DELETE', resource: '/projects' }))).statusCode).toBe(404);
  });

  it('answers 400 for an event that is not an API Gateway request', async () => {
    const result = await handler({} as never);
    expect(result.statusCode).toBe(400);
  });
});

/** A request of the synthetic group's user (the claim as API Gateway's authorizer passes it: a string). */
const asSynthetic = (event: ReturnType<typeof apiEvent>, groups = 'synthetic') => {
  (event.requestContext.authorizer as { claims: Record<string, string> }).claims['cognito:groups'] = groups;
  return event;
};
const read = (resource: string, pathParameters: Record<string, string> | null = null, sub = 'user-123') =>
  handler(apiEvent({ httpMethod: 'GET', resource, pathParameters, sub }));

describe('Synthetic data (the acceptance journey)', () => {
  it("marks a synthetic user's project with the key prefix and attribute", async () => {
    const result = await handler(
      asSynthetic(apiEvent({ httpMethod: 'POST', resource: '/projects', body: JSON.stringify(validProject) })),
    );
    expect(result.statusCode).toBe(201);
    expect(bodyOf(result).projectId).toMatch(/^journey-[0-9a-f-]{36}$/);
    expect(documents.commandCalls(PutCommand)[0].args[0].input.Item).toMatchObject({ synthetic: true });
  });

  it.each(['homeowners', 'homeowners,admins', ''])('leaves a project unmarked for groups %j', async (groups) => {
    const result = await handler(
      asSynthetic(apiEvent({ httpMethod: 'POST', resource: '/projects', body: JSON.stringify(validProject) }), groups),
    );
    expect(bodyOf(result).projectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(documents.commandCalls(PutCommand)[0].args[0].input.Item).not.toHaveProperty('synthetic');
  });
});

describe('GET /projects, /projects/{projectId} and its quotes', () => {
  it("lists the caller's projects newest first from the byHomeowner index", async () => {
    documents.on(QueryCommand).resolves({
      Items: [{ projectId: 'p-2', title: 'Roof', status: 'quoted', createdAt: 't2', homeownerId: 'user-123' }],
    });
    const result = await read('/projects');
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({
      projects: [{ projectId: 'p-2', title: 'Roof', status: 'quoted', createdAt: 't2' }],
    });
    expect(documents.commandCalls(QueryCommand)[0].args[0].input).toMatchObject({
      TableName: 'projects-table',
      IndexName: 'byHomeowner',
      ExpressionAttributeValues: { ':homeownerId': 'user-123' },
      ScanIndexForward: false,
      Limit: 50,
    });
  });

  it("reads the caller's own project", async () => {
    documents
      .on(GetCommand)
      .resolves({ Item: { projectId: 'p-1', homeownerId: 'user-123', title: 'Kitchen', status: 'scoped' } });
    const result = await read('/projects/{projectId}', { projectId: 'p-1' });
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({ projectId: 'p-1', title: 'Kitchen', status: 'scoped' });
    expect(bodyOf(result)).not.toHaveProperty('homeownerId');
  });

  it("answers 404 for another homeowner's project and for its quotes, reading no quote", async () => {
    documents.on(GetCommand).resolves({ Item: { projectId: 'p-1', homeownerId: 'someone-else' } });
    expect((await read('/projects/{projectId}', { projectId: 'p-1' })).statusCode).toBe(404);
    expect((await read('/projects/{projectId}/quotes', { projectId: 'p-1' })).statusCode).toBe(404);
    expect(documents).not.toHaveReceivedCommand(QueryCommand);
  });

  it("lists the quotes of the caller's project from the quotes table's byProject index", async () => {
    documents.on(GetCommand).resolves({ Item: { projectId: 'p-1', homeownerId: 'user-123' } });
    documents
      .on(QueryCommand)
      .resolves({ Items: [{ quoteId: 'q-1', projectId: 'p-1', totalPence: 1200, source: 'ai-estimate' }] });
    const result = await read('/projects/{projectId}/quotes', { projectId: 'p-1' });
    expect(bodyOf(result)).toEqual({ quotes: [expect.objectContaining({ quoteId: 'q-1', totalPence: 1200 })] });
    expect(documents.commandCalls(QueryCommand)[0].args[0].input).toMatchObject({
      TableName: 'quotes-table',
      IndexName: 'byProject',
      ExpressionAttributeValues: { ':projectId': 'p-1' },
    });
  });

  it('answers 401 to a read without an authenticated user', async () => {
    expect((await read('/projects', null, null as unknown as string)).statusCode).toBe(401);
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  documents.restore();
  events.restore();
});
