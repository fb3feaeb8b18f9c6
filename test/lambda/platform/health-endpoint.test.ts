import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createHandler } from '../../../lambda/platform/health-endpoint/index';
import { healthBodyProblem } from '../../../contracts/health-contract';
import { apiEvent, bodyOf } from './api-event';
import { quietLogs } from './quiet-logs';

/** A cold start per call: the handler reads the environment as the test has set it. */
const handler = (...args: Parameters<ReturnType<typeof createHandler>>) => createHandler()(...args);

quietLogs();

const dynamodb = mockClient(DynamoDBClient);
const secrets = mockClient(SecretsManagerClient);
const ENV = {
  STAGE: 'dev',
  AWS_REGION: 'eu-west-2',
  TABLE_USERS: 'users-table',
  TABLE_PROJECTS: 'projects-table',
  SECRET_CLAUDE: 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:claude',
  SECRET_STRIPE: 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:stripe',
};
const saved = { ...process.env };

beforeEach(() => {
  dynamodb.reset();
  secrets.reset();
  process.env = { ...saved, ...ENV };
  dynamodb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
  secrets.on(DescribeSecretCommand).resolves({ Name: 'x' });
});
afterAll(() => {
  process.env = saved;
});

describe('GET /health', () => {
  it('answers 200 and lists every table and secret when all are reachable', async () => {
    const result = await handler(apiEvent({ resource: '/health' }));
    expect(result.statusCode).toBe(200);
    const body = bodyOf(result);
    expect(body.status).toBe('ok');
    expect((body.dependencies as Array<{ name: string; ok: boolean }>).map((d) => d.name).sort()).toEqual([
      'secret:claude',
      'secret:stripe',
      'table:projects',
      'table:users',
    ]);
    expect(dynamodb).toHaveReceivedCommandWith(DescribeTableCommand, { TableName: 'users-table' });
    expect(secrets).toHaveReceivedCommandWith(DescribeSecretCommand, { SecretId: ENV.SECRET_CLAUDE });
  });

  it('answers a body the stage health check and the pre-traffic hook accept (one contract for all)', async () => {
    const result = await handler(apiEvent({ resource: '/health' }));
    expect(healthBodyProblem(result.body, { stage: 'dev', region: 'eu-west-2' })).toBeUndefined();
    dynamodb.on(DescribeTableCommand, { TableName: 'projects-table' }).resolves({ Table: { TableStatus: 'UPDATING' } });
    expect(healthBodyProblem((await handler(apiEvent({ resource: '/health' }))).body, { stage: 'dev' })).toEqual({
      kind: 'unhealthy',
      message: 'dependencies not OK: table:projects (UPDATING)',
    });
  });

  it('names the stage and region that answered, so another deployment cannot pass for this one', async () => {
    const body = bodyOf(await handler(apiEvent({ resource: '/health' })));
    expect(body).toMatchObject({ stage: 'dev', region: 'eu-west-2' });
    expect(healthBodyProblem(JSON.stringify(body), { stage: 'staging' })).toEqual({
      kind: 'another-deployment',
      message: 'expected stage staging, got dev',
    });
  });

  it('never reads a secret value', async () => {
    await handler(apiEvent());
    expect(secrets).not.toHaveReceivedCommand(GetSecretValueCommand);
  });

  it('answers 503 naming the table that throws, without a stack trace', async () => {
    dynamodb
      .on(DescribeTableCommand, { TableName: 'projects-table' })
      .rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
    const result = await handler(apiEvent());
    expect(result.statusCode).toBe(503);
    const body = bodyOf(result);
    expect(body.status).toBe('unhealthy');
    expect(body.dependencies).toContainEqual({
      name: 'table:projects',
      ok: false,
      detail: 'ResourceNotFoundException',
    });
    expect(body.dependencies).toContainEqual({ name: 'table:users', ok: true, detail: 'ACTIVE' });
    expect(result.body).not.toMatch(/\bat\s.+:\d+:\d+/);
  });

  it('answers 503 when a table is not ACTIVE', async () => {
    dynamodb.on(DescribeTableCommand, { TableName: 'users-table' }).resolves({ Table: { TableStatus: 'UPDATING' } });
    const result = await handler(apiEvent());
    expect(result.statusCode).toBe(503);
    expect(bodyOf(result).dependencies).toContainEqual({ name: 'table:users', ok: false, detail: 'UPDATING' });
  });

  it('answers 503 when a secret is missing or scheduled for deletion', async () => {
    const missing = Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
    secrets.on(DescribeSecretCommand, { SecretId: ENV.SECRET_CLAUDE }).rejects(missing);
    secrets.on(DescribeSecretCommand, { SecretId: ENV.SECRET_STRIPE }).resolves({ DeletedDate: new Date() });
    const result = await handler(apiEvent());
    expect(result.statusCode).toBe(503);
    expect(bodyOf(result).dependencies).toEqual(
      expect.arrayContaining([
        { name: 'secret:claude', ok: false, detail: 'ResourceNotFoundException' },
        { name: 'secret:stripe', ok: false, detail: 'scheduled for deletion' },
      ]),
    );
  });

  it('answers 500 with a clear message when no dependency is configured', async () => {
    process.env = { ...saved, STAGE: 'dev' };
    const result = await handler(apiEvent());
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result).message).toBe(
      'health endpoint is misconfigured: no environment variable TABLE_* (tables), SECRET_* (secrets)',
    );
    expect(dynamodb).not.toHaveReceivedCommand(DescribeTableCommand);
  });

  it('answers 500 rather than an anonymous body when no stage is configured', async () => {
    process.env = { ...saved, ...ENV };
    delete process.env.STAGE;
    const result = await handler(apiEvent());
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result).message).toBe(
      'health endpoint is misconfigured: no environment variable STAGE (the stage name)',
    );
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  dynamodb.restore();
  secrets.restore();
});
