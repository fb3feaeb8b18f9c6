import { CfnOutput, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { OUTPUTS, resourceNames, SECRET_NAMES, StageConfig } from '../config';
import { PlatformTables, PlatformTableSet } from './data/platform-tables';

/** Props of {@link StatefulStack}. */
export interface StatefulStackProps extends StackProps {
  /** The stage this stack belongs to. */
  readonly stage: StageConfig;
}

/**
 * Everything that holds data: keys, tables, buckets, secrets, the user pool.
 * Kept apart from code so that a code change never touches data.
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
  /** Third-party credentials, by seed name. */
  readonly secrets: { readonly stripe: secretsmanager.Secret; readonly docusign: secretsmanager.Secret; readonly claude: secretsmanager.Secret };

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { features, name } = props.stage;
    const removalPolicy = features.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.dataKey = new kms.Key(this, 'DataKey', {
      description: `UK Home Improvement ${name} data key`,
      enableKeyRotation: true,
      removalPolicy,
    });

    this.tables = new PlatformTables(this, 'Tables', {
      names: resourceNames(name).tables,
      key: this.dataKey,
      billingMode: features.tableBillingMode,
      removalPolicy,
      deletionProtection: features.retainData,
    }).tables;

    this.fileBucket = new s3.Bucket(this, 'FileStorage', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy,
      autoDeleteObjects: !features.retainData,
    });

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      signInAliases: { email: true },
      selfSignUpEnabled: true,
      mfa: features.mfa === 'required' ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      removalPolicy,
    });
    this.userPoolClient = this.userPool.addClient('WebClient', { generateSecret: false });

    const secret = (secretId: string, secretName: string, template: Record<string, string>, generate: string) =>
      new secretsmanager.Secret(this, secretId, {
        secretName,
        encryptionKey: this.dataKey,
        removalPolicy,
        generateSecretString: { secretStringTemplate: JSON.stringify(template), generateStringKey: generate },
      });
    this.secrets = {
      stripe: secret('StripeSecret', SECRET_NAMES.stripe, { publishableKey: 'pk_placeholder', webhookSecret: 'whsec_placeholder' }, 'secretKey'),
      docusign: secret('DocuSignSecret', SECRET_NAMES.docusign, { integrationKey: 'placeholder', userId: 'placeholder', accountId: 'placeholder' }, 'privateKey'),
      claude: secret('ClaudeSecret', SECRET_NAMES.claude, { model: 'claude-3-sonnet-20240229', maxTokens: '4096' }, 'apiKey'),
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
