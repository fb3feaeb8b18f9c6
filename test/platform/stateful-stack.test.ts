import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { OUTPUTS } from '../../contracts/output-names';
import { SECRET_NAMES } from '../../contracts/resource-names';
import { PLACEHOLDER, SECRET_SHAPES } from '../../lib/platform/secrets/secret-shapes';
import { platformStages } from '../support/platform-stages';
import { CFN_LIMITS, templateSize } from '../support/template-limits';

const built = platformStages();
const STAGES = ['dev', 'staging', 'prod'] as const;
const stateful = (stage: string): Template => built.template(stage, 'Stateful');
const configOf = (stage: string) => built.config.stages.find((s) => s.name === stage)!;

/**
 * Logical ids of every stateful resource. CloudFormation replaces a resource whose logical id
 * changes, which for these means losing the data. Never edit this list to make a refactor pass.
 */
const PINNED_STATEFUL_IDS: Record<string, string> = {
  DataKey17AFBB84: 'AWS::KMS::Key',
  TablesUsersBA34CAA2: 'AWS::DynamoDB::Table',
  TablesProjectsD51E92A2: 'AWS::DynamoDB::Table',
  TablesQuotesA38F5242: 'AWS::DynamoDB::Table',
  TablesContractsD4F623D2: 'AWS::DynamoDB::Table',
  FileStorageB30DC344: 'AWS::S3::Bucket',
  FileStorageAccessLogsD14DFE42: 'AWS::S3::Bucket',
  UserPool6BA7E5F2: 'AWS::Cognito::UserPool',
  UserPoolWebClient4C9370B0: 'AWS::Cognito::UserPoolClient',
  StripeSecret80A38A68: 'AWS::SecretsManager::Secret',
  DocuSignSecretFE6B5763: 'AWS::SecretsManager::Secret',
  ClaudeSecretFBDF3C8A: 'AWS::SecretsManager::Secret',
};
const STATEFUL_TYPES = [
  'AWS::KMS::Key',
  'AWS::DynamoDB::Table',
  'AWS::S3::Bucket',
  'AWS::Cognito::UserPool',
  'AWS::SecretsManager::Secret',
];

function statefulResources(template: Template): [string, Record<string, any>][] {
  return Object.entries(template.toJSON().Resources as Record<string, Record<string, any>>).filter(([, r]) =>
    STATEFUL_TYPES.includes(r.Type),
  );
}

function keyPolicyStatements(template: Template): any[] {
  const keys = Object.values(template.findResources('AWS::KMS::Key'));
  expect(keys).toHaveLength(1);
  return keys[0].Properties.KeyPolicy.Statement;
}

const actionsOf = (s: any): string[] => [s.Action].flat();

