import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TOOLING_TRAIL_KEY_ALIAS } from '../../contracts/resource-names';
import { PipelineStack } from '../../lib/pipeline/pipeline-stack';
import { createPlatformStage } from '../../stages/platform-stage';
import { NO_BUNDLING } from '../../support/shared-assembly';
import { fixtureConfig, fixtureContext } from '../config/fixtures/production-context';

/** The pipeline stack of the committed production fixture, with `overrides` on its context. */
function pipelineTemplate(overrides: Record<string, unknown> = {}) {
  const config = fixtureConfig(overrides);
  const app = new App({ context: { ...fixtureContext(overrides), ...NO_BUNDLING } });
  const stack = new PipelineStack(app, 'PipelineStack', { config, stageFactory: createPlatformStage });
  const template = Template.fromStack(stack);
  return { config, stack, template, resources: template.toJSON().Resources as Record<string, any> };
}

describe("The tooling account's trail", () => {
  const { config, stack, template, resources } = pipelineTemplate();
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const trailId = stack.getLogicalId(stack.trail.trail.node.defaultChild as any);
  const bucketId = stack.getLogicalId(stack.trail.bucket.node.defaultChild as any);
  const keyId = stack.getLogicalId(stack.trail.key.node.defaultChild as any);

  it("is in the pipeline stack, in the pipeline account, and records every region's management events", () => {
    expect(stack.account).toBe(config.pipeline.account);
    expect(ofType('AWS::CloudTrail::Trail').map(([id]) => id)).toEqual([trailId]);
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      S3BucketName: { Ref: bucketId },
      KMSKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
  });

  it('delivers to its own bucket with COMPLIANCE-mode Object Lock for pipeline.auditLogRetentionDays, retained', () => {
    const bucket = resources[bucketId];
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: config.pipeline.auditLogRetentionDays } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(resources[keyId].DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: TOOLING_TRAIL_KEY_ALIAS,
      TargetKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
  });

  it('has no unlocked earlier bucket: a new trail is locked from the start', () => {
    const buckets = ofType('AWS::S3::Bucket').map(([id]) => id);
    expect(buckets.filter((id) => id.startsWith('ToolingAudit')).sort()).toEqual(
      [bucketId, expect.stringMatching(/^ToolingAuditAccessLogs/)].sort(),
    );
  });

  it('keeps log files as long as pipeline.auditLogRetentionDays says', () => {
    const { resources: longer } = pipelineTemplate({ 'pipeline.auditLogRetentionDays': 2557 });
    expect(longer[bucketId].Properties.ObjectLockConfiguration.Rule.DefaultRetention.Days).toBe(2557);
    expect(longer[bucketId].Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(2557);
  });
});
