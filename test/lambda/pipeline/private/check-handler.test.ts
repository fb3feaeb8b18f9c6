import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { DescribeContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import * as FakeTimers from '@sinonjs/fake-timers';
import type { CodePipelineEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createCheckHandler } from '../../../../lambda/pipeline/private/check-handler';
import {
  DeadlineError,
  readReserve,
  REPORT_MARGIN_MS,
  withDeadline,
} from '../../../../lambda/pipeline/private/report-reserve';
import { runDrReadinessCheck } from '../../../../lambda/pipeline/private/dr-readiness';
import { runStageHealthCheck } from '../../../../lambda/pipeline/private/stage-health';
import { MAX_SUMMARY_LENGTH } from '../../../../lambda/pipeline/private/check-result';
import { createCheckClients } from '../../../../lambda/pipeline/private/check-clients';
import type { StageMocks } from '../../../../support/check-fixtures';
import { ASSUMED_ROLE, HEALTHY_BODY, mockHealthyStage, PARAMS, TABLES } from '../../../../support/check-fixtures';

const codePipeline = mockClient(CodePipelineClient);
const sts = mockClient(STSClient);
const ENV = { REPORT_RESERVE_MS: '5000' };
const context = (remainingMs = 60_000) => ({ getRemainingTimeInMillis: () => remainingMs, awsRequestId: 'req-1' });
const event = (userParameters: unknown): CodePipelineEvent =>
  ({
    'CodePipeline.job': {
      id: 'job-1',
      accountId: '999999999999',
      data: {
        actionConfiguration: {
          configuration: {
            FunctionName: 'f',
            UserParameters: typeof userParameters === 'string' ? userParameters : JSON.stringify(userParameters),
          },
        },
        inputArtifacts: [],
        outputArtifacts: [],
        artifactCredentials: { accessKeyId: '', secretAccessKey: '', sessionToken: '', expirationTime: 0 },
      },
    },
  }) as unknown as CodePipelineEvent;

let mocks: StageMocks;
let lines: Record<string, unknown>[];
beforeEach(() => {
  mocks = mockHealthyStage();
  codePipeline.reset();
  sts.reset();
  codePipeline.onAnyCommand().resolves({});
  sts.on(AssumeRoleCommand).resolves(ASSUMED_ROLE);
  lines = [];
});
afterEach(() => mocks.restore());

const handlerFor = (check: 'health' | 'dr', overrides: Partial<Parameters<typeof createCheckHandler>[0]> = {}) =>
  createCheckHandler({
    check,
    run: check === 'health' ? (ctx) => runStageHealthCheck(ctx) : runDrReadinessCheck,
    env: ENV,
    codePipeline: new CodePipelineClient({}),
    sts: new STSClient({}),
    httpGet: async () => ({ status: 200, body: HEALTHY_BODY }),
    callOptions: { sleep: async () => undefined, timeoutMs: 500, attempts: 3 },
    logSink: (l) => lines.push(JSON.parse(l)),
    ...overrides,
  });

describe('A check handler', () => {
  it('assumes the stage check role and reports success to CodePipeline when the check passes', async () => {
    await handlerFor('health')(event(PARAMS), context());
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input).toMatchObject({ RoleArn: PARAMS.roleArn });
    expect(codePipeline.commandCalls(PutJobSuccessResultCommand)).toHaveLength(1);
    expect(codePipeline.commandCalls(PutJobFailureResultCommand)).toHaveLength(0);
  });

  it('reports failure with a short summary naming the broken table when the DR check fails', async () => {
    mocks.ddb.on(DescribeContinuousBackupsCommand, { TableName: TABLES[3] }).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
      },
    });
    await handlerFor('dr')(event(PARAMS), context());
    const [call] = codePipeline.commandCalls(PutJobFailureResultCommand);
    const message = call.args[0].input.failureDetails!.message!;
    expect(message).toContain(`pitr ${TABLES[3]}`);
    expect(message.length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
    expect(codePipeline.commandCalls(PutJobSuccessResultCommand)).toHaveLength(0);
  });

  it('reports failure when the user parameters are malformed, before calling AWS', async () => {
    await handlerFor('health')(event({ stage: 'staging', region: 'mars-1', stackNames: [] }), context());
    const message = codePipeline.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails!.message!;
    expect(message).toContain('region = "mars-1" is not an AWS region');
    expect(message).toContain('stackNames');
    expect(sts.calls()).toHaveLength(0);
  });

  it('reports failure when the DR check gets no DR policy', async () => {
    await handlerFor('dr')(event({ ...PARAMS, dr: undefined }), context());
    expect(codePipeline.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails!.message).toContain(
      'dr is missing',
    );
  });

  it('never turns an exception into a success', async () => {
    const run = jest.fn(async () => {
      throw new TypeError('cannot read properties of undefined');
    });
    await handlerFor('health', { run })(event(PARAMS), context());
    expect(codePipeline.commandCalls(PutJobSuccessResultCommand)).toHaveLength(0);
    expect(codePipeline.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails!.message).toContain(
      'TypeError',
    );
  });

  it('reports failure, saying nothing was checked, when the check returns no outcome', async () => {
    // GIVEN a check whose report claims to pass but holds no outcome
    const run = jest.fn(async () => ({ check: 'health', stage: 'staging', outcomes: [], passed: true, durationMs: 1 }));
    await handlerFor('health', { run })(event(PARAMS), context());
    expect(codePipeline.commandCalls(PutJobSuccessResultCommand)).toHaveLength(0);
    expect(codePipeline.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails!.message).toBe(
      'staging health check FAILED: nothing was checked.',
    );
  });

  it('reports failure when the check role cannot be assumed', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejects(
        Object.assign(new Error('not authorized'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
      );
    await handlerFor('health')(event(PARAMS), context());
    expect(codePipeline.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails!.message).toContain(
      'access denied',
    );
  });

  it('keeps time back from the Lambda timeout and reports failure when the check runs out of time', async () => {
    const run = jest.fn(() => new Promise<never>(() => undefined));
    await handlerFor('health', { run })(event(PARAMS), context(5200));
    expect(codePipeline.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails!.message).toContain(
      'did not finish within 0.2 s',
    );
  });

  it('reports a plain failure, never a negative number of seconds, when less time is left than the reserve', async () => {
    const run = jest.fn();
    await handlerFor('health', { run })(event(PARAMS), context(4000));
    const message = codePipeline.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails!.message!;
    expect(message).toContain('had 4.0 s left, no more than the 5.0 s kept back to report');
    expect(message).not.toMatch(/-\d/);
    expect(run).not.toHaveBeenCalled();
  });

  it('keeps its report retries within the reserve, on a fake clock', async () => {
    // A 10 s reserve; each PutJobFailureResult attempt takes 4 s and fails with a 500 (retryable):
    // unbounded, 4 attempts of up to 5 s would outlast the function.
    const clock = FakeTimers.install({ now: 0 });
    try {
      const endsAt = 10_000;
      const fakeContext = { getRemainingTimeInMillis: () => endsAt - Date.now(), awsRequestId: 'req-1' };
      codePipeline
        .on(PutJobFailureResultCommand)
        .callsFake(
          () =>
            new Promise((_, reject) =>
              setTimeout(
                () =>
                  reject(
                    Object.assign(new Error('internal'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } }),
                  ),
                4000,
              ),
            ),
        );
      const run = jest.fn(async () => {
        throw new Error('broken');
      });
      const handler = handlerFor('health', {
        run,
        env: { REPORT_RESERVE_MS: '10000' },
        callOptions: { attempts: 4, timeoutMs: 5000 },
      });
      let endedAt = -1;
      const done = handler(event(PARAMS), fakeContext).catch((e: Error) => {
        endedAt = Date.now();
        return e;
      });
      await clock.tickAsync(60_000);
      expect(((await done) as Error).message).toContain('could not report its result to CodePipeline');
      expect(endedAt).toBeGreaterThan(0);
      expect(endedAt).toBeLessThanOrEqual(endsAt - REPORT_MARGIN_MS);
      expect(codePipeline.commandCalls(PutJobFailureResultCommand).length).toBeLessThan(4);
    } finally {
      clock.uninstall();
    }
  });

  it('throws when reporting the result fails, so the action errors instead of hanging', async () => {
    codePipeline
      .on(PutJobSuccessResultCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(handlerFor('health')(event(PARAMS), context())).rejects.toThrow(
      'could not report its result to CodePipeline',
    );
  });

  it('reports failure when its environment is invalid, checked at cold start', async () => {
    const handler = handlerFor('health', { env: {} });
    expect(lines[0]).toMatchObject({ level: 'error', message: 'invalid environment' });
    await handler(event(PARAMS), context());
    expect(codePipeline.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails!.message).toContain(
      'REPORT_RESERVE_MS',
    );
  });

  it('throws for an event that is not a CodePipeline job', async () => {
    await expect(handlerFor('health')({} as CodePipelineEvent, context())).rejects.toThrow('no CodePipeline.job.id');
  });

  it('writes the stage and check name on every log line', async () => {
    await handlerFor('health')(event(PARAMS), context());
    const afterParse = lines.filter((l) => l.message !== 'invalid environment');
    expect(afterParse.length).toBeGreaterThan(5);
    for (const line of afterParse) expect(line).toMatchObject({ stage: 'staging', check: 'health', jobId: 'job-1' });
  });
});

