/**
 * A staging stage seeded into moto_server (an AWS API emulator on a free loopback port), for the
 * integration tests and the benchmark: tables with PITR, bucket, key, user pool, state machine,
 * secrets, the stage-unhealthy alarm, every stack with its outputs, and a local /health endpoint.
 * moto lacks AWS Backup selections and recovery points, so the Backup client is mocked.
 */
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CognitoIdentityProviderClient, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import type { BucketLocationConstraint } from '@aws-sdk/client-s3';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { OUTPUTS } from '../contracts/output-names';
import { resourceNames, SECRET_NAMES } from '../contracts/resource-names';
import { createCheckClients, fetchGet } from '../lambda/pipeline/check-runner';
import type { CheckContext } from '../lambda/pipeline/check-runner';
import { createLogger } from '../lambda/shared/logger';
import type { CheckParameters } from '../contracts/check-parameters';
import type { BackupMock } from './check-fixtures';
import { DR_POLICY, HEALTHY_BODY, mockBackupOf } from './check-fixtures';
import type { MotoServer } from './moto';
import { MOTO_CREDENTIALS, startMoto } from './moto';

export const REGION = 'eu-west-2';
export const DR_REGION = 'eu-west-1';
export const names = resourceNames('staging');
export const STACKS = {
  stateful: 'Staging-Stateful',
  audit: 'Staging-Audit',
  edgeSecurity: 'Staging-EdgeSecurity',
  service: 'Staging-Service',
  backup: 'Staging-Backup',
  drVault: 'Staging-DrVault',
};

/** Seeded alarms besides the stage-unhealthy composite: one notifying the critical topic, one the warning topic. */
export const MOTO_ALARMS = { critical: 'staging-api-5xx', warning: 'staging-api-latency-p99' } as const;

/** A stage to seed: its name, regions, and the names of the stacks it has (absent: the stage has no such stack). */
export interface StageSeedSpec {
  readonly stage: string;
  readonly region: string;
  readonly drRegion: string;
  readonly stacks: Readonly<Partial<Record<keyof typeof STACKS, string>>>;
  /** URL the Service stack's health output points at. */
  readonly healthUrl: string;
}

/** What {@link seedStage} created. */
export interface SeededStage {
  readonly tableArns: readonly string[];
  readonly bucket: string;
  readonly drVaultArn: string;
  readonly keys: Readonly<Record<'data' | 'log' | 'backupVault' | 'drVault', string>>;
}

function stackTemplate(outputs: Record<string, string>): string {
  return JSON.stringify({
    Resources: { Marker: { Type: 'AWS::SNS::Topic' } },
    Outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { Value: v }])),
  });
}

/** What the stage's local /health endpoint answers. */
export interface HealthAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The health endpoint's answer when every dependency is OK. */
export const HEALTHY_ANSWER: HealthAnswer = { status: 200, body: HEALTHY_BODY };

