import { Match } from 'aws-cdk-lib/assertions';
import { synthApp } from '../support/synth';

const { pipelineTemplate } = synthApp();

describe('Hardening of the constructs CDK Pipelines generates', () => {
  it('makes every CodeBuild project log to CloudWatch Logs explicitly', () => {
    const projects = Object.values(pipelineTemplate.findResources('AWS::CodeBuild::Project'));
    expect(projects.length).toBeGreaterThanOrEqual(3);
    for (const p of projects)
      expect(p.Properties.LogsConfig).toEqual({
        CloudWatchLogs: { Status: 'ENABLED', GroupName: { Ref: expect.any(String) } },
      });
  });

  it('logs every access to the artifact bucket into a separate SSE-S3 bucket that only S3 logging may write to', () => {
    // The tooling trail's buckets (ToolingAudit*) log to their own bucket: test/pipeline/tooling-trail.test.ts.
    const buckets = Object.fromEntries(
      Object.entries(
        pipelineTemplate.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } }),
      ).filter(([id]) => !id.startsWith('ToolingAudit')),
    );
    expect(Object.keys(buckets)).toHaveLength(1);
    const [artifacts] = Object.values(buckets);
    const logBucketId = artifacts.Properties.LoggingConfiguration.DestinationBucketName.Ref;
    pipelineTemplate.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      }),
    });
    pipelineTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logBucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'S3ServerAccessLogsFromArtifactBucket',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
          }),
        ]),
      },
    });
  });

  it('expires pipeline artifacts after 90 days', () => {
    pipelineTemplate.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Id: 'ExpireOldArtifacts', ExpirationInDays: 90, Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('lets no principal but an AWS service create grants on any key of the pipeline stack', () => {
    const keys = Object.values(pipelineTemplate.findResources('AWS::KMS::Key'));
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const key of keys) {
      expect(key.Properties.KeyPolicy.Statement).toContainEqual(
        expect.objectContaining({
          Sid: 'DenyGrantsExceptForAwsServices',
          Effect: 'Deny',
          Action: 'kms:CreateGrant',
          Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
        }),
      );
    }
  });
});