describe('A check handler, in detail', () => {
  it('names the STS session after the check and the stage, and builds its clients from the parameters', async () => {
    const createClients = jest.fn(createCheckClients);
    await handlerFor('dr', { createClients })(event(PARAMS), context());
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input.RoleSessionName).toBe('dr-check-staging');
    expect(createClients).toHaveBeenCalledWith({
      region: 'eu-west-2',
      drRegion: 'eu-west-1',
      credentials: expect.objectContaining({
        accessKeyId: 'AKIAEXAMPLE',
        secretAccessKey: 'secret',
        sessionToken: 'token',
      }),
    });
  });

  it('does not run with exactly the reserve left, and runs with a millisecond more', async () => {
    const run = jest.fn(async () => ({
      check: 'health',
      stage: 'staging',
      outcomes: [],
      passed: false,
      durationMs: 0,
    }));
    await handlerFor('health', { run })(event(PARAMS), context(5000));
    expect(run).not.toHaveBeenCalled();
    expect(codePipeline.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails!.message).toBe(
      "health check could not run: had 5.0 s left, no more than the 5.0 s kept back to report; raise the function's timeout",
    );
    await handlerFor('health', { run })(event(PARAMS), context(5001));
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('reports a passed check with its summary as the execution summary', async () => {
    await handlerFor('health')(event(PARAMS), context());
    const input = codePipeline.commandCalls(PutJobSuccessResultCommand)[0].args[0].input;
    expect(input).toMatchObject({ jobId: 'job-1', executionDetails: { externalExecutionId: 'req-1' } });
    expect(input.executionDetails!.summary).toMatch(/^staging health check passed \(\d+ items\)\.$/);
    expect(lines).toContainEqual(expect.objectContaining({ message: 'check finished', passed: true }));
    expect(lines).toContainEqual(expect.objectContaining({ message: 'result reported', success: true }));
  });

  it('says why the check could not run, in the failure it reports', async () => {
    const run = jest.fn(async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    });
    await handlerFor('health', { run })(event(PARAMS), context());
    expect(codePipeline.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails!.message).toBe(
      'health check could not run: ThrottlingException: Rate exceeded',
    );
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', message: 'check could not run' }));
  });

  it('says what could not be reported, and keeps the cause, when CodePipeline refuses the report', async () => {
    const denied = Object.assign(new Error('not authorized to perform codepipeline:PutJobFailureResult'), {
      name: 'AccessDeniedException',
    });
    codePipeline.on(PutJobFailureResultCommand).rejects(denied);
    const error = (await handlerFor('health', { run: jest.fn(async () => Promise.reject(new Error('x'))) })(
      event(PARAMS),
      context(),
    ).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      "health check could not report its result to CodePipeline: PutJobFailureResult failed: access denied (AccessDeniedException: not authorized to perform codepipeline:PutJobFailureResult); check the stage's check role policy; the action stays in progress until it times out",
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'could not report the result to CodePipeline',
        success: false,
      }),
    );
    expect(error.cause).toMatchObject({
      name: 'CheckFailure',
      message: expect.stringMatching(/^PutJobFailureResult failed: access denied/),
    });
  });

  it('builds its own CodePipeline and STS clients when given none, each making one attempt per call', async () => {
    // callAws bounds the retries within the report reserve; SDK retries (3 attempts by default) would add to them.
    await handlerFor('health', { codePipeline: undefined, sts: undefined })(event(PARAMS), context());
    const [report] = codePipeline.commandCalls(PutJobSuccessResultCommand);
    const [assume] = sts.commandCalls(AssumeRoleCommand);
    expect(await (report.thisValue as CodePipelineClient).config.maxAttempts()).toBe(1);
    expect(await (assume.thisValue as STSClient).config.maxAttempts()).toBe(1);
  });

  it('reports the result when given no call options, timing the report by the real clock', async () => {
    const run = jest.fn(async () => ({
      check: 'health',
      stage: 'staging',
      outcomes: [{ name: 'stacks', status: 'pass' as const, detail: '4 stacks complete' }],
      passed: true,
      durationMs: 1,
    }));
    await handlerFor('health', { run, callOptions: undefined })(event(PARAMS), context());
    expect(codePipeline.commandCalls(PutJobSuccessResultCommand)).toHaveLength(1);
  });

  it('reports failure, naming roleArn, when the parameters name no check role, before calling AWS', async () => {
    await handlerFor('health')(event({ ...PARAMS, roleArn: undefined }), context());
    expect(codePipeline.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails!.message).toContain(
      'roleArn = undefined is not an IAM role ARN',
    );
    expect(sts.calls()).toHaveLength(0);
  });

  it('runs the stage health check without a DR policy, building its clients with no DR region', async () => {
    const createClients = jest.fn(createCheckClients);
    await handlerFor('health', { createClients })(event({ ...PARAMS, dr: undefined }), context());
    expect(codePipeline.commandCalls(PutJobSuccessResultCommand)).toHaveLength(1);
    expect(createClients).toHaveBeenCalledWith(expect.objectContaining({ region: 'eu-west-2', drRegion: undefined }));
  });

  it.each([
    ['no job data', {}],
    ['no action configuration', { data: {} }],
    ['no configuration', { data: { actionConfiguration: {} } }],
  ])('reports failure, saying the parameters are missing, for a job with %s', async (_label, job) => {
    const bare = { 'CodePipeline.job': { id: 'job-1', ...job } } as unknown as CodePipelineEvent;
    await handlerFor('health')(bare, context());
    expect(codePipeline.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails!.message).toContain(
      'expected a JSON object with stage, region and stackNames',
    );
  });

  it('names the check in the error for an event that is not a CodePipeline job', async () => {
    await expect(handlerFor('dr')({} as CodePipelineEvent, context())).rejects.toThrow(
      'dr check: event has no CodePipeline.job.id',
    );
  });

  it('logs the environment problem at cold start, and none when the environment is valid', async () => {
    handlerFor('health', { env: { REPORT_RESERVE_MS: '12' } });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        message: 'invalid environment',
        stage: 'unknown',
        check: 'health',
        problem: expect.stringContaining('REPORT_RESERVE_MS = "12"'),
      }),
    ]);
    lines.length = 0;
    await handlerFor('health')(event(PARAMS), context());
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('logs the check and the job id, with the stage unknown, when the parameters cannot be read', async () => {
    await handlerFor('dr')(event('not json'), context());
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'check could not run',
        stage: 'unknown',
        check: 'dr',
        jobId: 'job-1',
      }),
    );
  });

  it('logs the parameters and the time budget when the check starts', async () => {
    await handlerFor('health')(event(PARAMS), context(60_000));
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        message: 'check started',
        budgetMs: 55_000,
        params: expect.objectContaining({ stage: 'staging', roleArn: PARAMS.roleArn }),
      }),
    );
  });
});

