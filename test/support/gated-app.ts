import { App } from 'aws-cdk-lib';
import { applyComplianceGates } from '../../lib/compliance/compliance-gates';
import { NO_BUNDLING } from '../../support/shared-assembly';
import { gatesOutdir } from './synth-with-gates';
import { PipelineStack } from '../../lib/pipeline/pipeline-stack';
import { configWith, contextWith } from './context';

/**
 * The whole app as bin/app.ts builds it (compliance gates on), writing to a fresh temporary directory.
 * It is the one synthesis of the test run with CDK's built-in CloudFormation validation on (the
 * test setup turns it off everywhere else); bundling is off, as the gates do not read bundles.
 */
export function gatedApp(): { app: App; pipelineStack: PipelineStack } {
  delete process.env.CDK_VALIDATION;
  // analyticsReporting: the CDKMetadata resource `cdk synth` writes (version reporting is on by default),
  // so cfn-lint sees CDK templates as the pipeline's synth step lints them (it skips its "prefer Fn::Sub
  // over Fn::Join" advice, I1022, on CDK templates; inside E3703's RoleArn check it would surface as an error).
  const app = new App({
    context: { ...contextWith(), ...NO_BUNDLING }, outdir: gatesOutdir(), builtinCloudFormationValidation: true, analyticsReporting: true,
  });
  const pipelineStack = new PipelineStack(app, 'PipelineStack', { config: configWith() });
  applyComplianceGates(app);
  return { app, pipelineStack };
}
