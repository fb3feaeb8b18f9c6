import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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
  process.env = { ...saved, STAGE: 'dev', PROJECTS_TABLE: 'projects-table', EVENT_BUS_NAME: 'bus' };
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

// Puts back the SDK clients this file stubs.
afterAll(() => {
  documents.restore();
  events.restore();
});
