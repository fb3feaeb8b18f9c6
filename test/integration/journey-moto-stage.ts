/**
 * A staging stage for the acceptance journey in moto_server: the user pool (e-mail sign-in, the web client's
 * SRP flow, the synthetic group), the projects and quotes tables with their real keys and indexes, the AI
 * workflow's state machine and the Stateful and Service stacks with their outputs. Beside it, local fakes of
 * the two contracts moto cannot run: the public API (the real projects API handler behind a Cognito
 * authorizer that verifies moto's signed tokens) and the workflow (ProjectCreated starts a run, then the
 * real scoping and estimation handlers, with a fake model, and notify's update).
 */
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createPublicKey, verify } from 'crypto';
import type { Server } from 'http';
import { createServer, request } from 'http';
import type { AddressInfo } from 'net';
import { OUTPUTS } from '../../contracts/output-names';
import { resourceNames } from '../../contracts/resource-names';
import { createHandler as createProjectsApi } from '../../lambda/platform/projects-api/index';
import { createHandler as createScoping } from '../../lambda/platform/project-scoping/index';
import { createHandler as createEstimation } from '../../lambda/platform/quote-estimation/index';
import { DOMAIN_EVENTS } from '../../contracts/domain-events';
import { PROJECT_INDEXES, QUOTE_INDEXES } from '../../contracts/table-indexes';
import { ENV_NAMES } from '../../contracts/env-names';
import { SYNTHETIC } from '../../contracts/synthetic-data';
import type { MotoServer } from '../../support/moto';
import { MOTO_CREDENTIALS, startMoto } from '../../support/moto';
import { FakeModel } from '../lambda/platform/fake-model';

export const REGION = 'eu-west-2';
const names = resourceNames('staging');
export const TABLES = { projects: names.tables.projects, quotes: names.tables.quotes };

/** What the local fakes do wrong, for the fault tests. */
export interface JourneyFaults {
  /** The API lets another user read a project (an authorization bug). */
  otherUserCanRead?: boolean;
  /** The workflow never runs. */
  workflowStalls?: boolean;
  /** The workflow marks the project quoted without storing a quote. */
  quoteMissing?: boolean;
  /** The project loses its synthetic mark after creation (so the journey may not remove it). */
  unmarkProject?: boolean;
}

/** The stage in moto and its fakes; `stop()` stops them and the emulator. */
export interface JourneyMotoStage {
  readonly moto: MotoServer;
  readonly apiUrl: string;
  readonly userPoolId: string;
  faults: JourneyFaults;
  client<T>(Ctor: new (config: object) => T): T;
  /** What is left in the stage: users, items of both tables, running workflow runs. */
  leftovers(): Promise<{ users: string[]; projects: number; quotes: number; running: number }>;
  /** Background work of the fake workflow still going on. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/** GET over plain HTTP with a Host header (moto_server routes a request by the host it names). */
function getWithHost(url: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The API Gateway Cognito authorizer: a token moto's pool signed, not expired, an ID token of the web client. */
function authorizer(jwks: { keys: Record<string, unknown>[] }, poolId: string, clientId: string) {
  return (authorization: string | undefined): Record<string, string> | undefined => {
    const [header, payload, signature] = (authorization ?? '').split('.');
    if (!header || !payload || !signature) return undefined;
    try {
      const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString());
      const jwk = jwks.keys.find((k) => k.kid === kid);
      if (!jwk) return undefined;
      const key = createPublicKey({ key: jwk as never, format: 'jwk' });
      if (!verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url')))
        return undefined;
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      if (!String(claims.iss).endsWith(`/${poolId}`) || claims.aud !== clientId || claims.token_use !== 'id')
        return undefined;
      if (claims.exp * 1000 < Date.now()) return undefined;
      // REST APIs hand every claim to the integration as a string.
      return Object.fromEntries(
        Object.entries(claims).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]),
      );
    } catch {
      return undefined;
    }
  };
}

