import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { healthBodyProblem } from '../../../../contracts/health-contract';
import { runStageHealthCheck } from '../../../../lambda/pipeline/private/stage-health';
import { MAX_ALARM_PAGES } from '../../../../lambda/pipeline/private/stage-alarms';
import type { HttpResponse } from '../../../../lambda/pipeline/private/http-get';
import { CheckReport } from '../../../../lambda/pipeline/private/check-result';
import {
  CRITICAL_TOPIC_ARN,
  HEALTHY_BODY,
  KEY_ARN,
  mockHealthyStage,
  WARNING_TOPIC_ARN,
  PARAMS,
  StageMocks,
  STACK_OUTPUTS,
  TABLES,
  testContext,
} from '../../../../support/check-fixtures';

const failed = (r: CheckReport) => r.outcomes.filter((o) => o.status === 'fail');
const awsError = (name: string, status: number) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

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
