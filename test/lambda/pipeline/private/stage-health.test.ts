import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import * as FakeTimers from '@sinonjs/fake-timers';
import 'aws-sdk-client-mock-jest';
import { OUTPUTS } from '../../../../contracts/output-names';
import { healthBodyProblem } from '../../../../contracts/health-contract';
import {
  healthEndpoint,
  runStageHealthCheck,
  stacksComplete,
  terminationProtected,
} from '../../../../lambda/pipeline/private/stage-health';
import { MAX_ALARM_PAGES } from '../../../../lambda/pipeline/private/stage-alarms';
import type { HttpResponse } from '../../../../lambda/pipeline/private/http-get';
import type { CheckReport } from '../../../../lambda/pipeline/private/check-result';
import type { StageMocks } from '../../../../support/check-fixtures';
import {
  CRITICAL_TOPIC_ARN,
  HEALTHY_BODY,
  KEY_ARN,
  mockHealthyStage,
  WARNING_TOPIC_ARN,
  PARAMS,
  STACK_OUTPUTS,
  TABLES,
} from '../../../../support/check-fixtures';
import type { LogLines } from '../../../support/check-test-context';
import { testContext } from '../../../support/check-test-context';
import { awsError } from '../../../support/aws-error';

const failed = (r: CheckReport) => r.outcomes.filter((o) => o.status === 'fail');

let mocks: StageMocks;
beforeEach(() => {
  mocks = mockHealthyStage();
});
afterEach(() => mocks.restore());