/** Starts moto_server, seeds the stage, and starts the local API and workflow. */
export async function startJourneyMotoStage(): Promise<JourneyMotoStage> {
  // moto_server starts slowly while the whole suite runs in parallel: a longer start limit than the default.
  const moto = await startMoto();
  // The operator command uses the default credential chain; the emulator takes any.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: MOTO_CREDENTIALS.sessionToken,
  });
  const client = <T>(Ctor: new (config: object) => T): T =>
    new Ctor({ region: REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
  const cognito = client(CognitoIdentityProviderClient);
  const pool = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'staging-users',
      UsernameAttributes: ['email'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    }),
  );
  const userPoolId = pool.UserPool!.Id!;
  const webClient = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'web',
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  const clientId = webClient.UserPoolClient!.ClientId!;
  await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: SYNTHETIC.group }));
  const jwks = JSON.parse(
    await getWithHost(`${moto.endpoint}/${userPoolId}/.well-known/jwks.json`, `cognito-idp.${REGION}.amazonaws.com`),
  );

  const ddb = client(DynamoDBClient);
  const S = 'S' as const;
  await ddb.send(
    new CreateTableCommand({
      TableName: TABLES.projects,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'projectId', AttributeType: S },
        { AttributeName: 'homeownerId', AttributeType: S },
        { AttributeName: 'createdAt', AttributeType: S },
      ],
      KeySchema: [{ AttributeName: 'projectId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: PROJECT_INDEXES.byHomeowner,
          KeySchema: [
            { AttributeName: 'homeownerId', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await ddb.send(
    new CreateTableCommand({
      TableName: TABLES.quotes,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'quoteId', AttributeType: S },
        { AttributeName: 'projectId', AttributeType: S },
        { AttributeName: 'createdAt', AttributeType: S },
      ],
      KeySchema: [{ AttributeName: 'quoteId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: QUOTE_INDEXES.byProject,
          KeySchema: [
            { AttributeName: 'projectId', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  const sfn = client(SFNClient);
  const machine = await sfn.send(
    new CreateStateMachineCommand({
      name: 'staging-ai-workflow',
      roleArn: 'arn:aws:iam::123456789012:role/sfn-role',
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
    }),
  );
  const stateMachineArn = machine.stateMachineArn!;

  const documents = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
  const env = {
    [ENV_NAMES.projectsTable]: TABLES.projects,
    [ENV_NAMES.quotesTable]: TABLES.quotes,
    [ENV_NAMES.eventBusName]: 'staging-domain-events',
  };
  // The stub model a stage's config can point at for cost: fixed, valid answers.
  const scopeAnswer = {
    summary: 'Tap and valve',
    tasks: [{ name: 'Replace tap', trade: 'plumber' }],
    estimatedDurationDays: 1,
  };
  const estimateAnswer = { lineItems: [{ description: 'Tap and fitting', amountPence: 35000 }] };
  const scoping = createScoping(() => ({ model: new FakeModel(JSON.stringify(scopeAnswer)), documents }), env);
  const estimation = createEstimation(() => ({ model: new FakeModel(JSON.stringify(estimateAnswer)), documents }), env);
  const stage: { faults: JourneyFaults } = { faults: {} };
  const background: Promise<unknown>[] = [];

  /**
   * The workflow ProjectCreated starts: a run in moto (which keeps it RUNNING until it is stopped), then
   * scoping, estimation and notify's update, each only while the run has not been stopped, as Step Functions
   * would not start a state of a stopped run.
   */
  const runWorkflow = async (projectId: string) => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ projectId }) }),
    );
    const running = async () => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status === 'RUNNING';
    if (stage.faults.workflowStalls) return;
    await new Promise((r) => setTimeout(r, 200));
    if (!(await running())) return;
    await scoping({ projectId });
    if (!(await running())) return;
    const quoteId = stage.faults.quoteMissing
      ? undefined
      : ((await estimation({ projectId })) as { quoteId: string }).quoteId;
    if (!(await running())) return;
    await documents.send(
      new UpdateCommand({
        TableName: TABLES.projects,
        Key: { projectId },
        UpdateExpression: 'SET #status = :status, lastNotification = :n',
        ConditionExpression: 'attribute_exists(projectId)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': 'quoted', ':n': { kind: 'QuoteReady', quoteId } },
      }),
    );
  };
  const events = {
    async send(command: PutEventsCommand) {
      for (const entry of command.input.Entries ?? []) {
        const detail = JSON.parse(entry.Detail ?? '{}');
        if (entry.DetailType === DOMAIN_EVENTS.projectCreated) {
          if (stage.faults.unmarkProject)
            await documents.send(
              new UpdateCommand({
                TableName: TABLES.projects,
                Key: { projectId: detail.projectId },
                UpdateExpression: 'REMOVE #synthetic',
                ExpressionAttributeNames: { '#synthetic': SYNTHETIC.attribute },
              }),
            );
          background.push(runWorkflow(detail.projectId).catch(() => undefined));
        }
      }
      return { FailedEntryCount: 0, Entries: [], $metadata: {} };
    },
  };
  const api = createProjectsApi(env, { documents, events });
  const authorize = authorizer(jwks, userPoolId, clientId);

  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    const handle = async () => {
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const path = (req.url ?? '').replace(/^\/api\//, '');
      const segments = path.split('/');
      const resource =
        segments.length === 1
          ? '/projects'
          : segments.length === 2
            ? '/projects/{projectId}'
            : segments[2] === 'quotes'
              ? '/projects/{projectId}/quotes'
              : undefined;
      if (segments[0] !== 'projects' || !resource) return send(403, { message: 'Missing Authentication Token' });
      const claims = authorize(req.headers.authorization);
      if (!claims) return send(401, { message: 'Unauthorized' });
      const event = {
        httpMethod: req.method,
        resource,
        path: `/${path}`,
        body: body || null,
        pathParameters: segments[1] ? { projectId: segments[1] } : null,
        requestContext: { requestId: 'local', authorizer: { claims } },
      } as unknown as APIGatewayProxyEvent;
      const result = await api(event);
      if (
        stage.faults.otherUserCanRead &&
        req.method === 'GET' &&
        resource === '/projects/{projectId}' &&
        result.statusCode === 404
      )
        return send(200, { projectId: segments[1] });
      res.writeHead(result.statusCode, { 'content-type': 'application/json' });
      res.end(result.body);
    };
    req.on('end', () => void handle());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;

  const cfn = client(CloudFormationClient);
  const createStack = (name: string, outputs: Record<string, string>) =>
    cfn.send(
      new CreateStackCommand({
        StackName: name,
        TemplateBody: JSON.stringify({
          Resources: { Marker: { Type: 'AWS::SNS::Topic' } },
          Outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { Value: v }])),
        }),
      }),
    );
  await createStack('Staging-Stateful', {
    [OUTPUTS.userPoolId]: userPoolId,
    [OUTPUTS.userPoolClientId]: clientId,
    [OUTPUTS.projectsTableName]: TABLES.projects,
    [OUTPUTS.quotesTableName]: TABLES.quotes,
  });
  await createStack('Staging-Service', { [OUTPUTS.publicApiUrl]: apiUrl, [OUTPUTS.stateMachineArn]: stateMachineArn });

  return {
    moto,
    apiUrl,
    userPoolId,
    get faults() {
      return stage.faults;
    },
    set faults(value: JourneyFaults) {
      stage.faults = value;
    },
    client,
    async leftovers() {
      const users = await cognito.send(new ListUsersCommand({ UserPoolId: userPoolId }));
      const count = async (table: string) => (await ddb.send(new ScanCommand({ TableName: table }))).Count ?? 0;
      const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }));
      return {
        users: (users.Users ?? []).map(
          (u) => u.Attributes?.find((a) => a.Name === 'email')?.Value ?? String(u.Username),
        ),
        projects: await count(TABLES.projects),
        quotes: await count(TABLES.quotes),
        running: running.executions?.length ?? 0,
      };
    },
    async settled() {
      await Promise.all(background);
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await moto.stop();
    },
  };
}
