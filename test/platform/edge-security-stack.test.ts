import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EdgeSecurityStack } from '../../lib/platform/edge-security-stack';
import { PlatformWebAcl } from '../../lib/platform/security/platform-web-acl';

const env = (region: string) => ({ account: '111111111111', region });

const LOGGING = { logGroupName: 'aws-waf-logs-test-edge', logRetentionDays: 30, retainLogs: false };
const aclLogging = (stack: Stack) => ({
  logGroupName: 'aws-waf-logs-test',
  retentionDays: 30,
  encryptionKey: new kms.Key(stack, 'LogKey'),
  removalPolicy: RemovalPolicy.DESTROY,
});

describe('EdgeSecurityStack', () => {
  it('creates one CLOUDFRONT WebACL that allows by default and blocks above the rate limit', () => {
    const stack = new EdgeSecurityStack(new App(), 'Edge', { env: env('us-east-1'), ...LOGGING, rateLimit: 500 });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
    });
    const acl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0];
    const rate = acl.Properties.Rules.find((r: { Name: string }) => r.Name === 'RateLimitPerIp');
    expect(rate).toMatchObject({
      Action: { Block: {} },
      Statement: { RateBasedStatement: { Limit: 500, AggregateKeyType: 'IP' } },
    });
  });

  it('refuses any region but us-east-1, naming the stack', () => {
    expect(
      () => new EdgeSecurityStack(new App(), 'Edge', { env: env('eu-west-2'), ...LOGGING, rateLimit: 2000 }),
    ).toThrow('Edge: a CLOUDFRONT WebACL can only be created in us-east-1, not eu-west-2');
  });
});

describe('PlatformWebAcl', () => {
  it.each([0, 9, 1.5])('refuses a rate limit of %s with a message naming the accepted range', (rateLimit) => {
    const stack = new Stack(new App(), 'S', { env: env('eu-west-2') });
    expect(
      () =>
        new PlatformWebAcl(stack, 'Acl', {
          scope: 'REGIONAL',
          rateLimit,
          metricPrefix: 'x',
          logging: aclLogging(stack),
        }),
    ).toThrow(/^Acl: rateLimit must be a whole number from 10 to 2000000000/);
  });
});