describe.each(STAGES)('The %s stateful stack', (stage) => {
  const template = stateful(stage);
  const config = configOf(stage);
  const retained = config.retainData;

  it('keeps the pinned logical id of every stateful resource', () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string }>;
    for (const [id, type] of Object.entries(PINNED_STATEFUL_IDS)) {
      expect({ id, type: resources[id]?.Type }).toEqual({ id, type });
    }
    const unpinned = statefulResources(template)
      .map(([id]) => id)
      .filter((id) => !(id in PINNED_STATEFUL_IDS));
    expect(unpinned).toEqual([]);
  });

  describe('data key', () => {
    it('rotates automatically', () => {
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    it('lets the account administer it but never grants kms:* or unconditional use', () => {
      const statements = keyPolicyStatements(template);
      expect(statements.flatMap(actionsOf)).not.toContain('kms:*');
      const unconditionalUse = statements.filter(
        (s) =>
          !s.Condition &&
          actionsOf(s).some((a) =>
            ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:CreateGrant'].includes(a),
          ),
      );
      expect(unconditionalUse).toEqual([]);
      const admin = statements.find((s) => s.Sid === 'AccountAdministersKey');
      expect(admin.Principal).toEqual({ AWS: `arn:aws:iam::${config.account}:root` });
      expect(actionsOf(admin)).toEqual(
        expect.arrayContaining(['kms:Describe*', 'kms:ScheduleKeyDeletion', 'kms:Put*']),
      );
    });

    it('is usable only through DynamoDB, S3, Secrets Manager and Backup in the stage region and account', () => {
      const use = keyPolicyStatements(template).find((s) => s.Sid === 'UseOnlyThroughPlatformServices');
      expect(actionsOf(use)).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
      expect(use.Condition.StringEquals['kms:CallerAccount']).toBe(config.account);
      expect([...use.Condition.StringEquals['kms:ViaService']].sort()).toEqual(
        ['backup', 'dynamodb', 's3', 'secretsmanager'].map((s) => `${s}.${config.region}.amazonaws.com`),
      );
    });

    it('gives its ARN and an alias', () => {
      template.hasOutput(OUTPUTS.dataKeyArn, { Value: { 'Fn::GetAtt': ['DataKey17AFBB84', 'Arn'] } });
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/uk-home-improvement-${stage}-data` });
    });
  });

  describe('tables', () => {
    it('are the four platform tables, each encrypted with the data key and with point-in-time recovery', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', 4);
      for (const table of ['users', 'projects', 'quotes', 'contracts']) {
        template.hasResourceProperties('AWS::DynamoDB::Table', {
          TableName: `uk-home-improvement-${stage}-${table}`,
          SSESpecification: {
            SSEEnabled: true,
            SSEType: 'KMS',
            KMSMasterKeyId: { 'Fn::GetAtt': ['DataKey17AFBB84', 'Arn'] },
          },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          BillingMode: config.tableBillingMode,
        });
      }
    });

    it("have the indexes for a homeowner's projects, a project's and a contractor's quotes, and a project's contract", () => {
      const index = (name: string, hash: string, range?: string) =>
        Match.objectLike({
          IndexName: name,
          KeySchema: range
            ? [
                { AttributeName: hash, KeyType: 'HASH' },
                { AttributeName: range, KeyType: 'RANGE' },
              ]
            : [{ AttributeName: hash, KeyType: 'HASH' }],
        });
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: `uk-home-improvement-${stage}-projects`,
        KeySchema: [{ AttributeName: 'projectId', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [index('byHomeowner', 'homeownerId', 'createdAt')],
      });
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: `uk-home-improvement-${stage}-quotes`,
        KeySchema: [{ AttributeName: 'quoteId', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          index('byProject', 'projectId', 'createdAt'),
          index('byContractor', 'contractorId', 'createdAt'),
        ],
      });
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: `uk-home-improvement-${stage}-contracts`,
        KeySchema: [{ AttributeName: 'contractId', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [index('byProject', 'projectId')],
      });
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: `uk-home-improvement-${stage}-users`,
        KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: Match.absent(),
      });
    });

    it(`are ${retained ? '' : 'not '}deletion-protected`, () => {
      const flags = Object.values(template.findResources('AWS::DynamoDB::Table')).map(
        (t) => t.Properties.DeletionProtectionEnabled,
      );
      expect(flags).toEqual([retained, retained, retained, retained]);
    });

    it('publish their names', () => {
      for (const [output, table] of [
        [OUTPUTS.usersTableName, 'TablesUsersBA34CAA2'],
        [OUTPUTS.projectsTableName, 'TablesProjectsD51E92A2'],
        [OUTPUTS.quotesTableName, 'TablesQuotesA38F5242'],
        [OUTPUTS.contractsTableName, 'TablesContractsD4F623D2'],
      ])
        template.hasOutput(output, { Value: { Ref: table } });
    });
  });

  describe('user pool', () => {
    it('signs in with e-mail and enforces a strong password policy', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
            PasswordHistorySize: 5,
          },
        },
      });
    });

    it(`makes TOTP MFA ${config.mfa} and never uses SMS`, () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        MfaConfiguration: config.mfa === 'required' ? 'ON' : 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      });
    });

    it(`${config.threatProtection ? 'enforces' : 'does not pay for'} threat protection`, () => {
      template.hasResourceProperties(
        'AWS::Cognito::UserPool',
        config.threatProtection
          ? { UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } }
          : { UserPoolTier: 'ESSENTIALS', UserPoolAddOns: Match.absent() },
      );
    });

    it(`is ${retained ? '' : 'not '}deletion-protected`, () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        DeletionProtection: retained ? 'ACTIVE' : 'INACTIVE',
      });
    });

    it("has the homeowners, contractors and admins groups, admins first, and the journey's synthetic group last", () => {
      const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup'))
        .map((g) => [g.Properties.GroupName, g.Properties.Precedence])
        .sort((a, b) => a[1] - b[1]);
      expect(groups).toEqual([
        ['admins', 0],
        ['contractors', 10],
        ['homeowners', 20],
        ['synthetic', 100],
      ]);
    });

    it('has one web client without a secret, signing in with SRP and no OAuth flows', () => {
      template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AllowedOAuthFlowsUserPoolClient: false,
        PreventUserExistenceErrors: 'ENABLED',
      });
      template.hasOutput(OUTPUTS.userPoolId, { Value: { Ref: 'UserPool6BA7E5F2' } });
      template.hasOutput(OUTPUTS.userPoolClientId, { Value: { Ref: 'UserPoolWebClient4C9370B0' } });
    });
  });

  describe('file storage', () => {
    const bucket = () => template.toJSON().Resources.FileStorageB30DC344.Properties;

    it('is encrypted with the data key, private, versioned and logs access to the log bucket', () => {
      expect(bucket()).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': ['DataKey17AFBB84', 'Arn'] },
              },
            },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: { Ref: 'FileStorageAccessLogsD14DFE42' } },
      });
      template.hasOutput(OUTPUTS.fileStorageBucketName, { Value: { Ref: 'FileStorageB30DC344' } });
    });

    it('moves objects to Intelligent-Tiering and cleans up old versions and incomplete uploads', () => {
      const rules = bucket().LifecycleConfiguration.Rules;
      expect(rules).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Status: 'Enabled',
            Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 0 }],
          }),
          expect.objectContaining({
            Status: 'Enabled',
            NoncurrentVersionExpiration: expect.objectContaining({ NoncurrentDays: 90 }),
          }),
          expect.objectContaining({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }),
        ]),
      );
    });

    it.each([
      ['FileStoragePolicy1D608244', 'FileStorageB30DC344'],
      ['FileStorageAccessLogsPolicy01D57B00', 'FileStorageAccessLogsD14DFE42'],
    ])('bucket policy %s denies requests without TLS 1.2', (policyId, bucketId) => {
      const policy = template.toJSON().Resources[policyId].Properties;
      expect(policy.Bucket).toEqual({ Ref: bucketId });
      expect(policy.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
          }),
        ]),
      );
    });

    it('keeps access logs in a private S3-encrypted bucket (log delivery cannot write SSE-KMS) for the log retention', () => {
      expect(template.toJSON().Resources.FileStorageAccessLogsD14DFE42.Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: config.logRetentionDays })] },
      });
    });
  });

  describe('secrets', () => {
    it.each(Object.entries(SECRET_SHAPES))(
      '%s has its SECRET_NAMES name, the data key, its JSON shape and placeholder values',
      (name, shape) => {
        const [secret] = Object.values(
          template.findResources('AWS::SecretsManager::Secret', {
            Properties: { Name: SECRET_NAMES[name as keyof typeof SECRET_NAMES] },
          }),
        );
        expect(secret.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': ['DataKey17AFBB84', 'Arn'] });
        expect(secret.Properties.SecretString).toBeUndefined();
        const generated = secret.Properties.GenerateSecretString;
        const fixed = JSON.parse(generated.SecretStringTemplate);
        expect([...Object.keys(fixed), generated.GenerateStringKey].sort()).toEqual(
          {
            stripe: ['publishableKey', 'secretKey', 'webhookSecret'],
            docusign: ['accountId', 'integrationKey', 'privateKey', 'userId'],
            claude: ['apiKey', 'maxTokens', 'model'],
          }[name],
        );
        expect(generated.GenerateStringKey).toBe(shape.generatedField);
        const credentials = Object.entries(fixed).filter(([field]) => !['model', 'maxTokens'].includes(field));
        for (const [, value] of credentials) expect(value).toBe(PLACEHOLDER);
      },
    );
  });

  describe('retention', () => {
    const expected = retained ? 'Retain' : 'Delete';

    it(`sets DeletionPolicy and UpdateReplacePolicy ${expected} on every key, table, bucket, user pool and secret`, () => {
      const policies = statefulResources(template).map(([id, r]) => [id, r.DeletionPolicy, r.UpdateReplacePolicy]);
      expect(policies.length).toBe(Object.values(PINNED_STATEFUL_IDS).filter((t) => STATEFUL_TYPES.includes(t)).length);
      expect(policies).toEqual(policies.map(([id]) => [id, expected, expected]));
    });

    it(`${retained ? 'does not empty' : 'empties'} the buckets before deleting them`, () => {
      template.resourceCountIs('Custom::S3AutoDeleteObjects', retained ? 0 : 2);
    });
  });

  it("stays well under CloudFormation's limits (half of 500 resources and 1 MB)", () => {
    const size = templateSize(template);
    expect(size.resources).toBeLessThan(CFN_LIMITS.resources / 2);
    expect(size.bytes).toBeLessThan(CFN_LIMITS.templateBytes / 2);
  });
});

describe('The stage', () => {
  it.each(STAGES)('%s deploys the stateful stack with no dependency, so it is on level 0', (stage) => {
    const stack = built.stage(stage).stacks.find((s) => s.node.id === 'Stateful')!;
    expect(stack.dependencies).toEqual([]);
  });
});
