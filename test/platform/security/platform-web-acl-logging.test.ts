import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { PlatformWebAcl, REDACTED_FIELDS } from '../../../lib/platform/security/platform-web-acl';
import { readSharedAssembly } from '../../../support/shared-assembly';

/** GIVEN a regional WebACL with request logging to `logGroupName`, in a bare stack of account 111111111111. */
function webAcl(logGroupName: string) {
  const stack = new Stack(new App(), 'Waf', { env: { account: '111111111111', region: 'eu-west-2' } });
  new PlatformWebAcl(stack, 'Acl', {
    scope: 'REGIONAL',
    rateLimit: 1000,
    metricPrefix: 'test',
    logging: {
      logGroupName,
      retentionDays: 90,
      encryptionKey: new kms.Key(stack, 'LogKey'),
      removalPolicy: RemovalPolicy.RETAIN,
    },
  });
  return Template.fromStack(stack).toJSON().Resources as Record<string, any>;
}

const ofType = (resources: Record<string, any>, type: string) =>
  Object.entries(resources).filter(([, r]) => r.Type === type);

describe('WAF request logging', () => {
  it('logs every request of the WebACL to its encrypted, retained log group, with the personal data fields redacted', () => {
    const resources = webAcl('aws-waf-logs-test-api');
    const [[aclId]] = ofType(resources, 'AWS::WAFv2::WebACL');
    const [[groupId, group]] = ofType(resources, 'AWS::Logs::LogGroup');
    const [[, config]] = ofType(resources, 'AWS::WAFv2::LoggingConfiguration');
    expect(group.Properties).toMatchObject({
      LogGroupName: 'aws-waf-logs-test-api',
      RetentionInDays: 90,
      KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^LogKey/), 'Arn'] },
    });
    expect(group.DeletionPolicy).toBe('Retain');
    expect(config.Properties.ResourceArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(JSON.stringify(config.Properties.LogDestinationConfigs)).toMatch(
      /:logs:eu-west-2:111111111111:log-group:aws-waf-logs-test-api"\]\]\}\]$/,
    );
    expect(config.Properties.RedactedFields).toEqual([
      { SingleHeader: { Name: 'authorization' } },
      { SingleHeader: { Name: 'cookie' } },
      { QueryString: {} },
    ]);
    expect(config.DependsOn).toContain(groupId);
    expect(REDACTED_FIELDS).toHaveLength(3);
  });

  it('refuses a log group name WAF does not accept, naming it and the required prefix', () => {
    expect(() => webAcl('waf-requests')).toThrow(
      'Acl: logGroupName "waf-requests" must start with "aws-waf-logs-" (WAF accepts no other).',
    );
  });

  it('is configured for every WebACL of the assembly', () => {
    const dir = readSharedAssembly().directory;
    const templates = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? templates(path.join(d, e.name))
          : e.name.endsWith('.template.json')
            ? [path.join(d, e.name)]
            : [],
      );
    let acls = 0;
    for (const file of templates(dir)) {
      const resources = JSON.parse(readFileSync(file, 'utf8')).Resources ?? {};
      const logged = new Set(
        ofType(resources, 'AWS::WAFv2::LoggingConfiguration').map(
          ([, r]) => r.Properties.ResourceArn['Fn::GetAtt']?.[0],
        ),
      );
      for (const [id] of ofType(resources, 'AWS::WAFv2::WebACL')) {
        acls += 1;
        expect({ file: path.basename(file), acl: id, logged: logged.has(id) }).toEqual({
          file: path.basename(file),
          acl: id,
          logged: true,
        });
      }
    }
    expect(acls).toBeGreaterThan(0);
  });
});
