import { App } from 'aws-cdk-lib';
import { applyComplianceGates } from '../../lib/compliance/compliance-gates';
import { gatesOutdir } from './synth-with-gates';
import { PipelineStack } from '../../lib/pipeline/pipeline-stack';
import { configWith, contextWith } from './context';

/** The whole app as bin/app.ts builds it (compliance gates on), writing to a fresh temporary directory. */
export function gatedApp(): { app: App; pipelineStack: PipelineStack } {
  // analyticsReporting: the CDKMetadata resource `cdk synth` writes (version reporting is on by default),
  // so cfn-lint sees CDK templates as the pipeline's synth step lints them (it skips its "prefer Fn::Sub
  // over Fn::Join" advice, I1022, on CDK templates; inside E3703's RoleArn check it would surface as an error).
  const app = new App({ context: contextWith(), outdir: gatesOutdir(), analyticsReporting: true });
  const pipelineStack = new PipelineStack(app, 'PipelineStack', { config: configWith() });
  applyComplianceGates(app);
  return { app, pipelineStack };
}
