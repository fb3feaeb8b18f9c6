import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createHandler } from '../../../lambda/platform/project-scoping/index';
import { ConfigurationError } from '../../../lambda/platform/shared/errors';
import { FakeModel } from './fake-model';
import { quietLogs } from './quiet-logs';

const documentsMock = mockClient(DynamoDBDocumentClient);
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const saved = { ...process.env };
quietLogs();

const project = { projectId: 'p-1', title: 'Loft conversion', description: 'Dormer with en-suite', postcode: 'M1 1AE' };
const scope = {
  summary: 'Dormer loft conversion',
  tasks: [
    { name: 'Structural steel', trade: 'builder' },
    { name: 'En-suite', trade: 'plumber' },
  ],
  estimatedDurationDays: 40,
};
const scoping = (answer: string | Error) => {
  const model = new FakeModel(answer);
  return { model, handler: createHandler(() => ({ model, documents })) };
};

beforeEach(() => {
  documentsMock.reset();
  process.env = { ...saved, STAGE: 'dev', PROJECTS_TABLE: 'projects-table' };
  documentsMock.on(GetCommand).resolves({ Item: project });
  documentsMock.on(UpdateCommand).resolves({});
});
afterAll(() => {
  process.env = saved;
});

describe('The project scoping agent', () => {
  it("asks the model about the project and stores the scope it answers, marking the project 'scoped'", async () => {
    const { model, handler } = scoping(`Here is the scope:\n\`\`\`json\n${JSON.stringify(scope)}\n\`\`\``);
    await expect(handler({ projectId: 'p-1' })).resolves.toEqual({ projectId: 'p-1', status: 'scoped', taskCount: 2 });
    expect(JSON.parse(model.requests[0].prompt)).toMatchObject({ title: 'Loft conversion', postcode: 'M1 1AE' });
    expect(documentsMock).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'projects-table',
      Key: { projectId: 'p-1' },
      ExpressionAttributeValues: expect.objectContaining({ ':scope': scope, ':status': 'scoped' }),
    });
  });

  it.each([
    ['no event', undefined],
    ['an event without projectId', { project: 'p-1' }],
    ['a projectId with illegal characters', { projectId: 'p 1; DROP' }],
  ])('rejects %s with InvalidInputError before touching the table', async (_case, event) => {
    const { handler } = scoping(JSON.stringify(scope));
    await expect(handler(event)).rejects.toMatchObject({
      name: 'InvalidInputError',
      message: expect.stringMatching(/projectId|event/),
    });
    expect(documentsMock).not.toHaveReceivedCommand(GetCommand);
  });

  it('fails with NotFoundError for an unknown project', async () => {
    documentsMock.on(GetCommand).resolves({});
    const { handler } = scoping(JSON.stringify(scope));
    await expect(handler({ projectId: 'p-9' })).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'project p-9 not found',
    });
  });

  it('fails with a retryable TransientError when the model answers without a valid scope, storing nothing', async () => {
    const { handler } = scoping('{"summary": "x", "tasks": []}');
    await expect(handler({ projectId: 'p-1' })).rejects.toMatchObject({ name: 'TransientError' });
    expect(documentsMock).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('passes on a missing Claude secret as a ConfigurationError naming it, without its stack', async () => {
    const { handler } = scoping(new ConfigurationError('secret arn:claude does not exist'));
    const error = await handler({ projectId: 'p-1' }).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'ConfigurationError', message: 'secret arn:claude does not exist' });
    expect((error as Error).stack).toBe('ConfigurationError: secret arn:claude does not exist');
  });

  it('fails with the table error name when the table throws', async () => {
    documentsMock.on(GetCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const { handler } = scoping(JSON.stringify(scope));
    await expect(handler({ projectId: 'p-1' })).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  documentsMock.restore();
});