describe('The stage health check', () => {
  it('passes a stage whose stacks, endpoint, tables, user pool, workflow, secrets and alarms are healthy', async () => {
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.outcomes.map((o) => o.name)).toEqual(
      expect.arrayContaining([
        'stacks',
        'health-endpoint',
        'user-pool',
        'state-machine',
        'alarms',
        `table ${TABLES[0]}`,
        'secret uk-home-improvement/stripe',
      ]),
    );
  });

  it('fails when a stack is in UPDATE_ROLLBACK_COMPLETE, naming the stack', async () => {
    mocks.cfn.on(DescribeStacksCommand, { StackName: 'Staging-Service' }).resolves({
      Stacks: [
        {
          StackName: 'Staging-Service',
          StackStatus: 'UPDATE_ROLLBACK_COMPLETE',
          CreationTime: new Date(),
          Outputs: Object.entries(STACK_OUTPUTS['Staging-Service']).map(([OutputKey, OutputValue]) => ({
            OutputKey,
            OutputValue,
          })),
        },
      ],
    });
    const report = await runStageHealthCheck(testContext());
    expect(report.passed).toBe(false);
    expect(failed(report)).toEqual([
      expect.objectContaining({
        name: 'stacks',
        detail: expect.stringContaining('Staging-Service is UPDATE_ROLLBACK_COMPLETE'),
      }),
    ]);
  });

  it('fails with a clear reason when a stack does not exist', async () => {
    mocks.cfn.on(DescribeStacksCommand, { StackName: 'Staging-Backup' }).rejects(
      Object.assign(new Error('Stack with id Staging-Backup does not exist'), {
        name: 'ValidationError',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const report = await runStageHealthCheck(testContext());
    expect(report.passed).toBe(false);
    expect(failed(report)[0].detail).toBe('stack Staging-Backup does not exist in eu-west-2');
  });

  it('reads a stack outside the primary region in its own region', async () => {
    const ctx = testContext();
    const report = await runStageHealthCheck(ctx);
    expect(report.passed).toBe(true);
    const regions = await Promise.all(
      mocks.cfn
        .commandCalls(DescribeStacksCommand)
        .map((c) => (c.thisValue as { config: { region: () => Promise<string> } }).config.region()),
    );
    expect(regions.sort()).toEqual(['eu-west-1', 'eu-west-2', 'eu-west-2', 'eu-west-2']);
  });

  it('fails when /health answers 500 on every bounded retry', async () => {
    const httpGet = jest.fn(async () => ({ status: 500, body: 'oops' }));
    const report = await runStageHealthCheck(testContext({ httpGet }));
    expect(httpGet).toHaveBeenCalledTimes(3);
    expect(failed(report)).toEqual([
      expect.objectContaining({
        name: 'health-endpoint',
        detail: expect.stringContaining('answered HTTP 500 (after 3 attempts)'),
      }),
    ]);
  });

  it('passes when /health recovers within the retries', async () => {
    const httpGet = jest
      .fn()
      .mockResolvedValueOnce({ status: 503, body: '' })
      .mockResolvedValue({ status: 200, body: HEALTHY_BODY });
    const report = await runStageHealthCheck(testContext({ httpGet }));
    expect(report.passed).toBe(true);
    expect(httpGet).toHaveBeenCalledTimes(2);
  });

  it('fails when /health times out', async () => {
    const httpGet = jest.fn(async () => {
      throw Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    });
    const report = await runStageHealthCheck(testContext({ httpGet }));
    expect(failed(report)[0]).toMatchObject({
      name: 'health-endpoint',
      detail: expect.stringContaining('timed out after 3000 ms'),
    });
  });

  it('fails when /health answers 200 but a dependency is not OK', async () => {
    const body = JSON.stringify({
      status: 'ok',
      stage: 'staging',
      dependencies: [
        { name: 'table:users', ok: true, detail: 'ACTIVE' },
        { name: 'secret:claude', ok: false, detail: 'AccessDeniedException' },
      ],
    });
    const report = await runStageHealthCheck(testContext({ httpGet: async () => ({ status: 200, body }) }));
    expect(failed(report)[0].detail).toContain('dependencies not OK: secret:claude (AccessDeniedException)');
  });

  it("fails when /health answers 200 with another stage's healthy body, naming both stages and the URL", async () => {
    // GIVEN the Staging HealthUrl output points at Prod's API (a copied output, a shared custom domain)
    const prodBody = JSON.stringify({ ...JSON.parse(HEALTHY_BODY), stage: 'prod' });
    const report = await runStageHealthCheck(testContext({ httpGet: async () => ({ status: 200, body: prodBody }) }));
    const url = STACK_OUTPUTS['Staging-Service'].HealthUrl;
    expect(report.passed).toBe(false);
    expect(failed(report)).toEqual([
      expect.objectContaining({
        name: 'health-endpoint',
        detail: expect.stringContaining(`expected stage staging, got prod from URL ${url}`),
      }),
    ]);
  });

  it('fails when /health answers 200 with a body that does not name its stage', async () => {
    const anonymous = JSON.parse(HEALTHY_BODY) as Record<string, unknown>;
    delete anonymous.stage;
    const body = JSON.stringify(anonymous);
    const report = await runStageHealthCheck(testContext({ httpGet: async () => ({ status: 200, body }) }));
    expect(failed(report)[0]).toMatchObject({
      name: 'health-endpoint',
      detail: expect.stringContaining('stage is missing, expected "staging"'),
    });
  });

  it('fails when /health answers 200 with an empty dependency list', async () => {
    const body = JSON.stringify({ status: 'ok', stage: 'staging', dependencies: [] });
    const report = await runStageHealthCheck(testContext({ httpGet: async () => ({ status: 200, body }) }));
    expect(failed(report)).toEqual([
      expect.objectContaining({
        name: 'health-endpoint',
        detail: expect.stringContaining('the dependencies list is empty: nothing was checked'),
      }),
    ]);
  });

  it('follows a redirect within the same API and says where it was sent', async () => {
    const httpGet = jest.fn(async (url: string) =>
      url.endsWith('/health')
        ? { status: 301, body: '', location: '/prod/health/' }
        : { status: 200, body: HEALTHY_BODY },
    );
    const report = await runStageHealthCheck(testContext({ httpGet }));
    expect(report.outcomes.find((o) => o.name === 'health-endpoint')).toEqual(
      expect.objectContaining({
        status: 'pass',
        detail: expect.stringContaining('redirected to https://api.example.com/prod/health/'),
      }),
    );
  });

  it('fails on a redirect to another host, naming the target, without following it', async () => {
    const httpGet = jest.fn<Promise<HttpResponse>, [string, number]>(async () => ({
      status: 302,
      body: '',
      location: 'https://login.example.net/sso?next=/health',
    }));
    const report = await runStageHealthCheck(testContext({ httpGet }));
    expect(failed(report)[0].detail).toContain(
      'answered HTTP 302, redirecting to https://login.example.net/sso?next=/health, which is not the same API; not followed',
    );
    expect(httpGet.mock.calls.every(([url]) => url === STACK_OUTPUTS['Staging-Service'].HealthUrl)).toBe(true);
  });

  it('fails on a redirect without a Location header', async () => {
    const report = await runStageHealthCheck(testContext({ httpGet: async () => ({ status: 307, body: '' }) }));
    expect(failed(report)[0].detail).toContain('answered HTTP 307 (a redirect) without a Location header');
  });

  it('gives up on a redirect loop within the API after 3 hops', async () => {
    const httpGet = jest.fn(async (url: string) => ({
      status: 302,
      body: '',
      location: url.endsWith('/a') ? '/prod/b' : '/prod/a',
    }));
    const report = await runStageHealthCheck(testContext({ httpGet }));
    expect(failed(report)[0].detail).toMatch(
      /redirected 3 times \(last to https:\/\/api\.example\.com\/prod\/[ab]\); not followed further/,
    );
  });

  it('fails on a redirect to another path prefix of the same host (another API)', async () => {
    const report = await runStageHealthCheck(
      testContext({ httpGet: async () => ({ status: 301, body: '', location: '/other/health' }) }),
    );
    expect(failed(report)[0].detail).toContain(
      'redirecting to https://api.example.com/other/health, which is not the same API',
    );
  });

  it('fails when a dependency entry lacks its detail', async () => {
    const body = JSON.stringify({ status: 'ok', stage: 'staging', dependencies: [{ name: 'table:users', ok: true }] });
    const report = await runStageHealthCheck(testContext({ httpGet: async () => ({ status: 200, body }) }));
    expect(failed(report)[0].detail).toContain('dependencies[0] (table:users).detail is not a string');
  });

  it('fails, not passes, when DescribeKey answers without a key state', async () => {
    mocks.kms.on(DescribeKeyCommand, { KeyId: KEY_ARN('2222') }).resolves({ KeyMetadata: { KeyId: 'x' } });
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({ name: 'keys', detail: `DescribeKey ${KEY_ARN('2222')} returned no key state` }),
    ]);
  });

  it('fails when the critical topic output is missing, since critical alarms cannot be told apart', async () => {
    const rest = Object.fromEntries(
      Object.entries(STACK_OUTPUTS['Staging-Service']).filter(([key]) => key !== 'CriticalAlertsTopicArn'),
    );
    mocks.cfn.on(DescribeStacksCommand, { StackName: 'Staging-Service' }).resolves({
      Stacks: [
        {
          StackName: 'Staging-Service',
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: Object.entries(rest).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    });
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({
        name: 'alarms',
        detail: expect.stringContaining('output CriticalAlertsTopicArn not found'),
      }),
    ]);
  });

  it.each([
    [
      'ECONNREFUSED',
      { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.1:443' },
      'connection refused (connect ECONNREFUSED 10.0.0.1:443)',
    ],
    [
      'ENOTFOUND',
      { code: 'ENOTFOUND', hostname: 'api.example.com', message: 'getaddrinfo ENOTFOUND api.example.com' },
      'DNS lookup failed for api.example.com (ENOTFOUND)',
    ],
    [
      'a TLS error',
      { code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' },
      'TLS failed: CERT_HAS_EXPIRED (certificate has expired)',
    ],
  ])('reports the cause of a network error (%s), not "fetch failed"', async (_label, cause, expected) => {
    const httpGet = jest.fn(async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(cause.message), cause) });
    });
    const report = await runStageHealthCheck(testContext({ httpGet }));
    expect(failed(report)[0].detail).toContain(expected);
    expect(failed(report)[0].detail).not.toContain('fetch failed');
  });

  it('fails when the HealthUrl output is missing, naming the output', async () => {
    mocks.cfn.on(DescribeStacksCommand, { StackName: 'Staging-Service' }).resolves({
      Stacks: [{ StackName: 'Staging-Service', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(), Outputs: [] }],
    });
    const report = await runStageHealthCheck(testContext());
    expect(failed(report).map((o) => o.detail)).toContain(
      `output HealthUrl not found in stacks ${PARAMS.stackNames.join(', ')}`,
    );
  });

  it('fails when a table is not ACTIVE', async () => {
    mocks.ddb
      .on(DescribeTableCommand, { TableName: TABLES[2] })
      .resolves({ Table: { TableName: TABLES[2], TableStatus: 'UPDATING' } });
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({ name: `table ${TABLES[2]}`, detail: 'is UPDATING, expected ACTIVE' }),
    ]);
  });

  it('fails when DynamoDB keeps throttling after bounded retries', async () => {
    mocks.ddb.on(DescribeTableCommand, { TableName: TABLES[0] }).rejects(awsError('ThrottlingException', 400));
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)[0].detail).toMatch(/ThrottlingException.*still failing after 3 attempts/);
    expect(mocks.ddb.commandCalls(DescribeTableCommand, { TableName: TABLES[0] })).toHaveLength(3);
  });

  it('fails when the check role is denied a call, saying so', async () => {
    mocks.cognito.on(DescribeUserPoolCommand).rejects(awsError('AccessDeniedException', 400));
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({ name: 'user-pool', detail: expect.stringContaining('access denied') }),
    ]);
  });

  it('fails when an AWS call times out', async () => {
    mocks.cognito.on(DescribeUserPoolCommand).callsFake(() => new Promise(() => undefined));
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)[0].detail).toBe('DescribeUserPool eu-west-2_example timed out after 500 ms');
  });

  it('fails when a critical alarm of the stage (one notifying the critical topic) is in ALARM', async () => {
    mocks.cw
      .on(DescribeAlarmsCommand, { StateValue: 'ALARM' })
      .resolves({ MetricAlarms: [{ AlarmName: 'api-5xx', StateValue: 'ALARM', AlarmActions: [CRITICAL_TOPIC_ARN] }] });
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({ name: 'alarms', detail: 'critical alarms in ALARM: api-5xx' }),
    ]);
  });

  it('fails when the stage-unhealthy composite alarm is in ALARM', async () => {
    const name = STACK_OUTPUTS['Staging-Service'].StageUnhealthyAlarmName;
    mocks.cw
      .on(DescribeAlarmsCommand, { StateValue: 'ALARM' })
      .resolves({ CompositeAlarms: [{ AlarmName: name, StateValue: 'ALARM' }] });
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({ name: 'alarms', detail: `critical alarms in ALARM: ${name}` }),
    ]);
  });

  it('fails when the stage-unhealthy composite alarm is INSUFFICIENT_DATA (never evaluated), saying so', async () => {
    // GIVEN the composite alarm as CloudWatch leaves it between its creation and its first evaluation
    const name = STACK_OUTPUTS['Staging-Service'].StageUnhealthyAlarmName;
    mocks.cw
      .on(DescribeAlarmsCommand, { AlarmNames: [name] })
      .resolves({ CompositeAlarms: [{ AlarmName: name, StateValue: 'INSUFFICIENT_DATA' }] });
    const report = await runStageHealthCheck(testContext());
    expect(report.passed).toBe(false);
    expect(failed(report)).toEqual([
      expect.objectContaining({
        name: 'alarms',
        detail: `${name} is INSUFFICIENT_DATA: it has not been evaluated since it was created, so it cannot show the stage healthy`,
      }),
    ]);
  });

  it('passes a new stage whose critical alarms have no data yet, naming them as not proved', async () => {
    mocks.cw.on(DescribeAlarmsCommand, { StateValue: 'INSUFFICIENT_DATA' }).resolves({
      MetricAlarms: [
        { AlarmName: 'api-5xx', StateValue: 'INSUFFICIENT_DATA', AlarmActions: [CRITICAL_TOPIC_ARN] },
        { AlarmName: 'api-latency-p99', StateValue: 'INSUFFICIENT_DATA', AlarmActions: [WARNING_TOPIC_ARN] },
      ],
    });
    const report = await runStageHealthCheck(testContext());
    expect(report.passed).toBe(true);
    expect(report.outcomes.filter((o) => o.status === 'warn')).toEqual([
      {
        name: 'alarms without data',
        status: 'warn',
        detail: 'critical alarms in INSUFFICIENT_DATA (no data yet), not proving the stage healthy: api-5xx',
      },
    ]);
  });

  it('fails, saying what was not read, when DescribeAlarms is denied on its second page', async () => {
    // GIVEN a first page of alarms in ALARM that are not critical, and AccessDenied for the page after it
    mocks.cw.on(DescribeAlarmsCommand, { StateValue: 'ALARM' }).callsFake((input: { NextToken?: string }) => {
      if (input.NextToken === 'page-2') throw awsError('AccessDenied', 403);
      return { MetricAlarms: [{ AlarmName: 'someone-elses-alarm', StateValue: 'ALARM' }], NextToken: 'page-2' };
    });
    const report = await runStageHealthCheck(testContext());
    expect(report.passed).toBe(false);
    expect(failed(report)).toEqual([
      expect.objectContaining({
        name: 'alarms',
        detail: expect.stringMatching(
          /^could not finish reading the alarms in ALARM: DescribeAlarms \(ALARM, page 2\) failed: access denied .*; 1 read on 1 pages before it, the alarms on later pages were not checked$/,
        ),
      }),
    ]);
  });

  it('fails rather than passing on a partial read when the alarms run past the page limit', async () => {
    let page = 0;
    mocks.cw.on(DescribeAlarmsCommand, { StateValue: 'ALARM' }).callsFake(() => ({
      MetricAlarms: [{ AlarmName: `foreign-${++page}`, StateValue: 'ALARM' }],
      NextToken: `after-${page}`,
    }));
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)[0]).toMatchObject({
      name: 'alarms',
      detail: `could not finish reading the alarms in ALARM: more than ${MAX_ALARM_PAGES} pages (${MAX_ALARM_PAGES} alarms read); the alarms on later pages were not checked`,
    });
  });

  it('fails when the stage-unhealthy alarm cannot be found, naming the permission CloudWatch needs for composites', async () => {
    mocks.cw
      .on(DescribeAlarmsCommand, { AlarmNames: [STACK_OUTPUTS['Staging-Service'].StageUnhealthyAlarmName] })
      .resolves({
        MetricAlarms: [],
        CompositeAlarms: [],
      });
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)[0].detail).toContain('does not exist in eu-west-2');
    expect(failed(report)[0].detail).toContain('cloudwatch:DescribeAlarms is not granted on *');
  });

  it('passes, listing them as warnings, when only warning-level or foreign alarms are in ALARM', async () => {
    mocks.cw.on(DescribeAlarmsCommand, { StateValue: 'ALARM' }).resolves({
      MetricAlarms: [
        { AlarmName: 'api-latency-p99', StateValue: 'ALARM', AlarmActions: [WARNING_TOPIC_ARN] },
        { AlarmName: 'someone-elses-alarm', StateValue: 'ALARM' },
      ],
    });
    const report = await runStageHealthCheck(testContext());
    expect(report.passed).toBe(true);
    expect(report.outcomes.filter((o) => o.status === 'warn')).toEqual([
      {
        name: 'warning alarms',
        status: 'warn',
        detail: 'in ALARM but not critical (not failing the check): api-latency-p99, someone-elses-alarm',
      },
    ]);
  });

  it('fails naming the key and its state when the data key is disabled', async () => {
    const arn = KEY_ARN('1111');
    mocks.kms.on(DescribeKeyCommand, { KeyId: arn }).resolves({ KeyMetadata: { KeyId: arn, KeyState: 'Disabled' } });
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)).toEqual([
      {
        name: 'key data key',
        status: 'fail',
        detail: `${arn} is Disabled, expected Enabled: what it encrypts cannot be read`,
      },
    ]);
  });

  it('checks the data, log and backup keys', async () => {
    const report = await runStageHealthCheck(testContext());
    expect(report.outcomes.filter((o) => o.name.startsWith('key ')).map((o) => o.name)).toEqual([
      'key data key',
      'key log key',
      'key backup vault key',
      'key DR vault key',
    ]);
  });

  it('fails when a secret is scheduled for deletion', async () => {
    mocks.secrets
      .on(DescribeSecretCommand, { SecretId: 'uk-home-improvement/claude' })
      .resolves({ DeletedDate: new Date('2026-05-30T00:00:00Z') });
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)[0]).toMatchObject({ name: 'secret uk-home-improvement/claude' });
  });
});

