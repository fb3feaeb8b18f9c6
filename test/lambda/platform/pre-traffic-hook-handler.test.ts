import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import type { InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createHandler } from '../../../lambda/platform/pre-traffic-hook';
import { PRE_TRAFFIC_PROBES } from '../../../contracts/pre-traffic-probes';
import { ENV_NAMES } from '../../../contracts/env-names';
import type { LogLevel } from '../../../lambda/shared/logger';
import { createLogger } from '../../../lambda/shared/logger';

const TARGET = 'arn:aws:lambda:eu-west-2:111111111111:function:uk-home-improvement-dev-Notify:7';
const EVENT = { DeploymentId: 'd-ABC123', LifecycleEventHookExecutionId: 'hook-1' };
const ENV = {
  [ENV_NAMES.stage]: 'dev',
  AWS_REGION: 'eu-west-2',
  [ENV_NAMES.preTrafficTargetVersion]: TARGET,
  [ENV_NAMES.preTrafficProbe]: 'healthEndpoint',
  [ENV_NAMES.reportReserveMs]: '5000',
};
const context = (remainingMs = 30_000) => ({ getRemainingTimeInMillis: () => remainingMs });
/** Lambda's response payload: bytes (the handler reads them as UTF-8). */
const text = (body: string) => Buffer.from(body) as unknown as InvokeCommandOutput['Payload'];
const payload = (body: unknown) => text(JSON.stringify(body));
/** The health endpoint's answer (API Gateway proxy result) with `body` as its JSON body. */
const healthAnswer = (statusCode: number, body: Record<string, unknown>) =>
  payload({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const HEALTHY = {
  status: 'ok',
  stage: 'dev',
  region: 'eu-west-2',
  dependencies: [{ name: 'table:users', ok: true, detail: 'ACTIVE' }],
};

const codeDeploy = mockClient(CodeDeployClient);
const lambda = mockClient(LambdaClient);
const lines: Array<[LogLevel, string]> = [];
const logger = createLogger({ stage: 'test', component: 'pre-traffic-hook' }, (line, level) =>
  lines.push([level, line]),
);
const build = (env: Record<string, string | undefined> = ENV) =>
  createHandler(
    { codeDeploy: new CodeDeployClient({ region: 'eu-west-2' }), lambda: new LambdaClient({ region: 'eu-west-2' }) },
    env,
    logger,
  );
const reported = () =>
  codeDeploy.commandCalls(PutLifecycleEventHookExecutionStatusCommand).map((c) => c.args[0].input.status);

describe('The pre-traffic hook handler (SDK clients)', () => {
  beforeEach(() => {
    codeDeploy.reset();
    lambda.reset();
    lines.length = 0;
    codeDeploy.on(PutLifecycleEventHookExecutionStatusCommand).resolves({ lifecycleEventHookExecutionId: 'hook-1' });
  });

  it('invokes the target version with the probe and reports Succeeded on the expected answer', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: healthAnswer(200, HEALTHY) });
    expect((await build()(EVENT, context())).status).toBe('Succeeded');
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
    const invoke = lambda.commandCalls(InvokeCommand)[0].args[0].input;
    expect(invoke).toMatchObject({ FunctionName: TARGET, InvocationType: 'RequestResponse' });
    expect(JSON.parse(Buffer.from(invoke.Payload as Uint8Array).toString('utf8'))).toEqual(
      PRE_TRAFFIC_PROBES.healthEndpoint.event,
    );
    expect(codeDeploy).toHaveReceivedCommandWith(PutLifecycleEventHookExecutionStatusCommand, {
      deploymentId: 'd-ABC123',
      lifecycleEventHookExecutionId: 'hook-1',
      status: 'Succeeded',
    });
  });

  it('reports Succeeded for a worker that rejects the empty event with its input error', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload({ errorType: 'InvalidInputError', errorMessage: 'projectId is missing' }),
    });
    expect((await build({ ...ENV, [ENV_NAMES.preTrafficProbe]: 'worker' })(EVENT, context())).status).toBe('Succeeded');
    expect(reported()).toEqual(['Succeeded']);
  });

  it('reports Failed when the new version fails (FunctionError)', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload({ errorType: 'Runtime.ImportModuleError', errorMessage: 'Cannot find module' }),
    });
    const outcome = await build()(EVENT, context());
    expect(outcome).toEqual({ status: 'Failed', reason: expect.stringContaining('Runtime.ImportModuleError') });
    expect(reported()).toEqual(['Failed']);
  });

  it('reports Failed, in time, when the invocation hangs', async () => {
    lambda.on(InvokeCommand).callsFake(() => new Promise(() => undefined));
    const started = Date.now();
    const outcome = await build()(EVENT, context(5_100));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(outcome).toEqual({ status: 'Failed', reason: expect.stringMatching(/took longer than 100 ms/) });
    expect(reported()).toEqual(['Failed']);
  });

  it.each([
    ['a payload that is not JSON', { StatusCode: 200, Payload: text('Task timed out') }, /not JSON/],
    ['no payload at all', { StatusCode: 200 }, /not JSON/],
    ['a wrong status code', { StatusCode: 200, Payload: payload({ statusCode: 503 }) }, /statusCode 503, expected 200/],
  ])('reports Failed on a bad response: %s', async (_name, response, reason) => {
    lambda.on(InvokeCommand).resolves(response);
    expect(await build()(EVENT, context())).toEqual({ status: 'Failed', reason: expect.stringMatching(reason) });
    expect(reported()).toEqual(['Failed']);
  });

  it('reports Failed when the new health endpoint answers statusCode 200 with an unhealthy body', async () => {
    // GIVEN a version that answers 200 whatever its dependencies say
    const unhealthy = {
      ...HEALTHY,
      status: 'unhealthy',
      dependencies: [{ name: 'secret:claude', ok: false, detail: 'AccessDeniedException' }],
    };
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: healthAnswer(200, unhealthy) });
    expect(await build()(EVENT, context())).toEqual({
      status: 'Failed',
      reason: expect.stringContaining(
        'answered statusCode 200 but its health body: dependencies not OK: secret:claude (AccessDeniedException)',
      ),
    });
    expect(reported()).toEqual(['Failed']);
  });

  it("reports Failed when the new version answers 200 with another stage's healthy body", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: healthAnswer(200, { ...HEALTHY, stage: 'prod' }) });
    expect((await build()(EVENT, context())).reason).toContain('expected stage dev, got prod');
    expect(reported()).toEqual(['Failed']);
  });

  it('reports Failed when the new version answers 200 with no body', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ statusCode: 200 }) });
    expect((await build()(EVENT, context())).reason).toContain('answered statusCode 200 without a body');
  });

  it('reports Failed when Lambda refuses the invocation', async () => {
    lambda
      .on(InvokeCommand)
      .rejects(
        Object.assign(new Error('not authorized to perform lambda:InvokeFunction'), { name: 'AccessDeniedException' }),
      );
    expect((await build()(EVENT, context())).reason).toMatch(/AccessDeniedException/);
    expect(reported()).toEqual(['Failed']);
  });

  it('throws, never reporting Succeeded, when the report itself fails', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: healthAnswer(200, HEALTHY) });
    codeDeploy
      .on(PutLifecycleEventHookExecutionStatusCommand)
      .rejects(
        Object.assign(new Error('deployment is not in progress'), { name: 'LifecycleEventAlreadyCompletedException' }),
      );
    await expect(build()(EVENT, context())).rejects.toThrow('deployment is not in progress');
    expect(lines.some(([level, line]) => level === 'error' && line.includes('could not report'))).toBe(true);
  });

  it.each([
    [
      'no target version',
      { ...ENV, [ENV_NAMES.preTrafficTargetVersion]: undefined },
      /TARGET_VERSION_ARN is undefined; expected the ARN of a published version/,
    ],
    [
      'an unqualified target',
      { ...ENV, [ENV_NAMES.preTrafficTargetVersion]: TARGET.replace(/:7$/, '') },
      /TARGET_VERSION_ARN is ".*Notify"/,
    ],
    [
      'an unknown probe',
      { ...ENV, [ENV_NAMES.preTrafficProbe]: 'ping' },
      /PROBE is "ping"; expected one of healthEndpoint, apiRoute, worker/,
    ],
    ['no reserve', { ...ENV, [ENV_NAMES.reportReserveMs]: '' }, /REPORT_RESERVE_MS is ""; expected a whole number/],
    ['no stage', { ...ENV, [ENV_NAMES.stage]: undefined }, /STAGE is undefined; expected the stage name/],
  ])(
    'reports Failed without invoking anything when configured with %s, naming the problem',
    async (_name, env, reason) => {
      const outcome = await build(env)(EVENT, context());
      expect(outcome).toEqual({ status: 'Failed', reason: expect.stringMatching(reason) });
      expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 0);
      expect(reported()).toEqual(['Failed']);
    },
  );
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  codeDeploy.restore();
  lambda.restore();
});
