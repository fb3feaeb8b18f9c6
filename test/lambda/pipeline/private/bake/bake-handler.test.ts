import type { AlarmHistoryItem, StateValue } from '@aws-sdk/client-cloudwatch';
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { CodePipelineEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createBakeHandler } from '../../../../../lambda/pipeline/private/bake/bake-handler';
import { encodeBakeToken } from '../../../../../lambda/pipeline/private/bake/bake-token';
import type { BakeParameters } from '../../../../../contracts/check-parameters';

const MINUTE = 60_000;
const ALARM = 'uk-home-improvement-staging-stage-unhealthy';
const PARAMS: BakeParameters = {
  stage: 'staging',
  region: 'eu-west-2',
  roleArn: 'arn:aws:iam::222222222222:role/uk-home-improvement-staging-pipeline-check',
  alarmName: ALARM,
  minutes: 10,
};
/** When the bake's first invocation runs in these tests. */
const T0 = new Date('2026-06-01T12:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);

const codePipeline = mockClient(CodePipelineClient);
const sts = mockClient(STSClient);
const cloudWatch = mockClient(CloudWatchClient);

/** A CodePipeline job for the Bake action, with CodePipeline's continuation token on a later invocation. */
const event = (params: unknown = PARAMS, continuationToken?: string): CodePipelineEvent =>
  ({
    'CodePipeline.job': {
      id: 'job-1',
      accountId: '999999999999',
      data: {
        actionConfiguration: { configuration: { FunctionName: 'bake', UserParameters: JSON.stringify(params) } },
        inputArtifacts: [],
        outputArtifacts: [],
        artifactCredentials: { accessKeyId: '', secretAccessKey: '', sessionToken: '', expirationTime: 0 },
        ...(continuationToken ? { continuationToken } : {}),
      },
    },
  }) as unknown as CodePipelineEvent;

/** A virtual clock: sleeping moves it on, and the Lambda context's remaining time follows it. */
function clock(start: Date, functionMs = 5 * MINUTE) {
  let nowMs = start.getTime();
  const endsAt = nowMs + functionMs;
  return {
    now: () => new Date(nowMs),
    sleep: async (ms: number) => {
      nowMs += ms;
    },
    context: { getRemainingTimeInMillis: () => endsAt - nowMs, awsRequestId: 'req-1' },
  };
}

/** A StateUpdate item as DescribeAlarmHistory returns it. */
const change = (
  minute: number,
  from: StateValue,
  to: StateValue,
  reason = 'Alarm rule evaluated',
): AlarmHistoryItem => ({
  AlarmName: ALARM,
  AlarmType: 'CompositeAlarm',
  Timestamp: at(minute),
  HistoryItemType: 'StateUpdate',
  HistorySummary: `Alarm updated from ${from} to ${to}`,
  HistoryData: JSON.stringify({
    version: '1.0',
    oldState: { stateValue: from, stateReason: 'before' },
    newState: { stateValue: to, stateReason: reason },
  }),
});

/** The composite alarm now, and its history: only the items up to the EndDate asked for, as CloudWatch answers. */
function alarmIs(state: StateValue | 'missing', history: AlarmHistoryItem[] = []) {
  cloudWatch.on(DescribeAlarmsCommand).resolves(
    state === 'missing'
      ? { MetricAlarms: [], CompositeAlarms: [] }
      : {
          CompositeAlarms: [
            { AlarmName: ALARM, StateValue: state, StateReason: 'rule', StateUpdatedTimestamp: at(-60) },
          ],
        },
  );
  cloudWatch.on(DescribeAlarmHistoryCommand).callsFake((input: { StartDate: Date; EndDate: Date }) => ({
    AlarmHistoryItems: history.filter((h) => h.Timestamp! >= input.StartDate && h.Timestamp! <= input.EndDate),
  }));
}

const failureMessage = () =>
  codePipeline.commandCalls(PutJobFailureResultCommand)[0]?.args[0].input.failureDetails?.message;
const successes = () => codePipeline.commandCalls(PutJobSuccessResultCommand).map((c) => c.args[0].input);

function handler(c: ReturnType<typeof clock>, pollMs = 30_000) {
  return createBakeHandler({
    env: { REPORT_RESERVE_MS: '10000' },
    codePipeline: new CodePipelineClient({ region: 'eu-west-2' }),
    sts: new STSClient({ region: 'eu-west-2' }),
    cloudWatch: ({ region, credentials }) => new CloudWatchClient({ region, credentials }),
    callOptions: { sleep: async () => undefined, timeoutMs: 500, attempts: 2 },
    logSink: () => undefined,
    now: c.now,
    sleep: c.sleep,
    pollMs,
  });
}

beforeEach(() => {
  codePipeline.reset();
  sts.reset();
  cloudWatch.reset();
  codePipeline.onAnyCommand().resolves({});
  sts.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: 'AKIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: at(15) },
  });
});