describe('Reading the /health body', () => {
  const CONTRACT = '(not the health endpoint contract {status, stage, dependencies: [{name, ok, detail}]})';
  const DEP = '[{"name":"table:users","ok":true,"detail":"ACTIVE"}]';
  const EXPECTED = { stage: 'staging', region: 'eu-west-2' };
  it.each([
    [`{"status":"ok","stage":"staging","dependencies":${DEP}}`, undefined],
    [`{"status":"ok","stage":"staging","region":"eu-west-2","dependencies":${DEP}}`, undefined],
    ['{"status":"ok","stage":"staging"}', `there is no dependencies list: nothing was checked ${CONTRACT}`],
    ['{"status":"ok","stage":"staging","dependencies":[]}', 'the dependencies list is empty: nothing was checked'],
    [`{"status":"ok","dependencies":${DEP}}`, `stage is missing, expected "staging" ${CONTRACT}`],
    [`{"status":"ok","stage":"prod","dependencies":${DEP}}`, 'expected stage staging, got prod'],
    [
      `{"status":"ok","stage":"staging","region":"us-east-1","dependencies":${DEP}}`,
      'expected region eu-west-2, got us-east-1 (stage staging)',
    ],
    [
      '{"status":"healthy","stage":"staging","dependencies":[{"name":"db","ok":true,"detail":"x"}]}',
      `status is "healthy", expected "ok" ${CONTRACT}`,
    ],
    ['{"status":"ok","stage":"staging","dependencies":{"db":"ok"}}', `dependencies is not a list ${CONTRACT}`],
    [
      '{"status":"ok","stage":"staging","dependencies":[{"name":"db","status":"ok"}]}',
      `dependencies[0] (db).ok is not true or false ${CONTRACT}`,
    ],
    [
      '{"status":"unhealthy","stage":"staging","dependencies":[{"name":"db","ok":true,"detail":"x"}]}',
      'status "unhealthy"',
    ],
    ['not json', 'the body is not JSON: not json'],
    ['[1]', 'the body is not a JSON object'],
  ])('reads %s as %s', (body, expected) => {
    expect(healthBodyProblem(body, EXPECTED)?.message).toBe(expected);
  });
});

