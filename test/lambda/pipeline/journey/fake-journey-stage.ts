import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { ExecutionStatus } from '@aws-sdk/client-sfn';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { mockClient } from 'aws-sdk-client-mock';
import { OUTPUTS } from '../../../../contracts/output-names';
import { createCheckClients } from '../../../../lambda/pipeline/private/check-clients';
import type { JourneyContext } from '../../../../lambda/pipeline/private/journey/journey-context';
import type { HttpAnswer, HttpCall, HttpRequest } from '../../../../lambda/pipeline/private/journey/journey-http';
import type { CheckParameters } from '../../../../contracts/check-parameters';
import { createLogger } from '../../../../lambda/shared/logger';
import { SYNTHETIC } from '../../../../contracts/synthetic-data';
import type { signInWithSrp } from '../../../../lambda/pipeline/private/journey/srp-sign-in';
import { jwtClaims } from '../../../../lambda/pipeline/private/journey/srp-sign-in';

export const POOL_ID = 'eu-west-2_Journey1';
export const CLIENT_ID = 'webclient123';
export const API_URL = 'https://d111111abcdef8.cloudfront.net/api/';
export const PROJECTS = 'uk-home-improvement-staging-projects';
export const QUOTES = 'uk-home-improvement-staging-quotes';
export const MACHINE_ARN = 'arn:aws:states:eu-west-2:222222222222:stateMachine:ai-workflow';
export const PARAMS: CheckParameters = {
  stage: 'staging',
  region: 'eu-west-2',
  stackNames: ['Staging-Stateful', 'Staging-Service'],
  roleArn: 'arn:aws:iam::222222222222:role/uk-home-improvement-staging-pipeline-journey',
  journey: { readOnly: false, timeoutMinutes: 10 },
};
const OUTPUTS_BY_STACK: Record<string, Record<string, string>> = {
  'Staging-Stateful': {
    [OUTPUTS.userPoolId]: POOL_ID,
    [OUTPUTS.userPoolClientId]: CLIENT_ID,
    [OUTPUTS.projectsTableName]: PROJECTS,
    [OUTPUTS.quotesTableName]: QUOTES,
  },
  'Staging-Service': { [OUTPUTS.publicApiUrl]: API_URL, [OUTPUTS.stateMachineArn]: MACHINE_ARN },
};

/** An error as the AWS SDK throws it for a service's answer. */
export function awsError(name: string, message = name, status = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status }, $fault: 'client' });
}

/** A JWT with `claims` (unsigned: the journey reads claims, the API's authorizer verifies them). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.sig`;
}

type Item = Record<string, unknown>;
interface Run {
  executionArn: string;
  name: string;
  status: ExecutionStatus;
  projectId: string;
  startDate: Date;
}

/** How the fake platform misbehaves, for the fault tests. */
export interface Faults {
  /** Answer of the API for `<METHOD> <path>` (path relative to the API URL), instead of the real one. */
  readonly answers?: Record<string, HttpAnswer>;
  /** The workflow never quotes the project. */
  readonly workflowStalls?: boolean;
  /** The workflow's run fails. */
  readonly workflowFails?: boolean;
  /** The API creates projects without the synthetic marks. */
  readonly unmarkedProjects?: boolean;
  /** Polls (GET projects/{id}) before the workflow has quoted the project. */
  readonly pollsBeforeQuote?: number;
}

/**
 * The stage the journey runs against, in memory: the user pool, the two tables, the workflow's runs and the
 * public API (its contract: routes, Cognito authorizer, 404 for another user's project), with the AWS
 * clients mocked by aws-sdk-client-mock as AWS answers (UserNotFoundException, ConditionalCheckFailedException).
 */
export class FakeJourneyStage {
  readonly cognito: AwsClientStub<CognitoIdentityProviderClient> = mockClient(CognitoIdentityProviderClient);
  readonly dynamo: AwsClientStub<DynamoDBClient> = mockClient(DynamoDBClient);
  readonly sfn: AwsClientStub<SFNClient> = mockClient(SFNClient);
  readonly cfn: AwsClientStub<CloudFormationClient> = mockClient(CloudFormationClient);
  readonly users = new Map<string, { sub: string; groups: string[] }>();
  readonly tables: Record<string, Map<string, Item>> = { [PROJECTS]: new Map(), [QUOTES]: new Map() };
  readonly runs: Run[] = [];
  readonly requests: HttpCall[] = [];
  faults: Faults = {};
  now = Date.parse('2026-06-01T12:00:00Z');
  private polls = 0;
  private next = 1;

  constructor() {
    this.cfn.on(DescribeStacksCommand).callsFake(({ StackName }) => {
      const outputs = OUTPUTS_BY_STACK[StackName];
      if (!outputs) throw awsError('ValidationError', `Stack with id ${StackName} does not exist`);
      return {
        Stacks: [
          {
            StackName,
            StackStatus: 'UPDATE_COMPLETE',
            CreationTime: new Date(this.now),
            Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
          },
        ],
      };
    });
    this.mockCognito();
    this.mockDynamo();
    this.mockSfn();
  }

