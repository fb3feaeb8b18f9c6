import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AuditTrail } from '../../lib/platform/audit/audit-trail';
import { DataKey } from '../../lib/platform/data/data-key';
import { PlatformTables } from '../../lib/platform/data/platform-tables';
import { PlaceholderSecret } from '../../lib/platform/secrets/placeholder-secret';
import { AccessLogBucket } from '../../lib/platform/storage/access-log-bucket';
import { FileStorageBucket } from '../../lib/platform/storage/file-storage-bucket';
import { defaultContext } from '../support/context';

// These constructs are small; each test builds only the stack it needs (no whole-app synth),
// with the project's feature flags from cdk.json.
const newStack = () =>
  new Stack(new App({ context: defaultContext() }), 'Test', { env: { account: '111111111111', region: 'eu-west-2' } });
const names = { users: 'u', projects: 'p', quotes: 'q', contracts: 'c' };

describe('PlatformTables', () => {
  it('GIVEN PROVISIONED billing THEN auto-scales reads and writes of every table and index from 5 to 100 units', () => {
    const stack = newStack();
    new PlatformTables(stack, 'Tables', {
      names,
      key: new kms.Key(stack, 'K'),
      billingMode: 'PROVISIONED',
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: false,
    });
    const template = Template.fromStack(stack);
    template.allResourcesProperties('AWS::DynamoDB::Table', {
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    });
    // 4 tables + 4 indexes, each with a read and a write target
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 16);
    template.allResourcesProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 5,
      MaxCapacity: 100,
    });
    template.allResourcesProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 },
    });
  });

  it('GIVEN PAY_PER_REQUEST billing THEN creates no auto-scaling', () => {
    const stack = newStack();
    new PlatformTables(stack, 'Tables', {
      names,
      key: new kms.Key(stack, 'K'),
      billingMode: 'PAY_PER_REQUEST',
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: false,
    });
    Template.fromStack(stack).resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
  });

  it('rejects a capacity range whose max is below its min, naming the construct', () => {
    const stack = newStack();
    expect(
      () =>
        new PlatformTables(stack, 'Tables', {
          names,
          key: new kms.Key(stack, 'K'),
          billingMode: 'PROVISIONED',
          removalPolicy: RemovalPolicy.DESTROY,
          deletionProtection: false,
          provisionedCapacity: { min: 10, max: 5, targetUtilizationPercent: 70 },
        }),
    ).toThrow(/^Tables: provisionedCapacity .* is not valid/);
  });
});

describe('Bad construct input fails with the construct id and what is accepted', () => {
  it('DataKey without services', () => {
    expect(
      () =>
        new DataKey(newStack(), 'DataKey', {
          description: 'd',
          aliasName: 'alias/x',
          viaServices: [],
          removalPolicy: RemovalPolicy.DESTROY,
        }),
    ).toThrow('DataKey: viaServices is empty');
  });

  it('DataKey with an alias not starting with alias/', () => {
    expect(
      () =>
        new DataKey(newStack(), 'DataKey', {
          description: 'd',
          aliasName: 'x',
          viaServices: ['s3'],
          removalPolicy: RemovalPolicy.DESTROY,
        }),
    ).toThrow('DataKey: aliasName "x" must start with "alias/"');
  });

  it('AccessLogBucket with zero retention', () => {
    expect(
      () => new AccessLogBucket(newStack(), 'Logs', { retentionDays: 0, removalPolicy: RemovalPolicy.DESTROY }),
    ).toThrow('Logs: retentionDays = 0 is not valid');
  });

  it('FileStorageBucket with a fractional noncurrent retention', () => {
    const stack = newStack();
    expect(
      () =>
        new FileStorageBucket(stack, 'Files', {
          key: new kms.Key(stack, 'K'),
          removalPolicy: RemovalPolicy.DESTROY,
          accessLogRetentionDays: 7,
          noncurrentVersionRetentionDays: 1.5,
        }),
    ).toThrow('Files: noncurrentVersionRetentionDays = 1.5 is not valid');
  });

  it('AuditTrail with negative retention', () => {
    expect(
      () =>
        new AuditTrail(newStack(), 'Audit', {
          retentionDays: -1,
          removalPolicy: RemovalPolicy.RETAIN,
          keyAliasName: 'alias/a',
          objectLockMode: 'GOVERNANCE',
        }),
    ).toThrow('Audit: retentionDays = -1 is not valid');
  });

  it('PlaceholderSecret whose generated field is also fixed', () => {
    const stack = newStack();
    expect(
      () =>
        new PlaceholderSecret(stack, 'Secret', {
          shape: { secretName: 's', description: 'd', template: { apiKey: 'REPLACE_ME' }, generatedField: 'apiKey' },
          key: new kms.Key(stack, 'K'),
          removalPolicy: RemovalPolicy.DESTROY,
        }),
    ).toThrow('Secret: generatedField "apiKey" is also in the template');
  });
});

describe('AuditTrail', () => {
  it('GIVEN a short retention THEN expires logs without a Standard-IA transition (IA needs 30 days first)', () => {
    const stack = newStack();
    new AuditTrail(stack, 'Audit', {
      retentionDays: 30,
      removalPolicy: RemovalPolicy.DESTROY,
      keyAliasName: 'alias/a',
      objectLockMode: 'GOVERNANCE',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'RetainAuditLogs',
            Status: 'Enabled',
            ExpirationInDays: 30,
            Transitions: Match.absent(),
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          },
        ],
      },
    });
  });

  it('GIVEN a long retention THEN moves logs to Standard-IA after 30 days', () => {
    const stack = newStack();
    new AuditTrail(stack, 'Audit', {
      retentionDays: 365,
      removalPolicy: RemovalPolicy.RETAIN,
      keyAliasName: 'alias/a',
      objectLockMode: 'GOVERNANCE',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'RetainAuditLogs',
            Status: 'Enabled',
            ExpirationInDays: 365,
            Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
          },
        ],
      },
    });
  });
});