/** A seeded stage in a running moto_server; `stop()` stops the emulator, the health endpoint and the Backup mock. */
export interface MotoStage {
  readonly moto: MotoServer;
  /** An SDK client of the emulator. */
  client<T>(Ctor: new (config: object) => T, region?: string): T;
  /** Check parameters of the seeded stage, as the pipeline would pass them. */
  params(): CheckParameters;
  /** A check context whose clients talk to the emulator. */
  context(params?: CheckParameters): CheckContext;
  /** The AWS Backup mock (moto lacks selections and recovery points). */
  readonly backup: BackupMock;
  /** ARNs of the stage's keys (data, log, backup vault, DR vault in the DR region). */
  readonly keys: Readonly<Record<'data' | 'log' | 'backupVault' | 'drVault', string>>;
  /** Changes what /health answers (`HEALTHY_ANSWER` restores it). */
  setHealthAnswer(answer: HealthAnswer): void;
  /** Turns PITR on or off on one table. */
  setPitr(table: string, enabled: boolean): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Seeds a healthy, DR-ready stage into the moto_server at `endpoint`: tables with PITR, bucket, keys, user pool,
 * state machine, secrets, alarms and every stack of `spec` with its outputs.
 */
export async function seedStage(endpoint: string, spec: StageSeedSpec): Promise<SeededStage> {
  const client = <T>(Ctor: new (config: object) => T, region = spec.region): T =>
    new Ctor({ region, endpoint, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
  const names = resourceNames(spec.stage);
  const TABLES = Object.values(names.tables);
  const BUCKET = `uk-home-improvement-${spec.stage}-files`;
  const CRITICAL_TOPIC = `arn:aws:sns:${spec.region}:123456789012:uk-home-improvement-${spec.stage}-critical`;
  const WARNING_TOPIC = `arn:aws:sns:${spec.region}:123456789012:uk-home-improvement-${spec.stage}-warning`;
  const setPitr = async (table: string) => {
    await client(DynamoDBClient).send(
      new UpdateContinuousBackupsCommand({
        TableName: table,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
  };
  const ddb = client(DynamoDBClient);
  const tableArns: string[] = [];
  for (const table of TABLES) {
    await ddb.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    await setPitr(table);
    tableArns.push((await ddb.send(new DescribeTableCommand({ TableName: table }))).Table!.TableArn!);
  }
  const s3 = client(S3Client);
  await s3.send(
    new CreateBucketCommand({
      Bucket: BUCKET,
      CreateBucketConfiguration: { LocationConstraint: spec.region as BucketLocationConstraint },
    }),
  );
  await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
  const kms = client(KMSClient);
  const key = await kms.send(new CreateKeyCommand({ Description: 'data key' }));
  await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyMetadata!.KeyId }));
  const keys = {
    data: key.KeyMetadata!.Arn!,
    log: (await kms.send(new CreateKeyCommand({ Description: 'log key' }))).KeyMetadata!.Arn!,
    backupVault: (await kms.send(new CreateKeyCommand({ Description: 'backup vault key' }))).KeyMetadata!.Arn!,
    drVault: (await client(KMSClient, spec.drRegion).send(new CreateKeyCommand({ Description: 'DR vault key' })))
      .KeyMetadata!.Arn!,
  };
  const pool = await client(CognitoIdentityProviderClient).send(
    new CreateUserPoolCommand({ PoolName: `${spec.stage}-users` }),
  );
  const machine = await client(SFNClient).send(
    new CreateStateMachineCommand({
      name: `${spec.stage}-ai-workflow`,
      roleArn: 'arn:aws:iam::123456789012:role/sfn-role',
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
    }),
  );
  const secrets = client(SecretsManagerClient);
  for (const name of Object.values(SECRET_NAMES))
    await secrets.send(new CreateSecretCommand({ Name: name, SecretString: '{"placeholder":"x"}' }));
  const cw = client(CloudWatchClient);
  await cw.send(
    new PutMetricAlarmCommand({
      AlarmName: names.stageUnhealthyAlarm,
      Namespace: 'Platform',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }),
  );
  await cw.send(
    new SetAlarmStateCommand({ AlarmName: names.stageUnhealthyAlarm, StateValue: 'OK', StateReason: 'seeded' }),
  );
  for (const [alarmName, topic] of [
    [MOTO_ALARMS.critical, CRITICAL_TOPIC],
    [MOTO_ALARMS.warning, WARNING_TOPIC],
  ]) {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: alarmName,
        Namespace: 'Platform',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Period: 300,
        AlarmActions: [topic],
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    await cw.send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: 'OK', StateReason: 'seeded' }));
  }

