import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { CodePipelineEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createCheckClients } from '../../../../lambda/pipeline/private/check-clients';
import type { JourneyHandlerOptions } from '../../../../lambda/pipeline/private/journey/journey-handler';
import { createJourneyHandler } from '../../../../lambda/pipeline/private/journey/journey-handler';
import {
  decodeState,
  encodeState,
  MAX_CONTINUATION_TOKEN_LENGTH,
  newJourneyState,
} from '../../../../lambda/pipeline/private/journey/journey-state';
import { awsError, fastSignIn, FakeJourneyStage, PARAMS } from './fake-journey-stage';

const codePipeline = mockClient(CodePipelineClient);
const sts = mockClient(STSClient);
const context = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs, awsRequestId: 'req-1' });
const event = (userParameters: unknown, continuationToken?: string): CodePipelineEvent =>
  ({
    'CodePipeline.job': {
      id: 'job-1',
      accountId: '999999999999',
      data: {
        actionConfiguration: { configuration: { FunctionName: 'f', UserParameters: JSON.stringify(userParameters) } },
        inputArtifacts: [],
        outputArtifacts: [],
        artifactCredentials: { accessKeyId: '', secretAccessKey: '', sessionToken: '', expirationTime: 0 },
        ...(continuationToken ? { continuationToken } : {}),
      },
    },
  }) as unknown as CodePipelineEvent;

let stage: FakeJourneyStage;
let lines: Record<string, unknown>[];
beforeEach(() => {
  stage = new FakeJourneyStage();
  lines = [];
  codePipeline.reset();
  sts.reset();
  codePipeline.onAnyCommand().resolves({});
  sts.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: 'AKIAEXAMPLE', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date() },
  });
});
afterEach(() => stage.restore());

const handler = (overrides: JourneyHandlerOptions = {}) =>
  createJourneyHandler({
    env: { REPORT_RESERVE_MS: '15000' },
    codePipeline: new CodePipelineClient({}),
    sts: new STSClient({}),
    http: stage.http,
    clock: () => stage.now,
    sleep: async (ms) => {
      stage.now += ms;
    },
    signIn: fastSignIn,
    callOptions: { sleep: async () => undefined, attempts: 2, timeoutMs: 1000 },
    logSink: (line) => lines.push(JSON.parse(line)),
    ...overrides,
  });

const successes = () => codePipeline.commandCalls(PutJobSuccessResultCommand).map((c) => c.args[0].input);
const failures = () => codePipeline.commandCalls(PutJobFailureResultCommand).map((c) => c.args[0].input);

