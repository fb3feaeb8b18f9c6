#!/usr/bin/env node
// First, so that everything after it loads through Node.js's compile cache.
import './compile-cache';
import { App } from 'aws-cdk-lib';
import { applyComplianceGates } from '../lib/compliance/compliance-gates';
import { loadConfig } from '../lib/config';
import { shouldPrintStageTable, stageTable } from '../lib/config/stage-table';
import { PipelineStack } from '../lib/pipeline/pipeline-stack';
import { runApp } from '../lib/run-app';
import { createPlatformStage } from '../stages/platform-stage';

// Synthesizes the app, then walks the pipeline from accounts that hold only the CDK bootstrap: an action
// that would use a role or resource nothing has created yet stops synth (lib/pipeline/first-run).
runApp(() => {
  // The context (cdk.json and -c) is read first: it decides whether the App runs CDK's built-in validation.
  const config = loadConfig(new App({ autoSynth: false }).node.getAllContext());
  // The stages as the loader resolved them (defaults included), once per synth, on stderr.
  if (shouldPrintStageTable(process.env)) console.error(stageTable(config));
  // CDK's built-in CloudFormation validation (a WebAssembly engine, the slowest part of a synth) runs
  // only when asked (-c gates.cfnValidation=true): the pipeline's build runs it, and cfn-lint, once
  // over the assembly it deploys.
  const app = new App({ builtinCloudFormationValidation: config.gates.cfnValidation });
  // Every synth runs cdk-nag (AwsSolutions, NIST 800-53 rev 5): `cdk synth` fails on any unacknowledged
  // finding. The slower Control Tower controls run in `npm test`, in the pipeline's build synth,
  // and here with -c gates.controlTower=true.
  applyComplianceGates(app, { controlTower: config.gates.controlTower });
  new PipelineStack(app, 'PipelineStack', { config, stageFactory: createPlatformStage });
  return app;
});
