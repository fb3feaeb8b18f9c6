import type { Template } from 'aws-cdk-lib/assertions';
import { CANARY_RUNTIME } from '../../../lib/platform/observability/synthetic-traffic';
import { configWith } from '../../support/context';
import { synthApp } from '../../support/synth';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
const resources = (t: Template, type: string): Array<[string, Resource]> =>
  Object.entries(t.findResources(type)) as Array<[string, Resource]>;

const built = synthApp();

describe.each(built.config.stages.map((s) => s.name))('Synthetic traffic of the %s Service stack', (stageName) => {
  const config = built.stage(stageName).config;
  const template = built.template(stageName, 'Service');
  const canaries = resources(template, 'AWS::Synthetics::Canary');

  it('exists exactly where the stage turns it on (and monitoring is full)', () => {
    expect(canaries).toHaveLength(config.synthetics ? 1 : 0);
    if (config.synthetics) expect(config.monitoring).toBe('full');
  });

  if (!config.synthetics) return;
  const [[canaryId, canary]] = canaries;

  it("calls the API and the frontend on the stage's schedule with the newest Puppeteer runtime", () => {
    expect(canary.Properties.RuntimeVersion).toBe(CANARY_RUNTIME.name);
    expect(canary.Properties.Schedule.Expression).toBe(
      config.synthetics!.scheduleMinutes === 1
        ? 'rate(1 minute)'
        : `rate(${config.synthetics!.scheduleMinutes} minutes)`,
    );
    const vars = canary.Properties.RunConfig.EnvironmentVariables;
    expect(Object.keys(vars).sort()).toEqual(['API_URL', 'FRONTEND_URL']);
    const script: string = canary.Properties.Code.Script;
    for (const route of ["'health'", "'api/health'", 'frontend-home']) expect(script).toContain(route);
    expect(canary.Properties.StartCanaryAfterCreation).toBe(true);
  });

  it("loads the Synthetics library under the module name its runtime ships (from syn-nodejs-puppeteer-13.1 on, '@aws/synthetics-puppeteer')", () => {
    const [major, minor] = /^syn-nodejs-puppeteer-(\d+)\.(\d+)$/
      .exec(canary.Properties.RuntimeVersion)!
      .slice(1)
      .map(Number);
    expect(major * 100 + minor).toBeGreaterThanOrEqual(1301);
    const script: string = canary.Properties.Code.Script;
    expect(script).toContain("require('@aws/synthetics-puppeteer')");
    expect(script).not.toMatch(/require\('Synthetics'\)/);
  });

  it('writes artifacts to an encrypted, private, TLS-only bucket whose objects expire', () => {
    const bucketId = JSON.stringify(canary.Properties.ArtifactS3Location).match(/"Ref":"([^"]+)"/)![1];
    const bucket = template.toJSON().Resources[bucketId];
    expect(
      bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
        .SSEAlgorithm,
    ).toBe('aws:kms');
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const rule = bucket.Properties.LifecycleConfiguration.Rules[0];
    expect(rule.ExpirationInDays).toBeGreaterThan(0);
    const policy = resources(template, 'AWS::S3::BucketPolicy').find(
      ([, p]) => p.Properties.Bucket.Ref === bucketId,
    )![1];
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
  });

  it('alarms on a failed run, and that alarm is part of the stage-unhealthy composite', () => {
    const alarms = resources(template, 'AWS::CloudWatch::Alarm').filter(
      ([, a]) => a.Properties.Namespace === 'CloudWatchSynthetics',
    );
    expect(alarms).toHaveLength(1);
    const [[alarmId, alarm]] = alarms;
    expect(alarm.Properties).toMatchObject({
      MetricName: 'SuccessPercent',
      Threshold: 100,
      ComparisonOperator: 'LessThanThreshold',
    });
    expect(JSON.stringify(alarm.Properties.Dimensions)).toContain(canaryId);
    const [[, composite]] = resources(template, 'AWS::CloudWatch::CompositeAlarm');
    expect(JSON.stringify(composite.Properties.AlarmRule)).toContain(alarmId);
    expect(alarm.Properties.AlarmActions).toHaveLength(1);
  });
});

describe('synthetics config', () => {
  it('rejects the canary on a stage whose monitoring is basic, naming both keys', () => {
    expect(() => configWith({ 'dev.synthetics.enabled': true })).toThrow(
      /dev\.synthetics\.enabled = true is not valid: dev\.monitoring is "basic"/,
    );
  });

  it('rejects a schedule outside 1 to 60 minutes', () => {
    expect(() => configWith({ 'staging.synthetics.scheduleMinutes': 0 })).toThrow(
      /staging\.synthetics\.scheduleMinutes/,
    );
    expect(() => configWith({ 'staging.synthetics.scheduleMinutes': 61 })).toThrow(/from 1 to 60/);
  });
});
