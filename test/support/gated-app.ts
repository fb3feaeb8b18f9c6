import { App } from 'aws-cdk-lib';
import { applyComplianceGates } from '../../lib/compliance/compliance-gates';
import { gatesOutdir } from './synth-with-gates';
import { PipelineStack } from '../../lib/pipeline/pipeline-stack';
import { configWith, contextWith } from './context';

/** The whole app as bin/app.ts builds it (compliance gates on), writing to a fresh temporary directory. */
export function gatedApp(): { app: App; pipelineStack: PipelineStack } {
  const app = new App({ context: contextWith(), outdir: gatesOutdir() });
  const pipelineStack = new PipelineStack(app, 'PipelineStack', { config: configWith() });
  applyComplianceGates(app);
  return { app, pipelineStack };
}
