/**
 * A production stage without WAF has no stack in us-east-1, yet its change review reads us-east-1 (searched for
 * stacks the stage no longer contains, such as an EdgeSecurity stack left by an earlier config). The roll-out
 * bootstraps every region of a stage, and the first-run walk holds them bootstrapped.
 * Synthesizes the whole app.
 */
import { App } from 'aws-cdk-lib';
import { loadConfig } from '../../../lib/config';
import { bootstrapQualifier } from '../../../lib/pipeline/bootstrap-roles';
import { checkFirstRun, stageEnvironments } from '../../../lib/pipeline/first-run/check-first-run';
import { walkFirstRun } from '../../../lib/pipeline/first-run/first-run-walk';
import { PipelineStack } from '../../../lib/pipeline/pipeline-stack';
import { createPlatformStage } from '../../../stages/platform-stage';
import { contextWith } from '../../support/context';
import { NO_BUNDLING } from '../../../support/shared-assembly';

// GIVEN a Prod in eu-central-1 (DR eu-west-1) without WAF, hence without a us-east-1 stack
const context = {
  ...contextWith({
    'prod.region': 'eu-central-1',
    'prod.drRegion': 'eu-west-1',
    'prod.waf.enabled': false,
    'prod.frontend.customDomain.enabled': false,
    'prod.frontend.requireCustomDomain': false,
  }),
  ...NO_BUNDLING,
};
const app = new App({ context });
const pipeline = new PipelineStack(app, 'PipelineStack', {
  config: loadConfig(context),
  stageFactory: createPlatformStage,
});
const prod = pipeline.stages.find((s) => s.config.name === 'prod')!;

describe('The first run of a stage that has no stack in one of its regions', () => {
  it('has the stage search every region it may use, though no stack of it lives in us-east-1', () => {
    expect(Object.values(prod.stackRegions)).not.toContain('us-east-1');
    expect(prod.regions).toEqual(['eu-central-1', 'eu-west-1', 'us-east-1']);
    expect(stageEnvironments(app)).toEqual(
      expect.arrayContaining([{ account: prod.config.account, region: 'us-east-1', partition: 'aws' }]),
    );
  });

  it('passes the walk from accounts bootstrapped in every region of each stage, as the roll-out does', () => {
    expect(() => checkFirstRun(app)).not.toThrow();
  });

  it('fails the walk when only the regions with stacks were bootstrapped: the review could not read us-east-1', () => {
    const walk = walkFirstRun(app.synth(), { qualifier: bootstrapQualifier(app) });
    expect(walk.findings.map((f) => `${f.stage}/${f.step}: ${f.message}`)).toEqual([
      expect.stringContaining(
        `ApproveProd/ChangeReview: ApproveProd/ChangeReview uses IAM role arn:aws:iam::${prod.config.account}:role/cdk-hnb659fds-lookup-role-${prod.config.account}-us-east-1`,
      ),
    ]);
  });
});
