/**
 * The real check code against moto_server (an AWS API emulator) on a free loopback port.
 * moto lacks AWS Backup selections and recovery points, so AWS Backup is mocked; everything else
 * (CloudFormation, DynamoDB, S3, KMS, Cognito, Step Functions, Secrets Manager, CloudWatch) is moto.
 */
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CognitoIdentityProviderClient, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { AwsClientStub } from 'aws-sdk-client-mock';
import { BackupClient } from '@aws-sdk/client-backup';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { OUTPUTS, resourceNames, SECRET_NAMES } from '../../lib/config';
import { createCheckClients } from '../../lambda/checks/check-clients';
import { CheckContext } from '../../lambda/checks/check-context';
import { runDrCheck } from '../../lambda/checks/dr-check';
import { fetchGet } from '../../lambda/checks/http-get';
import { runHealthCheck } from '../../lambda/checks/health-check';
import { createLogger } from '../../lambda/shared/logger';
import { CheckParameters } from '../../lambda/shared/user-parameters';
import { runCheckCommand } from '../../scripts/check-command';
import { DR_POLICY, mockBackupOf } from '../helpers/check-fixtures';
import { MOTO_CREDENTIALS, MotoServer, startMoto } from '../helpers/moto';

const REGION = 'eu-west-2';
const DR_REGION = 'eu-west-1';
const names = resourceNames('staging');
const TABLES = Object.values(names.tables);
const BUCKET = 'uk-home-improvement-staging-files';
const STACKS = {
  stateful: 'Staging-Stateful', audit: 'Staging-Audit', edgeSecurity: 'Staging-EdgeSecurity', service: 'Staging-Service', backup: 'Staging-Backup', drVault: 'Staging-DrVault',
};

let moto: MotoServer;
let healthServer: Server;
let backup: AwsClientStub<BackupClient>;
const env = { ...process.env };

function client<T>(Ctor: new (config: object) => T, region = REGION): T {
  return new Ctor({ region, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
}

function stackTemplate(outputs: Record<string, string>): string {
  return JSON.stringify({
    Resources: { Marker: { Type: 'AWS::SNS::Topic' } },
    Outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { Value: v }])),
  });
}

async function setPitr(table: string, enabled: boolean): Promise<void> {
  await client(DynamoDBClient).send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: enabled } }));
}

function context(params: CheckParameters): CheckContext {
  return {
    params,
    clients: createCheckClients({ region: REGION, drRegion: DR_REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS }),
    log: createLogger({ stage: params.stage, check: 'moto' }, () => undefined),
    httpGet: fetchGet,
    now: () => new Date(),
  };
}

const params: () => CheckParameters = () => ({
  stage: 'staging', region: REGION, stackNames: Object.values(STACKS), stackRegions: { [STACKS.drVault]: DR_REGION, [STACKS.edgeSecurity]: 'us-east-1' }, dr: DR_POLICY,
});