describe('The report reserve', () => {
  it.each([[undefined], ['abc'], ['500'], ['120000'], ['999'], ['60001'], ['1500.5'], ['']])('rejects %s', (raw) => {
    expect(readReserve({ REPORT_RESERVE_MS: raw })).toEqual({
      reserveMs: 5000,
      problem: `environment REPORT_RESERVE_MS = ${JSON.stringify(raw)} is not a whole number of milliseconds from 1000 to 60000`,
    });
  });
  it.each([['1000'], ['10000'], ['60000']])('accepts %s milliseconds', (raw) => {
    expect(readReserve({ REPORT_RESERVE_MS: raw })).toEqual({ reserveMs: Number(raw) });
  });
});

describe('The deadline of a check', () => {
  it('gives the work its result when it finishes in time, and leaves no timer behind', async () => {
    const clock = FakeTimers.install({ now: 0 });
    try {
      await expect(withDeadline(Promise.resolve('report'), 10_000)).resolves.toBe('report');
      expect(clock.countTimers()).toBe(0);
    } finally {
      clock.uninstall();
    }
  });

  it('rejects when the time runs out first, saying how long it had', async () => {
    const clock = FakeTimers.install({ now: 0 });
    try {
      const done = withDeadline(new Promise(() => undefined), 2500).catch((e: unknown) => e);
      await clock.tickAsync(2499);
      await clock.tickAsync(1);
      const error = await done;
      expect(error).toBeInstanceOf(DeadlineError);
      expect((error as Error).message).toBe(
        "did not finish within 2.5 s (the rest of the function's time is kept back to report)",
      );
      expect(clock.countTimers()).toBe(0);
    } finally {
      clock.uninstall();
    }
  });

  it('passes on the failure of work that fails in time', async () => {
    await expect(withDeadline(Promise.reject(new Error('broken')), 1000)).rejects.toThrow('broken');
  });
});
