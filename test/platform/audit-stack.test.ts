import type { CfnElement } from 'aws-cdk-lib';
import type { ServiceStack } from '../../lib/platform/service-stack';
import { platformStages } from '../support/platform-stages';
import { CFN_LIMITS, templateSize } from '../support/template-limits';

const built = platformStages();
const configOf = (stage: string) => built.config.stages.find((s) => s.name === stage)!;

describe('The dev stage', () => {
  it('has no Audit stack and no CloudTrail trail in any stack', () => {
    expect(configOf('dev').cloudTrail).toBe(false);
    const stacks = built.stage('dev').stacks;
    expect(stacks.map((s) => s.node.id)).not.toContain('Audit');
    for (const stack of stacks) built.template('dev', stack.node.id).resourceCountIs('AWS::CloudTrail::Trail', 0);
  });
});

describe.each(['staging', 'prod'])('The %s Audit stack', (stage) => {
  const config = configOf(stage);
  const stack = built.stage(stage).stacks.find((s) => s.node.id === 'Audit')!;
  const template = built.template(stage, 'Audit');
  const resources = template.toJSON().Resources as Record<string, any>;
  const trailBucket = () => resources.AuditTrailLockedBucketB22344CF.Properties;

  it('exists because cloudTrail is on, and depends on the Stateful stack (file bucket) and the Service stack (critical topic)', () => {
    expect(config.cloudTrail).toBe(true);
    expect(stack).toBeDefined();
    expect(stack.dependencies.map((d) => d.node.id).sort()).toEqual(['Service', 'Stateful']);
    expect(stack.account).toBe(config.account);
  });

  it('has one multi-region trail with log file validation, encrypted with its own key', () => {
    template.resourceCountIs('AWS::CloudTrail::Trail', 1);
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      IsLogging: true,
      KMSKeyId: { 'Fn::GetAtt': ['AuditTrailKeyA4D56A7A', 'Arn'] },
      S3BucketName: { Ref: 'AuditTrailLockedBucketB22344CF' },
    });
  });

  it('uses a rotating key that only CloudTrail may encrypt with and the account may only decrypt trail logs with', () => {
    const key = resources.AuditTrailKeyA4D56A7A.Properties;
    expect(key.EnableKeyRotation).toBe(true);
    const statements: any[] = key.KeyPolicy.Statement;
    expect(statements.flatMap((s) => [s.Action].flat())).not.toContain('kms:*');
    const encrypt = statements.find((s) => s.Sid === 'CloudTrailEncryptsLogs');
    expect(encrypt).toMatchObject({
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Condition: {
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${config.account}:trail/*` },
      },
    });
    const decrypt = statements.find((s) => s.Sid === 'AccountReadsLogs');
    expect(decrypt.Condition.StringEquals).toEqual({ 'kms:CallerAccount': config.account });
    expect(decrypt.Condition.StringLike).toEqual({
      'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${config.account}:trail/*`,
    });
  });

  it('delivers to a KMS-encrypted, private, versioned bucket that logs access to a separate bucket', () => {
    expect(trailBucket()).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': ['AuditTrailKeyA4D56A7A', 'Arn'] },
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
      LoggingConfiguration: { DestinationBucketName: { Ref: 'AuditTrailAccessLogsC856A1A5' } },
    });
  });

  it("keeps log files for the stage's log retention, then expires them", () => {
    const [rule] = trailBucket().LifecycleConfiguration.Rules;
    expect(rule).toMatchObject({
      Status: 'Enabled',
      ExpirationInDays: config.logRetentionDays,
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    });
  });

  it('denies every request to its buckets without TLS 1.2', () => {
    for (const [policyId, bucketId] of [
      ['AuditTrailBucketPolicy955F0D77', 'AuditTrailBucketA91FD435'],
      ['AuditTrailLockedBucketPolicy080F01E8', 'AuditTrailLockedBucketB22344CF'],
      ['AuditTrailAccessLogsPolicy435062B2', 'AuditTrailAccessLogsC856A1A5'],
    ]) {
      const policy = resources[policyId].Properties;
      expect(policy.Bucket).toEqual({ Ref: bucketId });
      expect(policy.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      );
    }
  });

  it("lets CloudTrail write only under this account's AWSLogs prefix", () => {
    const statements: any[] = resources.AuditTrailLockedBucketPolicy080F01E8.Properties.PolicyDocument.Statement;
    const put = statements.find((s) => s.Effect === 'Allow' && s.Action === 's3:PutObject');
    expect(put.Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
    expect(JSON.stringify(put.Resource)).toContain(`/AWSLogs/${config.account}/*`);
  });

  it("delivers every region's events to an encrypted log group, whose critical events alarm to the Service stack's critical topic", () => {
    const trail = Object.values(resources).find((r) => r.Type === 'AWS::CloudTrail::Trail').Properties;
    const [logGroupId] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::Logs::LogGroup')!;
    expect(trail.CloudWatchLogsLogGroupArn).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
    expect(resources[logGroupId].Properties).toMatchObject({
      RetentionInDays: config.logRetentionDays,
      KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^LogEncryptionKey/), 'Arn'] },
    });
    const service = built.stage(stage).stacks.find((s) => s.node.id === 'Service') as ServiceStack;
    const topicId = service.getLogicalId(service.monitoring.topics.critical.node.defaultChild as CfnElement);
    expect(topicId).toMatch(/Critical/);
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.map((a) => a.Properties.AlarmName).sort()).toEqual(
      ['audit-trail-changed', 'backup-vault-protection-changed', 'root-sign-in'].map(
        (suffix) => `uk-home-improvement-${stage}-${suffix}`,
      ),
    );
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([
        {
          'Fn::GetStackOutput': {
            StackName: service.stackName,
            Region: service.region,
            OutputName: expect.stringContaining(`Ref${topicId}`),
          },
        },
      ]);
    }
  });

  it('retains its key and buckets on deletion and replacement, with pinned logical ids', () => {
    const stateful = Object.entries(resources)
      .filter(([, r]) => ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup'].includes(r.Type))
      .map(([id, r]) => [id, r.DeletionPolicy, r.UpdateReplacePolicy]);
    expect(stateful.sort()).toEqual([
      ['AuditTrailAccessLogsC856A1A5', 'Retain', 'Retain'],
      ['AuditTrailBucketA91FD435', 'Retain', 'Retain'],
      ['AuditTrailKeyA4D56A7A', 'Retain', 'Retain'],
      ['AuditTrailLockedBucketB22344CF', 'Retain', 'Retain'],
      ['LogEncryptionKeyC62AA08F', 'Retain', 'Retain'],
      ['TrailLogs3B05809D', 'Retain', 'Retain'],
    ]);
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it("stays well under CloudFormation's limits (half of 500 resources and 1 MB)", () => {
    const size = templateSize(template);
    expect(size.resources).toBeLessThan(CFN_LIMITS.resources / 2);
    expect(size.bytes).toBeLessThan(CFN_LIMITS.templateBytes / 2);
  });
});
