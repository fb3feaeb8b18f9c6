/**
 * The real check code against moto_server (an AWS API emulator) on a free loopback port.
 * moto lacks AWS Backup selections and recovery points, so AWS Backup is mocked; everything else
 * (CloudFormation, DynamoDB, S3, KMS, Cognito, Step Functions, Secrets Manager, CloudWatch) is moto.
 */
import { DescribeRegionSettingsCommand } from '@aws-sdk/client-backup';
import { CloudWatchClient, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  CancelKeyDeletionCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { runDrReadinessCheck } from '../../lambda/pipeline/private/dr-readiness';
import { runStageHealthCheck } from '../../lambda/pipeline/private/stage-health';
import { runCheckCommand } from '../../scripts/check-command';
import type { MotoStage } from '../../support/moto-stage';
import { DR_REGION, HEALTHY_ANSWER, MOTO_ALARMS, names, REGION, startMotoStage } from '../../support/moto-stage';
import { contextWith } from '../support/context';

let stage: MotoStage;

beforeAll(async () => {
  stage = await startMotoStage();
}, 120_000);

afterAll(async () => {
  await stage?.stop();
});

describe('The checks against moto_server', () => {
  it('pass the stage health check for a healthy stage', async () => {
    const report = await runStageHealthCheck(stage.context());
    expect(report.outcomes.filter((o) => o.status === 'fail')).toEqual([]);
    expect(report.passed).toBe(true);
    process.stdout.write(`moto health check: ${report.durationMs} ms, ${report.outcomes.length} items\n`);
  });

  it('pass the DR check for a DR-ready stage', async () => {
    const report = await runDrReadinessCheck(stage.context());
    expect(report.outcomes.filter((o) => o.status === 'fail')).toEqual([]);
    expect(report.passed).toBe(true);
    process.stdout.write(`moto DR check: ${report.durationMs} ms, ${report.outcomes.length} items\n`);
  });

  it('fail the DR check naming the table when PITR is disabled on it', async () => {
    await stage.setPitr(names.tables.quotes, false);
    try {
      const report = await runDrReadinessCheck(stage.context());
      expect(report.passed).toBe(false);
      expect(report.outcomes.filter((o) => o.status === 'fail')).toEqual([
        {
          name: `pitr ${names.tables.quotes}`,
          status: 'fail',
          detail: `point-in-time recovery is DISABLED on table ${names.tables.quotes}`,
        },
      ]);
    } finally {
      await stage.setPitr(names.tables.quotes, true);
    }
  });

  it('fail the stage health check when the stage-unhealthy alarm fires', async () => {
    const cw = stage.client(CloudWatchClient);
    await cw.send(
      new SetAlarmStateCommand({ AlarmName: names.stageUnhealthyAlarm, StateValue: 'ALARM', StateReason: 'test' }),
    );
    try {
      const report = await runStageHealthCheck(stage.context());
      expect(report.outcomes.filter((o) => o.status === 'fail')).toEqual([
        { name: 'alarms', status: 'fail', detail: `critical alarms in ALARM: ${names.stageUnhealthyAlarm}` },
      ]);
    } finally {
      await cw.send(
        new SetAlarmStateCommand({ AlarmName: names.stageUnhealthyAlarm, StateValue: 'OK', StateReason: 'test' }),
      );
    }
  });

  it('fail the stage health check on a critical alarm, and only warn on a warning alarm', async () => {
    const cw = stage.client(CloudWatchClient);
    const set = (name: string, value: 'OK' | 'ALARM') =>
      cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: value, StateReason: 'test' }));
    try {
      await set(MOTO_ALARMS.warning, 'ALARM');
      const warned = await runStageHealthCheck(stage.context());
      expect(warned.passed).toBe(true);
      expect(warned.outcomes.filter((o) => o.status === 'warn')).toEqual([
        expect.objectContaining({ name: 'warning alarms', detail: expect.stringContaining(MOTO_ALARMS.warning) }),
      ]);
      await set(MOTO_ALARMS.critical, 'ALARM');
      const failed = await runStageHealthCheck(stage.context());
      expect(failed.outcomes.filter((o) => o.status === 'fail')).toEqual([
        { name: 'alarms', status: 'fail', detail: `critical alarms in ALARM: ${MOTO_ALARMS.critical}` },
      ]);
    } finally {
      await set(MOTO_ALARMS.warning, 'OK');
      await set(MOTO_ALARMS.critical, 'OK');
    }
  });

  it.each([
    [
      'an empty dependency list',
      { status: 200, body: JSON.stringify({ status: 'ok', stage: 'staging', dependencies: [] }) },
      'the dependencies list is empty: nothing was checked',
    ],
    [
      'a body of another shape',
      { status: 200, body: JSON.stringify({ status: 'ok', stage: 'staging', dependencies: { dynamodb: 'ok' } }) },
      'dependencies is not a list',
    ],
    [
      "another stage's healthy body",
      { status: 200, body: JSON.stringify({ ...JSON.parse(HEALTHY_ANSWER.body), stage: 'prod' }) },
      'expected stage staging, got prod from URL http://127.0.0.1:',
    ],
    [
      'a redirect to another host',
      { status: 302, body: '', headers: { location: 'https://login.example.net/' } },
      'redirecting to https://login.example.net/, which is not the same API; not followed',
    ],
  ])('fail the stage health check when /health answers %s', async (_label, answer, expected) => {
    stage.setHealthAnswer(answer);
    try {
      const report = await runStageHealthCheck(stage.context(), { attempts: 1 });
      expect(report.outcomes.filter((o) => o.status === 'fail')).toEqual([
        expect.objectContaining({ name: 'health-endpoint', detail: expect.stringContaining(expected) }),
      ]);
    } finally {
      stage.setHealthAnswer(HEALTHY_ANSWER);
    }
  });

  // moto's DisableKey, ScheduleKeyDeletion and the like accept a key id only, not an ARN.
  const keyId = (arn: string) => arn.split('/').pop()!;

  it('fail both checks naming the data key when it is disabled', async () => {
    const kms = stage.client(KMSClient);
    await kms.send(new DisableKeyCommand({ KeyId: keyId(stage.keys.data) }));
    try {
      const expected = {
        name: 'key data key',
        status: 'fail',
        detail: `${stage.keys.data} is Disabled, expected Enabled: what it encrypts cannot be read`,
      };
      expect((await runStageHealthCheck(stage.context())).outcomes.filter((o) => o.status === 'fail')).toEqual([
        expected,
      ]);
      expect((await runDrReadinessCheck(stage.context())).outcomes.filter((o) => o.status === 'fail')).toEqual([
        expected,
      ]);
    } finally {
      await kms.send(new EnableKeyCommand({ KeyId: keyId(stage.keys.data) }));
    }
  });

  it('fail the DR check naming the DR vault key when it is pending deletion in the DR region', async () => {
    const kms = stage.client(KMSClient, 'eu-west-1');
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId(stage.keys.drVault), PendingWindowInDays: 7 }));
    try {
      const report = await runDrReadinessCheck(stage.context());
      expect(report.outcomes.filter((o) => o.status === 'fail')).toEqual([
        {
          name: 'key DR vault key',
          status: 'fail',
          detail: expect.stringMatching(new RegExp(`^${stage.keys.drVault} is PendingDeletion, deleted on \\d{4}-`)),
        },
      ]);
    } finally {
      await kms.send(new CancelKeyDeletionCommand({ KeyId: keyId(stage.keys.drVault) }));
      await kms.send(new EnableKeyCommand({ KeyId: keyId(stage.keys.drVault) }));
    }
  });

  it('fail the DR check, with the advanced-DynamoDB hint, when copies never reach the DR region', async () => {
    stage.backup.setRecoveryPoints('dr', []);
    stage.backup.on(DescribeRegionSettingsCommand).resolves({ ResourceTypeManagementPreference: { DynamoDB: false } });
    try {
      // The seeded stage is minutes old: without grace, a missing copy fails (with it, it is a warning).
      const params = stage.params();
      const report = await runDrReadinessCheck(
        stage.context({ ...params, dr: { ...params.dr!, newStageGraceHours: 0 } }),
      );
      const copies = report.outcomes.filter((o) => o.status === 'fail');
      expect(copies.map((o) => o.name).sort()).toEqual(
        [
          ...Object.values(names.tables).map((t) => `dr copy table ${t}`),
          'dr copy bucket uk-home-improvement-staging-files',
        ].sort(),
      );
      expect(copies.find((o) => o.name === `dr copy table ${names.tables.users}`)?.detail).toContain(
        'advanced features for DynamoDB are off',
      );
    } finally {
      stage.backup.setRecoveryPoints('dr', [
        { Status: 'AVAILABLE', CreationDate: new Date(Date.now() - 3_600_000), BackupVaultName: names.drBackupVault },
      ]);
      stage.backup.on(DescribeRegionSettingsCommand).resolves({ ResourceTypeManagementPreference: { DynamoDB: true } });
    }
  });

  it('run from the operator CLI with --endpoint-url, printing a table and exiting 0', async () => {
    const out: string[] = [];
    const code = await runCheckCommand(['health', '--stage', 'staging', '--endpoint-url', stage.moto.endpoint], {
      // The stage as the moto stage seeded it, whatever regions cdk.json sets.
      context: contextWith({ 'staging.region': REGION, 'staging.drRegion': DR_REGION }),
      out: (t) => out.push(t),
      err: (t) => out.push(t),
    });
    expect(out.join('\n')).toMatch(/^STATUS\s+ITEM\s+DETAIL/);
    expect(out.join('\n')).toContain('staging health check PASSED');
    expect(code).toBe(0);
  });
});