  private user(name: string) {
    const user = this.users.get(name);
    if (!user) throw awsError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  private mockCognito() {
    this.cognito.on(AdminCreateUserCommand).callsFake(({ Username }) => {
      if (this.users.has(Username)) throw awsError('UsernameExistsException', 'User account already exists');
      const sub = `sub-${this.next++}`;
      this.users.set(Username, { sub, groups: [] });
      return { User: { Username: sub, Attributes: [{ Name: 'sub', Value: sub }] } };
    });
    this.cognito.on(AdminSetUserPasswordCommand).callsFake(({ Username }) => (this.user(Username), {}));
    this.cognito.on(AdminAddUserToGroupCommand).callsFake(({ Username, GroupName }) => {
      this.user(Username).groups.push(GroupName);
      return {};
    });
    this.cognito.on(AdminGetUserCommand).callsFake(({ Username }) => ({ Username: this.user(Username).sub }));
    this.cognito.on(AdminDeleteUserCommand).callsFake(({ Username }) => {
      this.user(Username);
      this.users.delete(Username);
      return {};
    });
    this.cognito.on(InitiateAuthCommand).callsFake(({ AuthFlow, ClientId, AuthParameters }) => {
      if (AuthFlow !== 'USER_SRP_AUTH' || ClientId !== CLIENT_ID || !AuthParameters?.SRP_A)
        throw awsError('InvalidParameterException', 'USER_SRP_AUTH with SRP_A expected');
      const user = this.user(AuthParameters.USERNAME);
      return {
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeParameters: {
          SALT: 'a1b2c3d4e5f6',
          SRP_B: 'abcdef0123456789'.repeat(8),
          SECRET_BLOCK: Buffer.from('secret-block').toString('base64'),
          USER_ID_FOR_SRP: user.sub,
        },
      };
    });
    this.cognito.on(RespondToAuthChallengeCommand).callsFake(({ ChallengeResponses }) => {
      const entry = [...this.users.values()].find((u) => u.sub === ChallengeResponses?.USERNAME);
      if (!entry || !ChallengeResponses?.PASSWORD_CLAIM_SIGNATURE)
        throw awsError('NotAuthorizedException', 'Incorrect username or password.');
      const claims = { sub: entry.sub, aud: CLIENT_ID, token_use: 'id', 'cognito:groups': entry.groups };
      return { AuthenticationResult: { IdToken: fakeJwt(claims) } };
    });
  }

  private mockDynamo() {
    const keyOf = (key: Record<string, AttributeValue> | undefined) => Object.values(key ?? {})[0]?.S ?? '';
    this.dynamo.on(GetItemCommand).callsFake(({ TableName, Key }) => {
      const item = this.tables[TableName]?.get(keyOf(Key));
      return item ? { Item: marshall(item) } : {};
    });
    this.dynamo.on(DeleteItemCommand).callsFake(({ TableName, Key }) => {
      const table = this.tables[TableName];
      const item = table?.get(keyOf(Key));
      if (item && item[SYNTHETIC.attribute] !== true)
        throw awsError('ConditionalCheckFailedException', 'The conditional request failed');
      table?.delete(keyOf(Key));
      return {};
    });
  }

  private mockSfn() {
    this.sfn.on(ListExecutionsCommand).callsFake(() => ({
      executions: [...this.runs]
        .reverse()
        .map((r) => ({ executionArn: r.executionArn, name: r.name, status: r.status, startDate: r.startDate })),
    }));
    this.sfn.on(DescribeExecutionCommand).callsFake(({ executionArn }) => {
      const run = this.runs.find((r) => r.executionArn === executionArn);
      if (!run) throw awsError('ExecutionDoesNotExist', 'Execution does not exist');
      return {
        executionArn,
        status: run.status,
        input: JSON.stringify({ projectId: run.projectId }),
        ...(run.status === 'FAILED' ? { error: 'States.TaskFailed', cause: 'model unreachable' } : {}),
      };
    });
    this.sfn.on(StopExecutionCommand).callsFake(({ executionArn }) => {
      const run = this.runs.find((r) => r.executionArn === executionArn);
      if (run) run.status = 'ABORTED';
      return {};
    });
  }

  /** The public API as its contract says, with the faults applied. */
  readonly http: HttpRequest = async (call) => {
    this.requests.push(call);
    const path = call.url.slice(API_URL.length);
    const override = this.faults.answers?.[`${call.method} ${path}`];
    if (override) return override;
    const json = (status: number, body: unknown): HttpAnswer => ({ status, body: JSON.stringify(body), json: body });
    const claims = this.claimsOf(call.authorization);
    if (!claims) return json(401, { message: 'Unauthorized' });
    const sub = claims.sub as string;
    const synthetic = (claims['cognito:groups'] as string[] | undefined)?.includes(SYNTHETIC.group) ?? false;
    const projects = this.tables[PROJECTS];
    if (call.method === 'POST' && path === 'projects') {
      const marked = synthetic && !this.faults.unmarkedProjects;
      const projectId = `${marked ? SYNTHETIC.keyPrefix : ''}p${this.next++}`;
      const body = call.body as Item;
      projects.set(projectId, {
        ...body,
        projectId,
        homeownerId: sub,
        status: 'submitted',
        ...(marked ? { [SYNTHETIC.attribute]: true } : {}),
      });
      this.runs.push({
        executionArn: `${MACHINE_ARN.replace(':stateMachine:', ':execution:')}:run-${projectId}`,
        name: `run-${projectId}`,
        status: this.faults.workflowFails ? 'FAILED' : 'RUNNING',
        projectId,
        startDate: new Date(this.now),
      });
      return json(201, { projectId, status: 'submitted' });
    }
    if (call.method === 'GET' && path === 'projects')
      return json(200, { projects: [...projects.values()].filter((p) => p.homeownerId === sub) });
    const match = /^projects\/([^/]+)(\/quotes)?$/.exec(path);
    const project = match ? projects.get(match[1]) : undefined;
    if (call.method !== 'GET' || !match) return json(404, { message: 'no route' });
    if (!project || project.homeownerId !== sub) return json(404, { message: `project ${match[1]} not found` });
    if (match[2])
      return json(200, { quotes: [...this.tables[QUOTES].values()].filter((q) => q.projectId === project.projectId) });
    this.advanceWorkflow(project);
    return json(200, project);
  };

  private claimsOf(authorization: string | undefined): Record<string, unknown> | undefined {
    try {
      return authorization ? JSON.parse(Buffer.from(authorization.split('.')[1], 'base64url').toString()) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The workflow scopes and quotes a project after a few polls, as the AI workflow would. */
  private advanceWorkflow(project: Item) {
    if (this.faults.workflowStalls || this.faults.workflowFails || project.status === 'quoted') return;
    if (++this.polls <= (this.faults.pollsBeforeQuote ?? 1)) return;
    const quoteId = `${project[SYNTHETIC.attribute] ? SYNTHETIC.keyPrefix : ''}q${this.next++}`;
    this.tables[QUOTES].set(quoteId, {
      quoteId,
      projectId: project.projectId,
      totalPence: 42_000,
      ...(project[SYNTHETIC.attribute] ? { [SYNTHETIC.attribute]: true } : {}),
    });
    Object.assign(project, { status: 'quoted', scope: { tasks: [{ name: 'tap', trade: 'plumber' }] } });
    const run = this.runs.find((r) => r.projectId === project.projectId);
    if (run) run.status = 'SUCCEEDED';
  }

  /**
   * A journey context whose clients are the mocked ones, with a clock that the fake sleep advances. The SRP
   * arithmetic (a second per sign-in) runs only with `srp`; otherwise the same two Cognito calls are made
   * with a dummy signature (the mock checks none; test/.../srp-sign-in.test.ts checks the arithmetic).
   */
  context(params: CheckParameters = PARAMS, lines: Record<string, unknown>[] = [], srp = false): JourneyContext {
    return {
      ...(srp ? {} : { signIn: fastSignIn }),
      params,
      journey: params.journey!,
      clients: createCheckClients({ region: params.region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
      log: createLogger({ stage: params.stage, check: 'journey' }, (line) => lines.push(JSON.parse(line))),
      callOptions: { sleep: async () => undefined, attempts: 2, timeoutMs: 1000 },
      httpGet: async () => ({ status: 500, body: '' }),
      now: () => new Date(this.now),
      http: this.http,
      sleep: async (ms) => {
        this.now += ms;
      },
      clock: () => this.now,
      pollIntervalMs: 5000,
    };
  }

  restore(): void {
    for (const stub of [this.cognito, this.dynamo, this.sfn, this.cfn]) stub.restore();
  }
}

/** The two calls of an SRP sign-in, without the arithmetic. */
export const fastSignIn: typeof signInWithSrp = async (cognito, _poolId, clientId, email) => {
  const started = await cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: email, SRP_A: 'abc' },
    }),
  );
  const answered = await cognito.send(
    new RespondToAuthChallengeCommand({
      ChallengeName: 'PASSWORD_VERIFIER',
      ClientId: clientId,
      ChallengeResponses: {
        USERNAME: started.ChallengeParameters!.USER_ID_FOR_SRP,
        PASSWORD_CLAIM_SIGNATURE: 'dummy',
      },
    }),
  );
  const idToken = answered.AuthenticationResult!.IdToken!;
  return { idToken, claims: jwtClaims(idToken) };
};

/** A plain item as DynamoDB's wire format (strings, numbers, booleans, maps and lists). */
function marshall(item: Item): Record<string, AttributeValue> {
  const value = (v: unknown): AttributeValue =>
    typeof v === 'string'
      ? { S: v }
      : typeof v === 'number'
        ? { N: String(v) }
        : typeof v === 'boolean'
          ? { BOOL: v }
          : Array.isArray(v)
            ? { L: v.map(value) }
            : { M: marshall(v as Item) };
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, value(v)]));
}