describe('Parts of the stage health check', () => {
  const stack = (name: string, status: string, statusReason?: string) => ({ name, status, statusReason, outputs: {} });

  it('passes complete stacks, listing each with its status', () => {
    expect(stacksComplete([stack('A', 'CREATE_COMPLETE'), stack('B', 'IMPORT_COMPLETE')])).toEqual({
      name: 'stacks',
      status: 'pass',
      detail: '2 stacks complete: A CREATE_COMPLETE, B IMPORT_COMPLETE',
    });
  });

  it('fails every stack not complete, with the first 80 characters of its reason', () => {
    const reason = `Resource handler returned message: ${'r'.repeat(100)}`;
    expect(
      stacksComplete([
        stack('A', 'UPDATE_COMPLETE'),
        stack('B', 'UPDATE_IN_PROGRESS'),
        stack('C', 'ROLLBACK_COMPLETE', reason),
      ]),
    ).toEqual({
      name: 'stacks',
      status: 'fail',
      detail: `B is UPDATE_IN_PROGRESS, C is ROLLBACK_COMPLETE (${reason.slice(0, 80)})`,
    });
  });

  it('waits longer before each new attempt at /health, as many times as asked', async () => {
    const sleeps: number[] = [];
    const httpGet = jest.fn(async () => ({ status: 503, body: '' }));
    const ctx = { ...testContext({ httpGet }), callOptions: { sleep: async (ms: number) => void sleeps.push(ms) } };
    const outcome = await healthEndpoint(ctx, 'https://api.example.com/prod/health', { attempts: 4, delayMs: 100 });
    expect(httpGet).toHaveBeenCalledTimes(4);
    expect(sleeps).toEqual([100, 200, 300]);
    expect(outcome).toEqual({
      name: 'health-endpoint',
      status: 'fail',
      detail: 'https://api.example.com/prod/health answered HTTP 503 (after 4 attempts)',
    });
  });

  it('waits 500 ms, then 1 s, between the 3 attempts at /health by default, each with 3 s to answer', async () => {
    const sleeps: number[] = [];
    const httpGet = jest.fn(async () => ({ status: 502, body: '' }));
    const ctx = { ...testContext({ httpGet }), callOptions: { sleep: async (ms: number) => void sleeps.push(ms) } };
    await healthEndpoint(ctx, 'https://api.example.com/prod/health');
    expect(sleeps).toEqual([500, 1000]);
    expect(httpGet.mock.calls.map((c) => (c as unknown[])[1])).toEqual([3000, 3000, 3000]);
  });

  it('passes /health on the first answer, without waiting, naming the stage', async () => {
    const sleep = jest.fn();
    const ctx = { ...testContext(), callOptions: { sleep } };
    expect(await healthEndpoint(ctx, 'https://api.example.com/prod/health')).toEqual({
      name: 'health-endpoint',
      status: 'pass',
      detail: 'https://api.example.com/prod/health answered 200 for stage staging with all dependencies OK',
    });
    expect(sleep).not.toHaveBeenCalled();
  });

  it('says /health reports itself unhealthy', async () => {
    const body = JSON.stringify({ ...JSON.parse(HEALTHY_BODY), status: 'unhealthy' });
    const outcome = await healthEndpoint(
      testContext({ httpGet: async () => ({ status: 200, body }) }),
      'https://api.example.com/prod/health',
      { attempts: 1 },
    );
    expect(outcome.detail).toBe(
      `https://api.example.com/prod/health answered 200 but reports ${healthBodyProblem(body, { stage: 'staging', region: 'eu-west-2' })!.message} (after 1 attempts)`,
    );
  });

  it.each([199, 299, 400, 404])('fails /health answering HTTP %i without following anything', async (status) => {
    const httpGet = jest.fn(async () => ({ status, body: '', location: '/prod/health/' }));
    const outcome = await healthEndpoint(testContext({ httpGet }), 'https://api.example.com/prod/health', {
      attempts: 1,
    });
    expect(outcome.detail).toBe(`https://api.example.com/prod/health answered HTTP ${status} (after 1 attempts)`);
    expect(httpGet).toHaveBeenCalledTimes(1);
  });

  it('follows two redirects within the API, and gives up at the third', async () => {
    const chain = (last: string) =>
      jest.fn(async (url: string) => {
        const next: Record<string, string> = { health: '/prod/a', a: '/prod/b', b: '/prod/c' };
        const here = url.split('/').pop()!;
        return here === last ? { status: 200, body: HEALTHY_BODY } : { status: 302, body: '', location: next[here] };
      });
    const twice = chain('b');
    const passed = await healthEndpoint(testContext({ httpGet: twice }), 'https://api.example.com/prod/health', {
      attempts: 1,
    });
    expect(passed.status).toBe('pass');
    expect(passed.detail).toContain(
      '(redirected to https://api.example.com/prod/a then https://api.example.com/prod/b)',
    );
    const thrice = chain('c');
    const failedOutcome = await healthEndpoint(
      testContext({ httpGet: thrice }),
      'https://api.example.com/prod/health',
      {
        attempts: 1,
      },
    );
    expect(failedOutcome.detail).toBe(
      'https://api.example.com/prod/health redirected 3 times (last to https://api.example.com/prod/c); not followed further (after 1 attempts)',
    );
    expect(thrice).toHaveBeenCalledTimes(3);
  });

  it('fails a stage that asks for termination protection when a stack has it off, and only then', async () => {
    mocks.cfn.on(DescribeStacksCommand, { StackName: 'Staging-Backup' }).resolves({
      Stacks: [
        {
          StackName: 'Staging-Backup',
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(),
          EnableTerminationProtection: false,
          Outputs: Object.entries(STACK_OUTPUTS['Staging-Backup']).map(([OutputKey, OutputValue]) => ({
            OutputKey,
            OutputValue,
          })),
        },
      ],
    });
    const asked = await runStageHealthCheck(testContext({ params: { terminationProtection: true } }));
    expect(failed(asked).map((o) => o.name)).toEqual(['termination-protection']);
    const notAsked = await runStageHealthCheck(testContext());
    expect(notAsked.outcomes.map((o) => o.name)).not.toContain('termination-protection');
  });

  it('fails with the one reason when the stacks cannot be read', async () => {
    mocks.cfn.on(DescribeStacksCommand, { StackName: 'Staging-Backup' }).rejects(
      Object.assign(new Error('Stack with id Staging-Backup does not exist'), {
        name: 'ValidationError',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const report = await runStageHealthCheck(testContext());
    expect(report).toMatchObject({
      check: 'health',
      stage: 'staging',
      passed: false,
      outcomes: [{ name: 'stacks', status: 'fail', detail: 'stack Staging-Backup does not exist in eu-west-2' }],
    });
  });

  it('fails a table whose description has no status, a missing user pool and a state machine not ACTIVE', async () => {
    mocks.ddb.on(DescribeTableCommand, { TableName: TABLES[1] }).resolves({ Table: { TableName: TABLES[1] } });
    mocks.cognito.on(DescribeUserPoolCommand).resolves({});
    mocks.sfn.on(DescribeStateMachineCommand).resolves({ status: 'DELETING' } as never);
    const report = await runStageHealthCheck(testContext());
    const arn = STACK_OUTPUTS['Staging-Service'].StateMachineArn;
    expect(failed(report)).toEqual(
      expect.arrayContaining([
        {
          name: `table ${OUTPUTS.projectsTableName}`,
          status: 'fail',
          detail: `DescribeTable ${TABLES[1]} returned no status`,
        },
        { name: 'user-pool', status: 'fail', detail: 'DescribeUserPool eu-west-2_example returned no user pool' },
        { name: 'state-machine', status: 'fail', detail: `${arn} is DELETING` },
      ]),
    );
    expect(failed(report)).toHaveLength(3);
  });

  it('waits 500 ms on the real clock between attempts at /health when the context brings no sleep', async () => {
    const clock = FakeTimers.install({ now: 0 });
    try {
      const httpGet = jest
        .fn()
        .mockResolvedValueOnce({ status: 503, body: '' })
        .mockResolvedValue({ status: 200, body: HEALTHY_BODY });
      const ctx = { ...testContext({ httpGet }), callOptions: undefined };
      const done = healthEndpoint(ctx, 'https://api.example.com/prod/health', { attempts: 2 });
      await clock.tickAsync(499);
      expect(httpGet).toHaveBeenCalledTimes(1);
      await clock.tickAsync(1);
      expect(httpGet).toHaveBeenCalledTimes(2);
      expect((await done).status).toBe('pass');
    } finally {
      clock.uninstall();
    }
  });

  it('fails /health, without a request, when asked for no attempts', async () => {
    const httpGet = jest.fn(async () => ({ status: 200, body: HEALTHY_BODY }));
    const outcome = await healthEndpoint(testContext({ httpGet }), 'https://api.example.com/prod/health', {
      attempts: 0,
    });
    expect(outcome.status).toBe('fail');
    expect(outcome.detail).toMatch(/^https:\/\/api\.example\.com\/prod\/health\s+\(after 0 attempts\)$/);
    expect(httpGet).not.toHaveBeenCalled();
  });

  it('logs each failed attempt at /health with its number, the URL and the problem', async () => {
    const lines: LogLines = [];
    const httpGet = jest.fn(async () => ({ status: 503, body: '' }));
    await healthEndpoint(testContext({ httpGet, lines }), 'https://api.example.com/prod/health', { attempts: 2 });
    expect(lines.filter((l) => l.level === 'warn')).toEqual(
      [1, 2].map((attempt) =>
        expect.objectContaining({
          message: 'health endpoint attempt failed',
          attempt,
          url: 'https://api.example.com/prod/health',
          problem: 'answered HTTP 503',
        }),
      ),
    );
  });

  it('does not follow a redirect to another host, even under the same path', async () => {
    const httpGet = jest.fn(async () => ({ status: 301, body: '', location: 'https://api.example.org/prod/health/' }));
    const outcome = await healthEndpoint(testContext({ httpGet }), 'https://api.example.com/prod/health', {
      attempts: 1,
    });
    expect(outcome).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('redirecting to https://api.example.org/prod/health/, which is not the same API'),
    });
    expect(httpGet).toHaveBeenCalledTimes(1);
  });

  it('follows a 300 answer with a Location within the API, as any redirect', async () => {
    const httpGet = jest.fn(async (url: string) =>
      url.endsWith('/health')
        ? { status: 300, body: '', location: '/prod/health/' }
        : { status: 200, body: HEALTHY_BODY },
    );
    const outcome = await healthEndpoint(testContext({ httpGet }), 'https://api.example.com/prod/health', {
      attempts: 1,
    });
    expect(outcome).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('(redirected to https://api.example.com/prod/health/)'),
    });
  });

  it('says what in a 200 answer breaks the contract, without saying it reports it', async () => {
    const body = JSON.stringify({ status: 'ok', stage: 'staging', dependencies: [] });
    const outcome = await healthEndpoint(
      testContext({ httpGet: async () => ({ status: 200, body }) }),
      'https://api.example.com/prod/health',
      { attempts: 1 },
    );
    expect(outcome.detail).toBe(
      'https://api.example.com/prod/health answered 200 but the dependencies list is empty: nothing was checked (after 1 attempts)',
    );
  });

  it('names every stack with termination protection off', () => {
    const stack = (name: string, terminationProtection?: boolean) => ({
      name,
      status: 'UPDATE_COMPLETE',
      terminationProtection,
      outputs: {},
    });
    expect(terminationProtected([stack('A', false), stack('B', true), stack('C')])).toEqual({
      name: 'termination-protection',
      status: 'fail',
      detail: "termination protection is off on A, C; the stage's config asks for it",
    });
  });

  it('says how long it took when the stacks cannot be read', async () => {
    mocks.cfn
      .on(DescribeStacksCommand, { StackName: 'Staging-Backup' })
      .rejects(awsError('ValidationError', 400, 'Stack with id Staging-Backup does not exist'));
    const before = Date.now();
    const report = await runStageHealthCheck(testContext());
    expect(report.durationMs).toBeGreaterThanOrEqual(0);
    expect(report.durationMs).toBeLessThanOrEqual(Date.now() - before);
  });

  it('names the table when DescribeTable fails', async () => {
    // A missing table: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html#API_DescribeTable_Errors
    mocks.ddb
      .on(DescribeTableCommand, { TableName: TABLES[1] })
      .rejects(
        awsError('ResourceNotFoundException', 400, `Requested resource not found: Table: ${TABLES[1]} not found`),
      );
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)).toEqual([
      {
        name: `table ${OUTPUTS.projectsTableName}`,
        status: 'fail',
        detail: `DescribeTable ${TABLES[1]} failed: ResourceNotFoundException: Requested resource not found: Table: ${TABLES[1]} not found`,
      },
    ]);
  });

  it('fails a table whose description has no table', async () => {
    mocks.ddb.on(DescribeTableCommand, { TableName: TABLES[3] }).resolves({});
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({
        name: `table ${OUTPUTS.contractsTableName}`,
        detail: `DescribeTable ${TABLES[3]} returned no status`,
      }),
    ]);
  });

  it('names the call when DescribeStateMachine fails', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeStateMachine.html#API_DescribeStateMachine_Errors
    mocks.sfn
      .on(DescribeStateMachineCommand)
      .rejects(awsError('StateMachineDoesNotExist', 400, 'State Machine Does Not Exist'));
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({
        name: 'state-machine',
        detail: 'DescribeStateMachine failed: StateMachineDoesNotExist: State Machine Does Not Exist',
      }),
    ]);
  });

  it('names the secret when DescribeSecret fails', async () => {
    // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html#API_DescribeSecret_Errors
    mocks.secrets
      .on(DescribeSecretCommand, { SecretId: 'uk-home-improvement/claude' })
      .rejects(awsError('ResourceNotFoundException', 400, "Secrets Manager can't find the specified secret."));
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)).toEqual([
      expect.objectContaining({
        name: 'secret uk-home-improvement/claude',
        detail:
          "DescribeSecret uk-home-improvement/claude failed: ResourceNotFoundException: Secrets Manager can't find the specified secret.",
      }),
    ]);
  });

  it('describes the user pool and the state machine named by the stage outputs', async () => {
    await runStageHealthCheck(testContext());
    expect(mocks.cognito).toHaveReceivedCommandWith(DescribeUserPoolCommand, { UserPoolId: 'eu-west-2_example' });
    expect(mocks.sfn).toHaveReceivedCommandWith(DescribeStateMachineCommand, {
      stateMachineArn: STACK_OUTPUTS['Staging-Service'].StateMachineArn,
    });
  });

  it('fails a state machine described without a status', async () => {
    mocks.sfn.on(DescribeStateMachineCommand).resolves({});
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)).toEqual([
      {
        name: 'state-machine',
        status: 'fail',
        detail: `DescribeStateMachine ${STACK_OUTPUTS['Staging-Service'].StateMachineArn} returned no status`,
      },
    ]);
  });

  it('names what passed: tables ACTIVE, the user pool, the state machine and each secret', async () => {
    const report = await runStageHealthCheck(testContext());
    expect(report.outcomes).toEqual(
      expect.arrayContaining([
        { name: `table ${TABLES[0]}`, status: 'pass', detail: 'ACTIVE' },
        { name: 'user-pool', status: 'pass', detail: 'eu-west-2_example present' },
        { name: 'state-machine', status: 'pass', detail: 'ai-workflow ACTIVE' },
        { name: 'secret uk-home-improvement/stripe', status: 'pass', detail: 'present' },
      ]),
    );
    expect(mocks.secrets).toHaveReceivedCommandWith(DescribeSecretCommand, { SecretId: 'uk-home-improvement/stripe' });
  });

  it('names the deletion date of a secret scheduled for deletion', async () => {
    mocks.secrets
      .on(DescribeSecretCommand, { SecretId: 'uk-home-improvement/claude' })
      .resolves({ DeletedDate: new Date('2026-05-30T00:00:00Z') });
    const report = await runStageHealthCheck(testContext());
    expect(failed(report)).toEqual([
      {
        name: 'secret uk-home-improvement/claude',
        status: 'fail',
        detail: 'scheduled for deletion on 2026-05-30T00:00:00.000Z',
      },
    ]);
  });
});

describe('The AWS calls of the stage health check', () => {
  let mocks: StageMocks;
  beforeEach(() => {
    mocks = mockHealthyStage();
  });
  afterEach(() => mocks.restore());

  it('each carry the signal that cancels them when their attempt times out', async () => {
    await runStageHealthCheck(testContext());
    const calls: unknown[][] = [mocks.cfn, mocks.ddb, mocks.cognito, mocks.sfn, mocks.secrets, mocks.cw].flatMap(
      (m: { calls(): { args: unknown[] }[] }) => m.calls().map((c) => c.args),
    );
    expect(calls.length).toBeGreaterThan(10);
    for (const args of calls) expect(args[1]).toEqual({ abortSignal: expect.any(AbortSignal) });
  });
});
