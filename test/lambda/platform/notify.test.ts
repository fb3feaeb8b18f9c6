import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createHandler } from '../../../lambda/platform/notify/index';
import { quietLogs } from './quiet-logs';

/** A cold start per call: the handler reads the environment as the test has set it. */
const handler = (...args: Parameters<ReturnType<typeof createHandler>>) => createHandler()(...args);

const documents = mockClient(DynamoDBDocumentClient);
const saved = { ...process.env };
quietLogs();

beforeEach(() => {
  documents.reset();
  process.env = { ...saved, STAGE: 'dev', PROJECTS_TABLE: 'projects-table' };
  documents.on(UpdateCommand).resolves({});
});
afterAll(() => {
  process.env = saved;
});

describe('The notify step', () => {
  it("marks the project 'quoted' when a quote is ready, recording the quote", async () => {
    await expect(handler({ projectId: 'p-1', kind: 'QuoteReady', quoteId: 'q-1' })).resolves.toEqual({
      projectId: 'p-1',
      status: 'quoted',
    });
    expect(documents).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'projects-table',
      Key: { projectId: 'p-1' },
      ExpressionAttributeValues: expect.objectContaining({
        ':status': 'quoted',
        ':notification': expect.objectContaining({ kind: 'QuoteReady', quoteId: 'q-1' }),
      }),
    });
  });

  it("marks the project 'contracted' when a contract is signed", async () => {
    await expect(handler({ projectId: 'p-1', kind: 'ContractSigned', contractId: 'c-1' })).resolves.toEqual({
      projectId: 'p-1',
      status: 'contracted',
    });
  });

  it('rejects an unknown kind with InvalidInputError listing the accepted kinds', async () => {
    await expect(handler({ projectId: 'p-1', kind: 'Party' })).rejects.toMatchObject({
      name: 'InvalidInputError',
      message: 'kind must be one of QuoteReady, ContractSigned',
    });
    expect(documents).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('rejects a malformed event with InvalidInputError', async () => {
    await expect(handler(null)).rejects.toMatchObject({ name: 'InvalidInputError' });
  });

  it('fails with NotFoundError when the project does not exist', async () => {
    documents
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }));
    await expect(handler({ projectId: 'p-9', kind: 'QuoteReady' })).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'project p-9 not found',
    });
  });

  it('fails with the table error name when the table throws', async () => {
    documents.on(UpdateCommand).rejects(Object.assign(new Error('down'), { name: 'InternalServerError' }));
    await expect(handler({ projectId: 'p-1', kind: 'QuoteReady' })).rejects.toMatchObject({
      name: 'InternalServerError',
    });
  });

  it('fails with a ConfigurationError naming PROJECTS_TABLE when it was not set at cold start', async () => {
    const coldStart = createHandler({ STAGE: 'dev' });
    await expect(coldStart({ projectId: 'p-1', kind: 'QuoteReady' })).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: 'environment variable PROJECTS_TABLE is not set',
    });
    expect(documents).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('reads the environment once, at cold start', async () => {
    const warm = createHandler();
    process.env.PROJECTS_TABLE = 'another-table';
    await warm({ projectId: 'p-1', kind: 'QuoteReady' });
    expect(documents).toHaveReceivedCommandWith(UpdateCommand, { TableName: 'projects-table' });
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  documents.restore();
});
