import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { loadConfig } from '../lib/config';
import { PipelineStack } from '../lib/pipeline/pipeline-stack';

/** Environment variable naming the directory of the shared cloud assembly of the default app (set by the test run's global setup). */
export const SHARED_ASSEMBLY_ENV = 'SHARED_CLOUD_ASSEMBLY_DIR';

/** Context that turns off Lambda bundling (no stack is bundled): for synths that never look at a bundle. */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

/** The context of cdk.json: the app's default configuration and feature flags. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context;
}

/**
 * Synthesizes the default app (cdk.json's context, as bin/app.ts builds it but without the
 * compliance gates, without bundling and without CDK's built-in CloudFormation validation) into
 * `outdir`, a fresh temporary directory by default. The gates and template validation run over
 * the whole app elsewhere, once (test/compliance/gates.test.ts).
 *
 * @returns the directory of the cloud assembly.
 */
export function synthDefaultApp(outdir: string = mkdtempSync(path.join(tmpdir(), 'cdk-shared-'))): string {
  const app = new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING }, outdir, builtinCloudFormationValidation: false });
  new PipelineStack(app, 'PipelineStack', { config: loadConfig(app.node.getAllContext()) });
  app.synth();
  return outdir;
}

/**
 * The shared cloud assembly of the default app, read from the directory {@link SHARED_ASSEMBLY_ENV} names.
 *
 * @throws Error when the variable is unset or the directory holds no assembly: the global setup did not run.
 */
export function readSharedAssembly(): CloudAssembly {
  const dir = process.env[SHARED_ASSEMBLY_ENV];
  if (!dir) throw new Error(`${SHARED_ASSEMBLY_ENV} is not set: run the tests through jest (jest.config.js globalSetup synthesizes the shared assembly).`);
  return new CloudAssembly(dir);
}

/** Template of the stack at construct path `hierarchicalId` (`PipelineStack`, `PipelineStack/Dev/Stateful`) in `assembly` or its nested stage assemblies. */
export function assemblyTemplate(assembly: CloudAssembly, hierarchicalId: string): Record<string, any> {
  const assemblies = [assembly, ...assembly.nestedAssemblies.map((n) => n.nestedAssembly)];
  for (const a of assemblies) {
    const stack = a.stacks.find((s) => s.hierarchicalId === hierarchicalId);
    if (stack) return stack.template;
  }
  throw new Error(`the shared assembly ${assembly.directory} has no stack ${hierarchicalId}`);
}