  const drVaultArn = `arn:aws:backup:${spec.drRegion}:123456789012:backup-vault:${names.drBackupVault}`;
  const cfn = client(CloudFormationClient);
  const create = async (c: CloudFormationClient, name: string | undefined, outputs: Record<string, string>) => {
    if (name) await c.send(new CreateStackCommand({ StackName: name, TemplateBody: stackTemplate(outputs) }));
  };
  await create(cfn, spec.stacks.stateful, {
    [OUTPUTS.usersTableName]: names.tables.users,
    [OUTPUTS.projectsTableName]: names.tables.projects,
    [OUTPUTS.quotesTableName]: names.tables.quotes,
    [OUTPUTS.contractsTableName]: names.tables.contracts,
    [OUTPUTS.fileStorageBucketName]: BUCKET,
    [OUTPUTS.dataKeyArn]: key.KeyMetadata!.Arn!,
    [OUTPUTS.userPoolId]: pool.UserPool!.Id!,
  });
  await create(cfn, spec.stacks.service, {
    [OUTPUTS.healthUrl]: spec.healthUrl,
    [OUTPUTS.stateMachineArn]: machine.stateMachineArn!,
    [OUTPUTS.stageUnhealthyAlarmName]: names.stageUnhealthyAlarm,
    [OUTPUTS.criticalAlertsTopicArn]: CRITICAL_TOPIC,
    [OUTPUTS.logKeyArn]: keys.log,
  });
  await create(cfn, spec.stacks.backup, {
    [OUTPUTS.backupVaultName]: names.backupVault,
    [OUTPUTS.backupPlanId]: 'plan-1',
    [OUTPUTS.restoreTestingPlanName]: 'tables-monthly',
    [OUTPUTS.backupVaultKeyArn]: keys.backupVault,
  });
  await create(cfn, spec.stacks.audit, {});
  await create(client(CloudFormationClient, 'us-east-1'), spec.stacks.edgeSecurity, {});
  await create(client(CloudFormationClient, spec.drRegion), spec.stacks.drVault, {
    [OUTPUTS.drBackupVaultArn]: drVaultArn,
    [OUTPUTS.drBackupVaultKeyArn]: keys.drVault,
  });

  return { tableArns, bucket: BUCKET, drVaultArn, keys };
}

/** Starts moto_server and seeds a DR-ready, healthy staging stage into it. */
export async function startMotoStage(): Promise<MotoStage> {
  const moto = await startMoto();
  const savedEnv = { ...process.env };
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: 'testing',
  });
  const client = <T>(Ctor: new (config: object) => T, region = REGION): T =>
    new Ctor({ region, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
  const setPitr = async (table: string, enabled: boolean): Promise<void> => {
    await client(DynamoDBClient).send(
      new UpdateContinuousBackupsCommand({
        TableName: table,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: enabled },
      }),
    );
  };

  let healthAnswer: HealthAnswer = HEALTHY_ANSWER;
  const healthServer = createServer((_req, res) => {
    res.writeHead(healthAnswer.status, { 'content-type': 'application/json', ...healthAnswer.headers });
    res.end(healthAnswer.body);
  });
  await new Promise<void>((resolve) => healthServer.listen(0, '127.0.0.1', resolve));
  const healthUrl = `http://127.0.0.1:${(healthServer.address() as AddressInfo).port}/health`;

  const seeded = await seedStage(moto.endpoint, {
    stage: 'staging',
    region: REGION,
    drRegion: DR_REGION,
    stacks: STACKS,
    healthUrl,
  });
  const { tableArns, keys, drVaultArn } = seeded;
  const BUCKET = seeded.bucket;

  const backup = mockBackupOf([...tableArns, `arn:aws:s3:::${BUCKET}`], new Date(), drVaultArn);

  const params = (): CheckParameters => ({
    stage: 'staging',
    region: REGION,
    stackNames: Object.values(STACKS),
    stackRegions: { [STACKS.drVault]: DR_REGION, [STACKS.edgeSecurity]: 'us-east-1' },
    dr: DR_POLICY,
  });
  return {
    moto,
    client,
    params,
    setPitr,
    keys,
    backup,
    setHealthAnswer: (answer) => {
      healthAnswer = answer;
    },
    context: (p = params()) => ({
      params: p,
      clients: createCheckClients({
        region: REGION,
        drRegion: DR_REGION,
        endpoint: moto.endpoint,
        credentials: MOTO_CREDENTIALS,
      }),
      log: createLogger({ stage: p.stage, check: 'moto' }, () => undefined),
      httpGet: fetchGet,
      now: () => new Date(),
    }),
    async stop() {
      backup.restore();
      process.env = savedEnv;
      await new Promise<void>((resolve) => healthServer.close(() => resolve()));
      await moto.stop();
    },
  };
}
