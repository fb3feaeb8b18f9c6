import { PRE_TRAFFIC_PROBES } from '../../../contracts/pre-traffic-probes';
import { probeProblem } from '../../../lambda/platform/pre-traffic-hook/run-hook';
import { createHandler as projectsApi } from '../../../lambda/platform/projects-api';
import { createHandler as notify } from '../../../lambda/platform/notify';
import { createHandler as projectScoping } from '../../../lambda/platform/project-scoping';
import { createHandler as quoteEstimation } from '../../../lambda/platform/quote-estimation';
import { ENV_NAMES } from '../../../contracts/env-names';
import { createHandler as healthEndpoint } from '../../../lambda/platform/health-endpoint';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigurationError } from '../../../lambda/platform/shared/errors';
import { FakeModel } from './fake-model';

const ENV = {
  [ENV_NAMES.projectsTable]: 'projects',
  [ENV_NAMES.quotesTable]: 'quotes',
  [ENV_NAMES.eventBusName]: 'bus',
  [ENV_NAMES.claudeSecretArn]: 'arn:secret',
};
const noDependencies = () => {
  throw new Error('the probe must be rejected before any dependency is used');
};

/** What Lambda would return for the handler's answer: its JSON, or its error as FunctionError and errorType. */
async function asLambdaResult(run: () => Promise<unknown>) {
  try {
    return { payload: JSON.stringify(await run()) };
  } catch (error) {
    return {
      functionError: 'Unhandled',
      payload: JSON.stringify({ errorType: (error as Error).name, errorMessage: (error as Error).message }),
    };
  }
}

describe('The harmless requests of the pre-traffic hooks, against the real handlers', () => {
  beforeAll(() => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterAll(() => {
    jest.restoreAllMocks();
  });

  it('the API route probe gets the 404 of a running router, without touching a table', async () => {
    const result = await asLambdaResult(() =>
      (projectsApi(ENV) as unknown as (event: unknown, context: unknown) => Promise<unknown>)(
        PRE_TRAFFIC_PROBES.apiRoute.event,
        {},
      ),
    );
    expect(probeProblem(PRE_TRAFFIC_PROBES.apiRoute, result)).toBeUndefined();
  });

  it.each([
    ['notify', () => notify(ENV)],
    ['project scoping', () => projectScoping(noDependencies as never, ENV)],
    ['quote estimation', () => quoteEstimation(noDependencies as never, ENV)],
  ])('the worker probe is rejected by %s with its input error, before any work', async (_name, build) => {
    const result = await asLambdaResult(() =>
      (build() as unknown as (event: unknown) => Promise<unknown>)(PRE_TRAFFIC_PROBES.worker.event),
    );
    expect(probeProblem(PRE_TRAFFIC_PROBES.worker, result)).toBeUndefined();
  });

  describe.each([
    ['project scoping', projectScoping],
    ['quote estimation', quoteEstimation],
  ])('the AI model probe against %s', (_name, build) => {
    const probe = (model: FakeModel) =>
      asLambdaResult(() =>
        (build(() => ({ model, documents: undefined as never }), ENV) as (event: unknown) => Promise<unknown>)(
          PRE_TRAFFIC_PROBES.aiModel.event,
        ),
      );

    it('passes when the model configuration works, without a model request or any table', async () => {
      const model = new FakeModel('unused');
      const result = await probe(model);
      expect(probeProblem(PRE_TRAFFIC_PROBES.aiModel, result)).toBeUndefined();
      expect(JSON.parse(result.payload)).toEqual({ modelReady: true, modelId: 'claude-fake-model' });
      expect(model.checks).toBe(1);
      expect(model.requests).toEqual([]);
    });

    it('fails, naming the cause, when the model configuration does not work', async () => {
      const retired = new ConfigurationError('Anthropic retired claude-3-sonnet-20240229 on 2025-07-21');
      const result = await probe(new FakeModel('unused', 'claude-3-sonnet-20240229', retired));
      expect(probeProblem(PRE_TRAFFIC_PROBES.aiModel, result)).toBe(
        'the function failed (Unhandled: ConfigurationError: Anthropic retired claude-3-sonnet-20240229 on 2025-07-21)',
      );
    });
  });

  it('the AI model probe fails on an answer without modelReady', () => {
    expect(probeProblem(PRE_TRAFFIC_PROBES.aiModel, { payload: '{"projectId":"p-1"}' })).toBe(
      'the function answered {"projectId":"p-1"}, expected {"modelReady":true} in it',
    );
  });

  describe('the health endpoint probe', () => {
    const dynamodb = mockClient(DynamoDBClient);
    const secrets = mockClient(SecretsManagerClient);
    const HEALTH_ENV = {
      [ENV_NAMES.stage]: 'staging',
      AWS_REGION: 'eu-west-2',
      TABLE_USERS: 'users-table',
      SECRET_CLAUDE: 'arn:aws:secretsmanager:eu-west-2:222222222222:secret:claude',
    };
    beforeEach(() => {
      dynamodb.reset();
      secrets.reset();
      dynamodb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
      secrets.on(DescribeSecretCommand).resolves({ Name: 'claude' });
    });
    afterAll(() => {
      dynamodb.restore();
      secrets.restore();
    });
    const answer = () =>
      asLambdaResult(() => healthEndpoint(HEALTH_ENV)(PRE_TRAFFIC_PROBES.healthEndpoint.event as never));

    it("accepts the real endpoint's healthy answer for the hook's own stage and region", async () => {
      expect(
        probeProblem(PRE_TRAFFIC_PROBES.healthEndpoint, await answer(), { stage: 'staging', region: 'eu-west-2' }),
      ).toBeUndefined();
    });

    it('refuses the same answer for a hook of another stage', async () => {
      expect(probeProblem(PRE_TRAFFIC_PROBES.healthEndpoint, await answer(), { stage: 'prod' })).toContain(
        'expected stage prod, got staging',
      );
    });

    it('refuses the real endpoint when a dependency is not reachable (it answers 503)', async () => {
      dynamodb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'UPDATING' } });
      expect(probeProblem(PRE_TRAFFIC_PROBES.healthEndpoint, await answer(), { stage: 'staging' })).toBe(
        'the function answered statusCode 503, expected 200',
      );
    });
  });
});