describe('The Journey action', () => {
  it('assumes the journey role and hands its state on as a continuation token until the journey is done', async () => {
    stage.faults = { pollsBeforeQuote: 30 };
    // First invocation: 2 minutes, of which 15 s are kept to report and 45 s to hand over.
    await handler()(event(PARAMS), context(120_000));
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input).toMatchObject({
      RoleArn: PARAMS.roleArn,
      RoleSessionName: 'journey-staging',
    });
    expect(failures()).toEqual([]);
    const [first] = successes();
    expect(first.continuationToken).toBeDefined();
    expect(first.executionDetails?.summary).toBe('staging journey in progress: 2/4 steps done, now workflow.');
    const carried = decodeState(first.continuationToken!);
    expect(carried.results.map((r) => r.name)).toEqual(['sign-in', 'api']);
    expect(carried.projectId).toMatch(/^journey-p\d+$/);
    expect(first.continuationToken).not.toMatch(/password|idToken|eyJ/i);

    // CodePipeline invokes the function again with the token; the journey finishes.
    codePipeline.resetHistory();
    await handler()(event(PARAMS, first.continuationToken), context(300_000));
    const [last] = successes();
    expect(last.continuationToken).toBeUndefined();
    expect(last.executionDetails?.summary).toMatch(
      /^staging journey passed: sign-in \d+\.\d s, api \d+\.\d s, workflow \d+\.\d s, clean-up \d+\.\d s\.$/,
    );
    expect([...stage.users.keys()]).toEqual([]);
  });

  it('fails the action with a message that names the failed step and says how the clean-up went', async () => {
    stage.faults = { workflowFails: true };
    await handler()(event(PARAMS), context(300_000));
    expect(successes()).toEqual([]);
    expect(failures()[0].failureDetails).toMatchObject({
      type: 'JobFailed',
      message: expect.stringMatching(
        /^staging journey FAILED at step workflow: expected the AI workflow to quote journey-p\d+, got its run FAILED .*\. Clean-up passed\. Details in the journey function's logs\.$/,
      ),
    });
    expect(failures()[0].failureDetails!.message!.length).toBeLessThanOrEqual(480);
  });

  it('refuses to run for a stage whose config does not turn the journey on', async () => {
    await handler()(event({ ...PARAMS, journey: undefined }), context(300_000));
    expect(failures()[0].failureDetails?.message).toMatch(
      /journey is missing: the stage's config does not turn the acceptance journey on \(<stage>.journey.enabled\)/,
    );
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(stage.cognito.calls()).toHaveLength(0);
  });

  it('fails naming the role when the journey role cannot be assumed (it does not exist yet)', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejects(awsError('AccessDenied', 'User is not authorized to perform: sts:AssumeRole', 403));
    await handler()(event(PARAMS), context(300_000));
    expect(failures()[0].failureDetails?.message).toMatch(
      /^staging journey could not run: assuming arn:aws:iam::222222222222:role\/uk-home-improvement-staging-pipeline-journey failed: access denied/,
    );
  });

  it('refuses a continuation token it did not write', async () => {
    await handler()(event(PARAMS, '{"run":1}'), context(300_000));
    expect(failures()[0].failureDetails?.message).toBe(
      'staging journey could not run: the continuation token is not a journey state of this version',
    );
  });

  it('keeps its state within the continuation token limit, cutting step details first', () => {
    const state = {
      ...newJourneyState('run1', false, 0),
      users: [{ email: 'journey-run1-owner@synthetic.invalid', sub: 'a'.repeat(36) }],
      results: (['sign-in', 'api', 'workflow'] as const).map((name) => ({
        name,
        status: 'pass' as const,
        durationMs: 1000,
        detail: 'x'.repeat(2000),
      })),
    };
    const token = encodeState(state);
    expect(token.length).toBeLessThanOrEqual(MAX_CONTINUATION_TOKEN_LENGTH);
    expect(decodeState(token)).toMatchObject({ run: 'run1', users: state.users });
  });
});

