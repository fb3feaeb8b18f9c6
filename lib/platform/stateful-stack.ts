import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { OUTPUTS } from '../../contracts/output-names';
import { PLATFORM_PREFIX, resourceNames } from '../../contracts/resource-names';
import { DataKey } from './data/data-key';
import type { PlatformTableSet } from './data/platform-tables';
import { PlatformTables } from './data/platform-tables';
import { PlatformUserPool } from './identity/platform-user-pool';
import { PlaceholderSecret } from './secrets/placeholder-secret';
import { SECRET_SHAPES } from './secrets/secret-shapes';
import { FileStorageBucket } from './storage/file-storage-bucket';

/** Props of {@link StatefulStack}. */
export interface StatefulStackProps extends StackProps {
  /** The stage this stack belongs to. */
  readonly stage: StageConfig;
}

/** Services through which the data key may be used (see {@link DataKey}). */
export const DATA_KEY_SERVICES = ['dynamodb', 's3', 'secretsmanager', 'backup'] as const;

/**
 * Everything that holds data: keys, tables, buckets, secrets, the user pool.
 * Kept apart from code so that a code change never touches data. With `retainData`
 * every stateful resource is retained on stack deletion or replacement and tables and the user
 * pool are deletion-protected; without it (dev) they are destroyed with the stack.
 *
 * Construct ids are pinned by test/platform/stateful-stack.test.ts: changing one replaces data.
 */
export class StatefulStack extends Stack {
  /** Customer-managed key that encrypts the stage's data. */
  readonly dataKey: kms.Key;
  /** The platform tables. */
  readonly tables: PlatformTableSet;
  /** File storage bucket. */
  readonly fileBucket: s3.Bucket;
  /** Cognito user pool. */
  readonly userPool: cognito.UserPool;
  /** Web app client of the user pool (no secret). */
  readonly userPoolClient: cognito.UserPoolClient;
  /** Third-party credentials, by vendor. */
  readonly secrets: {
    readonly stripe: secretsmanager.Secret;
    readonly docusign: secretsmanager.Secret;
    readonly claude: secretsmanager.Secret;
  };

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const { name } = stage;
    const retain = stage.retainData;
    const removalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.dataKey = new DataKey(this, 'DataKey', {
      description: `UK Home Improvement ${name} data key (tables, files, secrets)`,
      aliasName: `alias/${PLATFORM_PREFIX}-${name}-data`,
      viaServices: DATA_KEY_SERVICES,
      removalPolicy,
    }).key;

    this.tables = new PlatformTables(this, 'Tables', {
      names: resourceNames(name).tables,
      key: this.dataKey,
      billingMode: stage.tableBillingMode,
      removalPolicy,
      deletionProtection: retain,
    }).tables;

    this.fileBucket = new FileStorageBucket(this, 'FileStorage', {
      key: this.dataKey,
      removalPolicy,
      accessLogRetentionDays: props.stage.logRetentionDays,
    }).bucket;

    const identity = new PlatformUserPool(this, 'UserPool', {
      mfa: stage.mfa,
      // Threat protection needs Cognito's Plus plan; stages that pay for request protection
      // at the edge (WAF) also get it at sign-in.
      threatProtection: stage.threatProtection,
      removalPolicy,
      deletionProtection: retain,
      sesEmail: stage.email.ses,
    });
    this.userPool = identity.userPool;
    this.userPoolClient = identity.webClient;

    const secret = (secretId: string, shape: keyof typeof SECRET_SHAPES) =>
      new PlaceholderSecret(this, secretId, { shape: SECRET_SHAPES[shape], key: this.dataKey, removalPolicy }).secret;
    this.secrets = {
      stripe: secret('StripeSecret', 'stripe'),
      docusign: secret('DocuSignSecret', 'docusign'),
      claude: secret('ClaudeSecret', 'claude'),
    };

    new CfnOutput(this, OUTPUTS.userPoolId, { value: this.userPool.userPoolId });
    new CfnOutput(this, OUTPUTS.userPoolClientId, { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, OUTPUTS.fileStorageBucketName, { value: this.fileBucket.bucketName });
    new CfnOutput(this, OUTPUTS.usersTableName, { value: this.tables.users.tableName });
    new CfnOutput(this, OUTPUTS.projectsTableName, { value: this.tables.projects.tableName });
    new CfnOutput(this, OUTPUTS.quotesTableName, { value: this.tables.quotes.tableName });
    new CfnOutput(this, OUTPUTS.contractsTableName, { value: this.tables.contracts.tableName });
    new CfnOutput(this, OUTPUTS.dataKeyArn, { value: this.dataKey.keyArn });
  }
}