beforeAll(async () => {
  moto = await startMoto();
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_SESSION_TOKEN: 'testing' });
  healthServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', dependencies: { dynamodb: 'ok', cognito: 'ok', secrets: 'ok' } }));
  });
  await new Promise<void>((resolve) => healthServer.listen(0, '127.0.0.1', resolve));
  const healthUrl = `http://127.0.0.1:${(healthServer.address() as AddressInfo).port}/health`;

  const ddb = client(DynamoDBClient);
  const tableArns: string[] = [];
  for (const table of TABLES) {
    await ddb.send(new CreateTableCommand({
      TableName: table, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }));
    await setPitr(table, true);
    tableArns.push((await ddb.send(new DescribeTableCommand({ TableName: table }))).Table!.TableArn!);
  }
  const s3 = client(S3Client);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
  const kms = client(KMSClient);
  const key = await kms.send(new CreateKeyCommand({ Description: 'data key' }));
  await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyMetadata!.KeyId }));
  const pool = await client(CognitoIdentityProviderClient).send(new CreateUserPoolCommand({ PoolName: 'staging-users' }));
  const machine = await client(SFNClient).send(new CreateStateMachineCommand({
    name: 'staging-ai-workflow', roleArn: 'arn:aws:iam::123456789012:role/sfn-role',
    definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
  }));
  const secrets = client(SecretsManagerClient);
  for (const name of Object.values(SECRET_NAMES)) await secrets.send(new CreateSecretCommand({ Name: name, SecretString: '{"placeholder":"x"}' }));
  const cw = client(CloudWatchClient);
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: names.stageUnhealthyAlarm, Namespace: 'Platform', MetricName: 'Errors', Statistic: 'Sum', Period: 300,
    EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  }));
  await cw.send(new SetAlarmStateCommand({ AlarmName: names.stageUnhealthyAlarm, StateValue: 'OK', StateReason: 'seeded' }));

  const drVaultArn = `arn:aws:backup:${DR_REGION}:123456789012:backup-vault:${names.drBackupVault}`;
  const cfn = client(CloudFormationClient);
  const create = (c: CloudFormationClient, name: string, outputs: Record<string, string>) => c.send(new CreateStackCommand({ StackName: name, TemplateBody: stackTemplate(outputs) }));
  await create(cfn, STACKS.stateful, {
    [OUTPUTS.usersTableName]: names.tables.users, [OUTPUTS.projectsTableName]: names.tables.projects,
    [OUTPUTS.quotesTableName]: names.tables.quotes, [OUTPUTS.contractsTableName]: names.tables.contracts,
    [OUTPUTS.fileStorageBucketName]: BUCKET, [OUTPUTS.dataKeyArn]: key.KeyMetadata!.Arn!, [OUTPUTS.userPoolId]: pool.UserPool!.Id!,
  });
  await create(cfn, STACKS.service, {
    [OUTPUTS.healthUrl]: healthUrl, [OUTPUTS.stateMachineArn]: machine.stateMachineArn!, [OUTPUTS.stageUnhealthyAlarmName]: names.stageUnhealthyAlarm,
  });
  await create(cfn, STACKS.backup, { [OUTPUTS.backupVaultName]: names.backupVault, [OUTPUTS.backupPlanId]: 'plan-1', [OUTPUTS.restoreTestingPlanName]: 'tables-monthly' });
  await create(cfn, STACKS.audit, {});
  await create(client(CloudFormationClient, 'us-east-1'), STACKS.edgeSecurity, {});
  await create(client(CloudFormationClient, DR_REGION), STACKS.drVault, { [OUTPUTS.drBackupVaultArn]: drVaultArn });

  backup = mockBackupOf([...tableArns, `arn:aws:s3:::${BUCKET}`], new Date(), drVaultArn);
}, 120_000);

afterAll(async () => {
  backup?.restore();
  process.env = env;
  await new Promise<void>((resolve) => (healthServer ? healthServer.close(() => resolve()) : resolve()));
  await moto?.stop();
});

describe('The checks against moto_server', () => {
  it('pass the health check for a healthy stage', async () => {
    const report = await runHealthCheck(context(params()));
    expect(report.outcomes.filter((o) => o.status === 'fail')).toEqual([]);
    expect(report.passed).toBe(true);
    process.stdout.write(`moto health check: ${report.durationMs} ms, ${report.outcomes.length} items\n`);
  });

  it('pass the DR check for a DR-ready stage', async () => {
    const report = await runDrCheck(context(params()));
    expect(report.outcomes.filter((o) => o.status === 'fail')).toEqual([]);
    expect(report.passed).toBe(true);
    process.stdout.write(`moto DR check: ${report.durationMs} ms, ${report.outcomes.length} items\n`);
  });

  it('fail the DR check naming the table when PITR is disabled on it', async () => {
    await setPitr(names.tables.quotes, false);
    try {
      const report = await runDrCheck(context(params()));
      expect(report.passed).toBe(false);
      expect(report.outcomes.filter((o) => o.status === 'fail')).toEqual([
        { name: `pitr ${names.tables.quotes}`, status: 'fail', detail: `point-in-time recovery is DISABLED on table ${names.tables.quotes}` },
      ]);
    } finally {
      await setPitr(names.tables.quotes, true);
    }
  });

  it('fail the health check when the stage-unhealthy alarm fires', async () => {
    const cw = client(CloudWatchClient);
    await cw.send(new SetAlarmStateCommand({ AlarmName: names.stageUnhealthyAlarm, StateValue: 'ALARM', StateReason: 'test' }));
    try {
      const report = await runHealthCheck(context(params()));
      expect(report.outcomes.filter((o) => o.status === 'fail')).toEqual([{ name: 'alarms', status: 'fail', detail: `in ALARM: ${names.stageUnhealthyAlarm}` }]);
    } finally {
      await cw.send(new SetAlarmStateCommand({ AlarmName: names.stageUnhealthyAlarm, StateValue: 'OK', StateReason: 'test' }));
    }
  });

  it('run from the operator CLI with --endpoint-url, printing a table and exiting 0', async () => {
    const out: string[] = [];
    const code = await runCheckCommand(['health', '--stage', 'staging', '--endpoint-url', moto.endpoint], { out: (t) => out.push(t), err: (t) => out.push(t) });
    expect(out.join('\n')).toMatch(/^STATUS\s+ITEM\s+DETAIL/);
    expect(out.join('\n')).toContain('staging health check PASSED');
    expect(code).toBe(0);
  });
});