describe('The Journey action when it cannot run or report', () => {
  it('fails without assuming the role when the report reserve is misconfigured', async () => {
    const misconfigured = createJourneyHandler({
      env: { REPORT_RESERVE_MS: '500' },
      codePipeline: new CodePipelineClient({}),
      sts: new STSClient({}),
      logSink: () => undefined,
    });
    await misconfigured(event(PARAMS), context(300_000));
    expect(failures()[0].failureDetails?.message).toBe(
      'unknown journey could not run: environment REPORT_RESERVE_MS = "500" is not a whole number of milliseconds from 1000 to 60000',
    );
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('refuses a continuation token of the other journey mode', async () => {
    const token = encodeState(newJourneyState('run1', true, 0));
    await handler()(event(PARAMS, token), context(300_000));
    expect(failures()[0].failureDetails?.message).toBe(
      'staging journey could not run: the continuation token was written for the other journey mode; start a new execution',
    );
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('reports a passed read-only journey as a success without a continuation token', async () => {
    await handler()(event({ ...PARAMS, journey: { readOnly: true, timeoutMinutes: 10 } }), context(300_000));
    expect(failures()).toEqual([]);
    expect(successes()).toEqual([
      expect.objectContaining({
        jobId: 'job-1',
        executionDetails: expect.objectContaining({
          summary: expect.stringMatching(/^staging read-only journey passed: public-api \d+\.\d s\.$/),
        }),
      }),
    ]);
    expect(successes()[0].continuationToken).toBeUndefined();
  });

  it('starts no step when the invocation has too little time, and hands the untouched state on', async () => {
    // 15 s reserve + 45 s margin + 20 s to start a step: 79.999 s is too little.
    await handler()(event(PARAMS), context(79_999));
    const [only] = successes();
    expect(decodeState(only.continuationToken!)).toMatchObject({ results: [], users: [] });
    expect(only.executionDetails?.summary).toBe('staging journey in progress: 0/4 steps done, now sign-in.');
    expect(stage.cognito.calls()).toHaveLength(0);
  });

  it('starts the first step with exactly enough time', async () => {
    stage.faults = { pollsBeforeQuote: 1000 };
    await handler()(event(PARAMS), context(80_000));
    expect(stage.cognito.commandCalls(AdminCreateUserCommand)).not.toHaveLength(0);
  });

  it('fails naming the running step and what it may have left when a step overruns the invocation', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const hanging = createJourneyHandler({
        env: { REPORT_RESERVE_MS: '15000' },
        codePipeline: new CodePipelineClient({}),
        sts: new STSClient({}),
        http: stage.http,
        clock: () => stage.now,
        signIn: () => new Promise(() => undefined),
        callOptions: { sleep: async () => undefined, attempts: 2, timeoutMs: 1000 },
        logSink: () => undefined,
      });
      const done = hanging(event(PARAMS), context(95_000));
      await jest.advanceTimersByTimeAsync(80_000);
      await done;
    } finally {
      jest.useRealTimers();
    }
    expect(failures()[0].failureDetails?.message).toMatch(
      /^staging journey could not run: step sign-in did not finish within the invocation \(80 s\); may have left journey-\w+-owner@synthetic\.invalid, journey-\w+-other@synthetic\.invalid$/,
    );
  });

  it('throws, so the action stays in progress, when CodePipeline refuses the result', async () => {
    codePipeline
      .on(PutJobFailureResultCommand)
      .rejects(awsError('InvalidJobStateException', 'The job is not in a valid state', 400));
    const error = await handler()(event({ ...PARAMS, journey: undefined }), context(300_000)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^journey could not report its result to CodePipeline: .*InvalidJobStateException.*; the action stays in progress until it times out$/,
    );
    expect((error as Error).cause).toMatchObject({
      name: 'CheckFailure',
      message: expect.stringMatching(/^PutJobFailureResult failed: InvalidJobStateException/),
    });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'could not report the result to CodePipeline',
        summary: expect.stringMatching(/^unknown journey could not run: .*journey is missing/),
        errorName: 'CheckFailure',
      }),
    );
  });

  it('keeps a second back after the last report attempt: with 1.249 s left it does not start the report', async () => {
    // The report must end 1 s (REPORT_MARGIN_MS) before the function does; callAws starts no attempt under 250 ms.
    const now = () => stage.now;
    const callOptions = { sleep: async () => undefined, attempts: 2, timeoutMs: 1000, now };
    await handler({ callOptions })(event(PARAMS), context(1_250));
    expect(successes()).toHaveLength(1);
    codePipeline.resetHistory();
    await expect(handler({ callOptions })(event(PARAMS), context(1_249))).rejects.toThrow(
      /^journey could not report its result to CodePipeline: PutJobSuccessResult not attempted: no time left before the deadline/,
    );
    expect(codePipeline.calls()).toHaveLength(0);
  });

  it('builds its own CodePipeline and STS clients when given none, each making one attempt per call', async () => {
    // callAws bounds the retries within the report reserve; SDK retries (3 attempts by default) would add to them.
    await handler({ codePipeline: undefined, sts: undefined })(event(PARAMS), context(79_999));
    const [report] = codePipeline.commandCalls(PutJobSuccessResultCommand);
    const [assume] = sts.commandCalls(AssumeRoleCommand);
    expect(await (report.thisValue as CodePipelineClient).config.maxAttempts()).toBe(1);
    expect(await (assume.thisValue as STSClient).config.maxAttempts()).toBe(1);
  });

  it('names the journey in the error for an event that is not a CodePipeline job', async () => {
    await expect(handler()({} as CodePipelineEvent, context(300_000))).rejects.toThrow(
      /^journey: event has no CodePipeline.job.id/,
    );
  });

  it.each([
    ['no job data', {}],
    ['no action configuration', { data: {} }],
    ['no configuration', { data: { actionConfiguration: {} } }],
  ])('fails, saying the parameters are missing, for a job with %s', async (_label, job) => {
    const bare = { 'CodePipeline.job': { id: 'job-1', ...job } } as unknown as CodePipelineEvent;
    await handler()(bare, context(300_000));
    expect(failures()[0].failureDetails?.message).toMatch(
      /^unknown journey could not run: .*: expected a JSON object with stage, region and stackNames$/,
    );
  });

  it('fails naming roleArn, before calling AWS, when the parameters name no journey role', async () => {
    await handler()(event({ ...PARAMS, roleArn: undefined }), context(300_000));
    expect(failures()[0].failureDetails?.message).toContain('roleArn = undefined is not an IAM role ARN');
    expect(sts.calls()).toHaveLength(0);
  });

  it('names the users, project and quotes it may have left when a carried journey cannot go on', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejects(awsError('AccessDenied', 'User is not authorized to perform: sts:AssumeRole', 403));
    const carried = {
      ...newJourneyState('run1', false, 0),
      users: [{ email: 'journey-run1-owner@synthetic.invalid', sub: 'sub-1' }],
      projectId: 'journey-p2',
      quoteIds: ['journey-q3'],
    };
    await handler()(event(PARAMS, encodeState(carried)), context(300_000));
    expect(failures()[0].failureDetails?.message).toMatch(
      /^staging journey could not run: assuming .* failed: access denied .*; may have left journey-run1-owner@synthetic\.invalid, journey-p2, journey-q3$/,
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'journey could not run',
        errorName: 'CheckFailure',
        errorMessage: expect.stringMatching(/^assuming .* failed: access denied/),
        state: expect.objectContaining({ run: 'run1', projectId: 'journey-p2' }),
      }),
    );
  });

  it("creates the stage's clients in the stage's region with the assumed role's credentials", async () => {
    const createClients = jest.fn(createCheckClients);
    await handler({ createClients })(event(PARAMS), context(79_999));
    expect(createClients).toHaveBeenCalledWith({
      region: 'eu-west-2',
      credentials: expect.objectContaining({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 's', sessionToken: 't' }),
    });
  });

  it('waits the poll interval between two polls with its own sleep, and leaves no timer behind', async () => {
    stage.faults = { pollsBeforeQuote: 2 };
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const done = handler({ sleep: undefined })(event(PARAMS), context(300_000));
      await jest.advanceTimersByTimeAsync(4_999);
      expect(codePipeline.calls()).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(1);
      expect(failures()).toEqual([]);
      expect(successes()[0]?.executionDetails?.summary).toMatch(/^staging journey passed: /);
      await done;
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe("The Journey action's log", () => {
  it('logs the environment problem at cold start, and none when the environment is valid', async () => {
    handler({ env: { REPORT_RESERVE_MS: '500' } });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        message: 'invalid environment',
        stage: 'unknown',
        check: 'journey',
        problem: expect.stringContaining('REPORT_RESERVE_MS = "500"'),
      }),
    ]);
    lines.length = 0;
    handler();
    expect(lines).toEqual([]);
  });

  it('logs the job id, with the stage unknown, and a done outcome when the parameters cannot be read', async () => {
    await handler()(event('not json'), context(300_000));
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'journey could not run',
        stage: 'unknown',
        check: 'journey',
        jobId: 'job-1',
        errorName: 'InvalidParametersError',
        errorMessage: expect.stringContaining('expected a JSON object with stage, region and stackNames'),
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'info', message: 'result reported', outcome: 'done', jobId: 'job-1' }),
    );
  });

  it('logs the run, the parameters and the time budget when an invocation starts, and the results when reported', async () => {
    const token = encodeState(newJourneyState('run1', true, 0));
    await handler()(event({ ...PARAMS, journey: { readOnly: true, timeoutMinutes: 10 } }, token), context(300_000));
    const own = { stage: 'staging', check: 'journey', jobId: 'job-1', run: 'run1' };
    expect(lines).toContainEqual(
      expect.objectContaining({
        ...own,
        level: 'info',
        message: 'journey invocation started',
        params: expect.objectContaining({ stage: 'staging', roleArn: PARAMS.roleArn }),
        budgetMs: 285_000,
        continued: true,
        done: [],
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        ...own,
        level: 'info',
        message: 'result reported',
        outcome: 'done',
        summary: expect.stringMatching(/^staging read-only journey passed: /),
        results: [expect.objectContaining({ name: 'public-api', status: 'pass' })],
      }),
    );
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  codePipeline.restore();
  sts.restore();
});