describe('The bake', () => {
  it('records its start and keeps the action in progress with a continuation token while the window lasts', async () => {
    alarmIs('OK');
    const c = clock(T0);
    await handler(c)(event(), c.context);
    expect(codePipeline.commandCalls(PutJobFailureResultCommand)).toHaveLength(0);
    const [reported] = successes();
    expect(JSON.parse(reported.continuationToken!)).toEqual({ v: 1, startedAt: T0.toISOString() });
    expect(reported.executionDetails).toMatchObject({
      summary: expect.stringMatching(/^staging bake in progress: .* OK and never in ALARM for 4\.\d of 10 minutes/),
      percentComplete: expect.any(Number),
    });
    // It assumed the stage's check role and read the composite alarm's history from its start on.
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input.RoleArn).toBe(PARAMS.roleArn);
    const history = cloudWatch.commandCalls(DescribeAlarmHistoryCommand).map((h) => h.args[0].input);
    expect(history[0]).toMatchObject({
      AlarmName: ALARM,
      AlarmTypes: expect.arrayContaining(['CompositeAlarm']),
      HistoryItemType: 'StateUpdate',
      StartDate: T0,
    });
    expect(history.length).toBeGreaterThan(1);
  });

  it('succeeds without a token once the whole window has passed with the alarm never in ALARM', async () => {
    alarmIs('OK', [change(-30, 'ALARM', 'OK')]);
    const c = clock(at(10.5));
    await handler(c)(event(PARAMS, encodeBakeToken({ startedAt: T0 })), c.context);
    const [reported] = successes();
    expect(reported.continuationToken).toBeUndefined();
    expect(reported.executionDetails!.summary).toBe(
      `staging bake passed: ${ALARM} stayed out of ALARM for the whole 10-minute bake (2026-06-01T12:00:00Z to 2026-06-01T12:10:30Z) and is OK`,
    );
  });

  it('fails, naming the alarm, the time and the reason, when the alarm went to ALARM at minute 3 and back to OK', async () => {
    // GIVEN an alarm that fired 3 minutes into a 10-minute bake and recovered at minute 5: OK again when the window ends
    alarmIs('OK', [
      change(3, 'OK', 'ALARM', 'Alarm rule ALARM(api-5xx) evaluated to TRUE'),
      change(5, 'ALARM', 'OK', 'Alarm rule evaluated to FALSE'),
    ]);
    const c = clock(at(10.2));
    await handler(c)(event(PARAMS, encodeBakeToken({ startedAt: T0 })), c.context);
    expect(successes()).toEqual([]);
    expect(failureMessage()).toBe(
      `staging bake FAILED: ${ALARM} went to ALARM at 2026-06-01T12:03:00Z, 3.0 minutes into the 10-minute bake that started 2026-06-01T12:00:00Z: Alarm rule ALARM(api-5xx) evaluated to TRUE (back to OK at 2026-06-01T12:05:00Z)`,
    );
  });

  it('fails within the invocation that sees the alarm go to ALARM, without waiting for the window to end', async () => {
    alarmIs('OK', [change(1, 'OK', 'ALARM', 'Alarm rule ALARM(synthetic-traffic-failed) evaluated to TRUE')]);
    const c = clock(T0);
    await handler(c)(event(), c.context);
    expect(failureMessage()).toContain(`${ALARM} went to ALARM at 2026-06-01T12:01:00Z, 1.0 minutes into`);
    expect(c.now().getTime()).toBeLessThan(at(2).getTime());
  });

  it('fails at once when the alarm is already in ALARM as the bake starts', async () => {
    alarmIs('ALARM');
    const c = clock(T0);
    await handler(c)(event(), c.context);
    expect(failureMessage()).toMatch(new RegExp(`^staging bake FAILED: ${ALARM} is in ALARM since .*: rule$`));
  });

  it('fails when the alarm does not exist, rather than watching nothing', async () => {
    alarmIs('missing');
    const c = clock(T0);
    await handler(c)(event(), c.context);
    expect(failureMessage()).toContain(`alarm ${ALARM} does not exist in eu-west-2`);
    expect(successes()).toEqual([]);
  });

  it('fails when the composite alarm is INSUFFICIENT_DATA (never evaluated)', async () => {
    alarmIs('INSUFFICIENT_DATA');
    const c = clock(T0);
    await handler(c)(event(), c.context);
    expect(failureMessage()).toContain(`${ALARM} is INSUFFICIENT_DATA`);
    expect(failureMessage()).toContain('cannot prove the stage healthy');
  });

  it('fails with the reason when the check role may not read the alarm history', async () => {
    alarmIs('OK');
    cloudWatch.on(DescribeAlarmHistoryCommand).rejects(
      Object.assign(new Error('not authorized to perform: cloudwatch:DescribeAlarmHistory'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const c = clock(T0);
    await handler(c)(event(), c.context);
    expect(failureMessage()).toMatch(/^bake could not run: DescribeAlarmHistory .* failed: access denied/);
  });

  it('fails when the check role cannot be assumed (the stage was never deployed)', async () => {
    sts.on(AssumeRoleCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const c = clock(T0);
    await handler(c)(event(), c.context);
    expect(failureMessage()).toContain(`assuming ${PARAMS.roleArn} failed: access denied`);
  });

  it('fails when a history item cannot be read, since that time is not proved', async () => {
    alarmIs('OK', [{ AlarmName: ALARM, Timestamp: at(2), HistoryItemType: 'StateUpdate', HistoryData: '{}' }]);
    const c = clock(at(10));
    await handler(c)(event(PARAMS, encodeBakeToken({ startedAt: T0 })), c.context);
    expect(failureMessage()).toContain(`could not read the state change of ${ALARM} at 2026-06-01T12:02:00Z`);
  });

  it.each([
    ['not JSON', 'abc', "the continuation token is not the bake's"],
    ['a start in the future', encodeBakeToken({ startedAt: at(30) }), 'not within the last 24 hours'],
  ])('fails on a continuation token that is %s: the start is unknown', async (_case, token, message) => {
    alarmIs('OK');
    const c = clock(T0);
    await handler(c)(event(PARAMS, token), c.context);
    expect(failureMessage()).toContain(message);
  });

  it('fails on malformed user parameters before calling AWS', async () => {
    const c = clock(T0);
    await handler(c)(event({ ...PARAMS, minutes: 0 }), c.context);
    expect(failureMessage()).toContain('minutes = 0 is not a whole number from 1 to 120');
    expect(sts.calls()).toHaveLength(0);
  });

  it('covers a whole 10-minute window over several invocations, each reading the history from the start', async () => {
    // GIVEN CodePipeline invoking again with each token it was given, until the action ends
    alarmIs('OK');
    let token: string | undefined;
    let invocations = 0;
    let start = T0;
    for (; invocations < 10; invocations++) {
      codePipeline.resetHistory();
      const c = clock(start);
      await handler(c)(event(PARAMS, token), c.context);
      const [reported] = successes();
      expect(reported).toBeDefined();
      token = reported.continuationToken;
      if (!token) break;
      start = new Date(c.now().getTime() + 20_000);
    }
    expect(invocations).toBeGreaterThanOrEqual(2);
    expect(token).toBeUndefined();
    const starts = cloudWatch.commandCalls(DescribeAlarmHistoryCommand).map((h) => h.args[0].input.StartDate);
    expect(new Set(starts.map((d) => d!.toISOString()))).toEqual(new Set([T0.toISOString()]));
  });

  it('throws for an event that is not a CodePipeline job', async () => {
    const c = clock(T0);
    await expect(handler(c)({} as CodePipelineEvent, c.context)).rejects.toThrow('no CodePipeline.job.id');
  });

  it('throws when the result cannot be reported, so the invocation counts as an error', async () => {
    alarmIs('ALARM');
    codePipeline
      .on(PutJobFailureResultCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const c = clock(T0);
    await expect(handler(c)(event(), c.context)).rejects.toThrow('bake could not report its result to CodePipeline');
  });
});

describe('The bake, its time budget and its log', () => {
  /** The handler with `env` and a log that keeps every line. */
  function logged(
    c: ReturnType<typeof clock>,
    env: Record<string, string | undefined> = { REPORT_RESERVE_MS: '10000' },
  ) {
    const lines: Array<Record<string, unknown>> = [];
    const run = createBakeHandler({
      env,
      codePipeline: new CodePipelineClient({ region: 'eu-west-2' }),
      sts: new STSClient({ region: 'eu-west-2' }),
      cloudWatch: ({ region, credentials }) => new CloudWatchClient({ region, credentials }),
      callOptions: { sleep: async () => undefined, timeoutMs: 500, attempts: 2 },
      logSink: (line) => lines.push(JSON.parse(line)),
      now: c.now,
      sleep: c.sleep,
    });
    return { run, lines };
  }
  const endDates = () =>
    cloudWatch.commandCalls(DescribeAlarmHistoryCommand).map((h) => h.args[0].input.EndDate!.toISOString());

  it('fails, before calling AWS, when the report reserve is not configured', async () => {
    const c = clock(T0);
    const { run, lines } = logged(c, {});
    await run(event(), c.context);
    expect(failureMessage()).toBe(
      'bake could not run: Error: environment REPORT_RESERVE_MS = undefined is not a whole number of milliseconds from 1000 to 60000',
    );
    expect(sts.calls()).toHaveLength(0);
    expect(lines[0]).toMatchObject({
      level: 'error',
      message: 'invalid environment',
      check: 'bake',
      stage: 'unknown',
      problem: expect.stringContaining('REPORT_RESERVE_MS = undefined'),
    });
  });

  it('fails, asking for a longer timeout, when the function has no more time than the reserve', async () => {
    const c = clock(T0, 10_000);
    await handler(c)(event(), c.context);
    expect(failureMessage()).toBe(
      "bake could not run: had 10.0 s left, no more than the 10.0 s kept back to report; raise the function's timeout",
    );
    expect(sts.calls()).toHaveLength(0);
  });

  it('looks until the last look that fits before the reserve, then hands over with the token', async () => {
    // 290 s of function time, 10 s reserve: looks every 30 s; after the look at 240 s exactly 10 s (one look) remain
    // beyond the next wait, so it looks once more at 270 s and hands over.
    alarmIs('OK');
    const c = clock(T0, 290_000);
    await handler(c)(event(), c.context);
    expect(endDates()).toEqual(Array.from({ length: 10 }, (_, i) => new Date(T0.getTime() + i * 30_000).toISOString()));
    const [reported] = successes();
    expect(JSON.parse(reported.continuationToken!)).toEqual({ v: 1, startedAt: T0.toISOString() });
    expect(reported.executionDetails).toMatchObject({
      summary: `staging bake in progress: ${ALARM} OK and never in ALARM for 4.5 of 10 minutes (bake started 2026-06-01T12:00:00Z)`,
      percentComplete: 45,
    });
  });

  it('waits only for the rest of the window, and passes in the same invocation when it ends', async () => {
    alarmIs('OK');
    const c = clock(at(9.9));
    await handler(c)(event(PARAMS, encodeBakeToken({ startedAt: T0 })), c.context);
    expect(endDates()).toEqual(['2026-06-01T12:09:54.000Z', '2026-06-01T12:10:00.000Z']);
    expect(successes()[0].executionDetails!.summary).toBe(
      `staging bake passed: ${ALARM} stayed out of ALARM for the whole 10-minute bake (2026-06-01T12:00:00Z to 2026-06-01T12:10:00Z) and is OK`,
    );
  });

  it('logs the start, each look and the result it reported', async () => {
    alarmIs('OK');
    const c = clock(at(10));
    const { run, lines } = logged(c);
    await run(event(PARAMS, encodeBakeToken({ startedAt: T0 })), c.context);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        message: 'bake continues',
        stage: 'staging',
        check: 'bake',
        jobId: 'job-1',
        alarm: ALARM,
        startedAt: T0.toISOString(),
        minutes: 10,
      }),
      expect.objectContaining({
        message: 'looked at the alarm',
        stage: 'staging',
        check: 'bake',
        state: 'OK',
        transitions: 0,
        verdict: 'passed',
      }),
      expect.objectContaining({
        level: 'info',
        message: 'result reported',
        stage: 'staging',
        check: 'bake',
        success: true,
        continues: false,
      }),
    ]);
  });

  it('logs a first invocation as the start, and a failure as an error', async () => {
    alarmIs('ALARM');
    const c = clock(T0);
    const { run, lines } = logged(c);
    await run(event(), c.context);
    expect(lines[0]).toMatchObject({ level: 'info', message: 'bake started' });
    expect(lines.at(-1)).toMatchObject({
      level: 'error',
      message: 'result reported',
      success: false,
      continues: false,
    });
  });

  it('logs a continuation as continuing', async () => {
    alarmIs('OK');
    const c = clock(T0);
    const { run, lines } = logged(c);
    await run(event(), c.context);
    expect(lines.at(-1)).toMatchObject({ level: 'info', message: 'result reported', continues: true });
  });

  it('logs why it could not run', async () => {
    const c = clock(T0);
    const { run, lines } = logged(c);
    await run(event({ ...PARAMS, minutes: 0 }), c.context);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'bake could not run',
        stage: 'unknown',
        jobId: 'job-1',
        errorMessage: expect.stringContaining('minutes = 0'),
      }),
    );
  });

  it('says the action stays in progress when the result cannot be reported, and logs the result it lost', async () => {
    alarmIs('ALARM');
    codePipeline
      .on(PutJobFailureResultCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const c = clock(T0);
    const { run, lines } = logged(c);
    await expect(run(event(), c.context)).rejects.toThrow(
      /^bake could not report its result to CodePipeline: PutJobFailureResult failed: access denied .*; the action stays in progress until it times out$/,
    );
    expect(lines.at(-1)).toMatchObject({
      level: 'error',
      message: 'could not report the result to CodePipeline',
      success: false,
      summary: expect.stringContaining(`staging bake FAILED: ${ALARM} is in ALARM`),
    });
  });
});

