#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { applyComplianceGates } from '../lib/compliance/compliance-gates';
import { ConfigError, loadConfig } from '../lib/config';
import { PipelineStack } from '../lib/pipeline/pipeline-stack';

const app = new App();
try {
  const config = loadConfig(app.node.getAllContext());
  // Every synth runs cdk-nag (AwsSolutions, NIST 800-53 rev 5): `cdk synth` fails on any unacknowledged
  // finding. The slower Control Tower controls run in `npm test` (and so in the pipeline's build),
  // and here with -c gates.controlTower=true.
  applyComplianceGates(app, { controlTower: config.gates.controlTower });
  new PipelineStack(app, 'PipelineStack', { config });
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}
