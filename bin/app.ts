#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { applyComplianceGates } from '../lib/compliance/compliance-gates';
import { ConfigError, loadConfig } from '../lib/config';
import { PipelineStack } from '../lib/pipeline/pipeline-stack';

const app = new App();
// Every synth runs the compliance packs: `cdk synth` fails on any unacknowledged finding.
applyComplianceGates(app);
try {
  const config = loadConfig((key) => app.node.tryGetContext(key));
  new PipelineStack(app, 'PipelineStack', { config });
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}