describe('The bake, wired as its Lambda entry wires it (no seams)', () => {
  /** A Lambda context whose remaining time runs down with the real clock. */
  const realContext = (functionMs: number) => {
    const endsAt = Date.now() + functionMs;
    return { getRemainingTimeInMillis: () => endsAt - Date.now(), awsRequestId: 'req-1' };
  };

  it('reads the real clock, waits between looks, and calls AWS with one SDK attempt each (its own retries bound them)', async () => {
    alarmIs('OK');
    // 1 s reserve and 10.5 s left: looks, waits 20 ms, looks again, until less than one look's 10 s would remain.
    const run = createBakeHandler({ env: { REPORT_RESERVE_MS: '1000' }, logSink: () => undefined, pollMs: 20 });
    const before = Date.now();
    await run(event(), realContext(11_500));
    const after = Date.now();

    const [reported] = successes();
    const startedAt = Date.parse(JSON.parse(reported.continuationToken!).startedAt);
    expect(startedAt).toBeGreaterThanOrEqual(before);
    expect(startedAt).toBeLessThanOrEqual(after);
    const looks = cloudWatch.commandCalls(DescribeAlarmHistoryCommand);
    expect(looks.length).toBeGreaterThanOrEqual(2);
    // Each look asks for the history up to its own time: looks are a wait apart (timers may fire a little early).
    const ends = looks.map((l) => l.args[0].input.EndDate!.getTime());
    const gaps = ends.slice(1).map((end, i) => end - ends[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(15);

    const [report] = codePipeline.commandCalls(PutJobSuccessResultCommand);
    expect(await (report.thisValue as CodePipelineClient).config.maxAttempts()).toBe(1);
    const [assume] = sts.commandCalls(AssumeRoleCommand);
    expect(await (assume.thisValue as STSClient).config.maxAttempts()).toBe(1);
    // CloudWatch is read in the stage's region as the assumed check role.
    const reader = looks[0].thisValue as CloudWatchClient;
    expect(await reader.config.region()).toBe('eu-west-2');
    expect(await reader.config.credentials()).toMatchObject({
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
    expect(await reader.config.maxAttempts()).toBe(1);
  });
});

describe('The bake, with the clients it is given', () => {
  it('reports with the CodePipeline client given, assumes the role with the STS client given, and reads the alarm with a CloudWatch client made for the stage region and the assumed role', async () => {
    alarmIs('OK');
    const c = clock(at(10));
    const givenCodePipeline = new CodePipelineClient({ region: 'eu-west-2' });
    const givenSts = new STSClient({ region: 'eu-west-2' });
    const givenCloudWatch = new CloudWatchClient({ region: 'eu-west-2' });
    const cloudWatchFor = jest.fn(() => givenCloudWatch);
    const run = createBakeHandler({
      env: { REPORT_RESERVE_MS: '10000' },
      codePipeline: givenCodePipeline,
      sts: givenSts,
      cloudWatch: cloudWatchFor,
      callOptions: { sleep: async () => undefined, timeoutMs: 500, attempts: 2 },
      logSink: () => undefined,
      now: c.now,
      sleep: c.sleep,
    });
    await run(event(PARAMS, encodeBakeToken({ startedAt: T0 })), c.context);

    expect(cloudWatchFor.mock.calls).toEqual([
      [
        {
          region: 'eu-west-2',
          credentials: {
            accessKeyId: 'AKIAEXAMPLE',
            secretAccessKey: 'secret',
            sessionToken: 'token',
            expiration: at(15),
          },
        },
      ],
    ]);
    expect(codePipeline.commandCalls(PutJobSuccessResultCommand)[0].thisValue).toBe(givenCodePipeline);
    expect(sts.commandCalls(AssumeRoleCommand)[0].thisValue).toBe(givenSts);
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)[0].thisValue).toBe(givenCloudWatch);
  });

  it('names the stage in the role session, so CloudTrail shows which bake read the alarm', async () => {
    alarmIs('OK');
    const c = clock(T0);
    await handler(c)(event(), c.context);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: PARAMS.roleArn,
      RoleSessionName: 'bake-staging',
    });
  });
});

