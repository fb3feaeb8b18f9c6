import { BackupClient } from '@aws-sdk/client-backup';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';

/** Static credentials, such as those of an assumed role. */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** The AWS clients the checks call, passed in so the handlers, the CLI and the tests share one implementation. */
export interface CheckClients {
  /** CloudFormation in the stage's primary region. */
  readonly cloudFormation: CloudFormationClient;
  /** CloudFormation in another region, for stacks outside the primary region (edge, DR vault). */
  cloudFormationIn(region: string): CloudFormationClient;
  readonly dynamoDb: DynamoDBClient;
  readonly cognito: CognitoIdentityProviderClient;
  readonly stepFunctions: SFNClient;
  readonly secrets: SecretsManagerClient;
  readonly cloudWatch: CloudWatchClient;
  readonly kms: KMSClient;
  /** KMS in another region (the DR vault's key), by region. */
  kmsIn(region: string): KMSClient;
  readonly s3: S3Client;
  /** AWS Backup in the stage's primary region. */
  readonly backup: BackupClient;
  /** AWS Backup in the DR region (where the copy target vault lives). */
  readonly drBackup: BackupClient;
}

/** Where and as whom the clients call. */
export interface CheckClientOptions {
  readonly region: string;
  /** Region of the DR vault. @default the primary region */
  readonly drRegion?: string;
  /** Credentials (for example from the assumed check role). @default the default provider chain */
  readonly credentials?: StaticCredentials;
  /** Endpoint of an emulator such as moto_server. @default the AWS endpoints */
  readonly endpoint?: string;
}

/**
 * Creates the check clients. SDK retries are off (`maxAttempts: 1`): `callAws` retries
 * throttling itself, so the bound on attempts and time is in one place.
 */
export function createCheckClients(options: CheckClientOptions): CheckClients {
  const common = { credentials: options.credentials, endpoint: options.endpoint, maxAttempts: 1 };
  const primary = { ...common, region: options.region };
  const cloudFormation = new CloudFormationClient(primary);
  const byRegion = new Map<string, CloudFormationClient>([[options.region, cloudFormation]]);
  const kms = new KMSClient(primary);
  const kmsByRegion = new Map<string, KMSClient>([[options.region, kms]]);
  return {
    cloudFormation,
    cloudFormationIn(region) {
      if (!byRegion.has(region)) byRegion.set(region, new CloudFormationClient({ ...common, region }));
      return byRegion.get(region)!;
    },
    dynamoDb: new DynamoDBClient(primary),
    cognito: new CognitoIdentityProviderClient(primary),
    stepFunctions: new SFNClient(primary),
    secrets: new SecretsManagerClient(primary),
    cloudWatch: new CloudWatchClient(primary),
    kms,
    kmsIn(region) {
      if (!kmsByRegion.has(region)) kmsByRegion.set(region, new KMSClient({ ...common, region }));
      return kmsByRegion.get(region)!;
    },
    s3: new S3Client({ ...primary, forcePathStyle: options.endpoint !== undefined }),
    backup: new BackupClient(primary),
    drBackup: new BackupClient({ ...common, region: options.drRegion ?? options.region }),
  };
}
