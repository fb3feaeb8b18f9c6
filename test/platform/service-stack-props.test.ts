import { App } from 'aws-cdk-lib';
import { ServiceStack } from '../../lib/platform/service-stack';
import { StatefulStack } from '../../lib/platform/stateful-stack';
import { defaultContext } from '../support/context';
import { configWith } from '../support/context';

describe('ServiceStack props', () => {
  it('refuses a stage with WAF on but no CloudFront WebACL ARN, saying where the ARN comes from', () => {
    const staging = configWith().stages.find((s) => s.name === 'staging')!;
    expect(staging.waf).toBeDefined();
    const app = new App({ context: defaultContext() });
    const env = { account: staging.account, region: staging.region };
    const stateful = new StatefulStack(app, 'Stateful', { env, stage: staging });
    expect(
      () => new ServiceStack(app, 'Service', { env, stage: staging, pipelineAccount: '999999999999', stateful }),
    ).toThrow('Service: stage staging has WAF on, so cloudFrontWebAclArn (from the EdgeSecurity stack) is required');
  });
});