describe('The bake, on an event CodePipeline would not send', () => {
  it('names the bake handler when the event is not a pipeline job', async () => {
    const c = clock(T0);
    await expect(handler(c)({} as CodePipelineEvent, c.context)).rejects.toThrow(
      'bake: event has no CodePipeline.job.id; this handler only runs as a pipeline action',
    );
  });

  const job = (data: unknown) => ({ 'CodePipeline.job': { id: 'job-1', data } }) as unknown as CodePipelineEvent;
  it.each([
    ['no data', job(undefined)],
    ['no action configuration', job({})],
    ['no configuration', job({ actionConfiguration: {} })],
  ])('fails with the missing user parameters, not a TypeError, for a job with %s', async (_case, e) => {
    const c = clock(T0);
    await handler(c)(e, c.context);
    expect(failureMessage()).toBe(
      'bake could not run: InvalidParametersError: Invalid user parameters: expected a JSON object with stage, region, roleArn, alarmName and minutes',
    );
    expect(sts.calls()).toHaveLength(0);
  });
});

describe('The bake, reporting its result', () => {
  it('gives the report only the time left before the function times out, less the margin', async () => {
    // GIVEN parameters that fail at once and 1.3 s left in the function; PutJobFailureResult never answers
    codePipeline.on(PutJobFailureResultCommand).callsFake(() => new Promise(() => undefined));
    const run = createBakeHandler({
      env: { REPORT_RESERVE_MS: '10000' },
      codePipeline: new CodePipelineClient({ region: 'eu-west-2' }),
      sts: new STSClient({ region: 'eu-west-2' }),
      callOptions: { sleep: async () => undefined, timeoutMs: 60_000, attempts: 2, now: () => T0.getTime() },
      logSink: () => undefined,
    });
    const context = { getRemainingTimeInMillis: () => 1300, awsRequestId: 'req-1' };
    // THEN the one attempt is cut to 1.3 s - 1 s margin, and the error says the action stays in progress
    await expect(run(event({ ...PARAMS, minutes: 0 }), context)).rejects.toThrow(
      'bake could not report its result to CodePipeline: PutJobFailureResult timed out after 300 ms; the action stays in progress until it times out',
    );
  });

  it('keeps the AWS error as the cause of the error it throws when the result cannot be reported', async () => {
    alarmIs('ALARM');
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    codePipeline.on(PutJobFailureResultCommand).rejects(denied);
    const c = clock(T0);
    const thrown: Error = await handler(c)(event(), c.context).then(
      () => new Error('did not throw'),
      (e: Error) => e,
    );
    expect(thrown.message).toMatch(/^bake could not report its result to CodePipeline/);
    expect(thrown.cause).toMatchObject({
      message: expect.stringContaining('PutJobFailureResult failed: access denied'),
    });
  });
});
