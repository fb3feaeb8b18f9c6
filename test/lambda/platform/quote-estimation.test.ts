import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createHandler } from '../../../lambda/platform/quote-estimation/index';
import { ConfigurationError } from '../../../lambda/platform/shared/errors';
import { FakeModel } from './fake-model';
import { quietLogs } from './quiet-logs';

const documentsMock = mockClient(DynamoDBDocumentClient);
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const saved = { ...process.env };
quietLogs();

const scopedProject = {
  projectId: 'p-1',
  title: 'Bathroom',
  postcode: 'LS1 4AP',
  scope: { summary: 'Refit', tasks: [{ name: 'Tiling', trade: 'tiler' }], estimatedDurationDays: 5 },
};
const lineItems = [
  { description: 'Tiling', amountPence: 120000 },
  { description: 'Materials', amountPence: 45005 },
];
const estimation = (answer: string | Error) => {
  const model = new FakeModel(answer);
  return { model, handler: createHandler(() => ({ model, documents })) };
};

beforeEach(() => {
  documentsMock.reset();
  process.env = { ...saved, STAGE: 'dev', PROJECTS_TABLE: 'projects-table', QUOTES_TABLE: 'quotes-table' };
  documentsMock.on(GetCommand).resolves({ Item: scopedProject });
  documentsMock.on(PutCommand).resolves({});
});
afterAll(() => {
  process.env = saved;
});

describe('The quote estimation agent', () => {
  it('prices the scope with the model and stores a quote with 20% VAT on the subtotal', async () => {
    const { model, handler } = estimation(JSON.stringify({ lineItems }));
    const result = (await handler({ projectId: 'p-1' })) as { quoteId: string };
    expect(result).toEqual({ projectId: 'p-1', quoteId: expect.any(String), totalPence: 198006 });
    expect(JSON.parse(model.requests[0].prompt).scope).toEqual(scopedProject.scope);
    expect(documentsMock).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'quotes-table',
      Item: expect.objectContaining({
        quoteId: result.quoteId,
        projectId: 'p-1',
        lineItems,
        subtotalPence: 165005,
        vatPence: 33001,
        totalPence: 198006,
      }),
    });
  });

  it("marks a synthetic project's quote (key prefix and attribute) so the acceptance journey may remove it", async () => {
    documentsMock.on(GetCommand).resolves({ Item: { ...scopedProject, projectId: 'journey-p1', synthetic: true } });
    const { handler } = estimation(JSON.stringify({ lineItems }));
    const result = (await handler({ projectId: 'journey-p1' })) as { quoteId: string };
    expect(result.quoteId).toMatch(/^journey-[0-9a-f-]{36}$/);
    const item = documentsMock.commandCalls(PutCommand)[0].args[0].input.Item!;
    expect(item).toMatchObject({ quoteId: result.quoteId, synthetic: true });
  });

  it("leaves a real project's quote unmarked", async () => {
    const { handler } = estimation(JSON.stringify({ lineItems }));
    const result = (await handler({ projectId: 'p-1' })) as { quoteId: string };
    expect(result.quoteId).toMatch(/^[0-9a-f-]{36}$/);
    expect(documentsMock.commandCalls(PutCommand)[0].args[0].input.Item).not.toHaveProperty('synthetic');
  });

  it('keeps AI estimates out of the byContractor index (no contractorId)', async () => {
    const { handler } = estimation(JSON.stringify({ lineItems }));
    await handler({ projectId: 'p-1' });
    expect(documentsMock.commandCalls(PutCommand)[0].args[0].input.Item).not.toHaveProperty('contractorId');
  });

  it('refuses a project that has not been scoped yet, with InvalidInputError', async () => {
    documentsMock.on(GetCommand).resolves({ Item: { projectId: 'p-1' } });
    const { model, handler } = estimation(JSON.stringify({ lineItems }));
    await expect(handler({ projectId: 'p-1' })).rejects.toMatchObject({
      name: 'InvalidInputError',
      message: expect.stringMatching(/not been scoped/),
    });
    expect(model.requests).toHaveLength(0);
  });

  it('rejects a malformed event with InvalidInputError', async () => {
    const { handler } = estimation(JSON.stringify({ lineItems }));
    await expect(handler('p-1')).rejects.toMatchObject({ name: 'InvalidInputError' });
  });

  it.each([
    ['no JSON at all', 'I cannot price this'],
    ['negative amounts', JSON.stringify({ lineItems: [{ description: 'x', amountPence: -1 }] })],
    ['fractional pence', JSON.stringify({ lineItems: [{ description: 'x', amountPence: 1.5 }] })],
  ])('fails with a retryable TransientError when the model answers %s', async (_case, answer) => {
    const { handler } = estimation(answer);
    await expect(handler({ projectId: 'p-1' })).rejects.toMatchObject({ name: 'TransientError' });
    expect(documentsMock).not.toHaveReceivedCommand(PutCommand);
  });

  it('fails with the table error name when the quotes table throws', async () => {
    documentsMock.on(PutCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalServerError' }));
    const { handler } = estimation(JSON.stringify({ lineItems }));
    await expect(handler({ projectId: 'p-1' })).rejects.toMatchObject({ name: 'InternalServerError' });
  });

  it('passes on a missing Claude secret as a ConfigurationError', async () => {
    const { handler } = estimation(new ConfigurationError('secret arn:claude does not exist'));
    await expect(handler({ projectId: 'p-1' })).rejects.toMatchObject({ name: 'ConfigurationError' });
  });

  it('fails with a ConfigurationError naming QUOTES_TABLE when it is not set', async () => {
    delete process.env.QUOTES_TABLE;
    const { handler } = estimation(JSON.stringify({ lineItems }));
    await expect(handler({ projectId: 'p-1' })).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringMatching(/QUOTES_TABLE/),
    });
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  documentsMock.restore();
});
