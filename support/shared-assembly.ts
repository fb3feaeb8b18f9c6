import { spawn } from 'child_process';
import { existsSync, mkdtempSync, openSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { loadConfig } from '../lib/config';
import { PipelineStack } from '../lib/pipeline/pipeline-stack';
import { createPlatformStage } from '../stages/platform-stage';
import { testContext } from './test-config';

/** Environment variable naming the directory of the shared cloud assembly of the tests' app (set by the test run's global setup). */
export const SHARED_ASSEMBLY_ENV = 'SHARED_CLOUD_ASSEMBLY_DIR';

/** Context that turns off Lambda bundling (no stack is bundled): for synths that never look at a bundle. */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

/**
 * Synthesizes the tests' app (the config fixture of support/test-config.ts with cdk.json's feature flags, as bin/app.ts builds it but without the
 * compliance gates, without bundling and without CDK's built-in CloudFormation validation) into
 * `outdir`, a fresh temporary directory by default. The gates and template validation run over
 * the whole app elsewhere, once (test/compliance/gates.test.ts).
 *
 * @returns the directory of the cloud assembly.
 */
export function synthDefaultApp(outdir: string = mkdtempSync(path.join(tmpdir(), 'cdk-shared-'))): string {
  const app = new App({
    context: { ...testContext(), ...NO_BUNDLING },
    outdir,
    builtinCloudFormationValidation: false,
  });
  new PipelineStack(app, 'PipelineStack', {
    config: loadConfig(app.node.getAllContext()),
    stageFactory: createPlatformStage,
  });
  app.synth();
  return outdir;
}

/** File the background synthesis writes into the assembly directory when done: `{"ok":true}`, or `{"ok":false,"error":"..."}`. */
export const SHARED_ASSEMBLY_DONE_FILE = '.synthesis-done.json';

/** The background synthesis of {@link startSharedAssembly}. */
export interface SharedAssemblySynthesis {
  /** Directory the assembly is written to. */
  readonly dir: string;
  /** Process id of the synthesis (stop it with `process.kill`, for a run that ends first). */
  readonly pid: number;
}

/**
 * Starts {@link synthDefaultApp} in a child process (support/synth-shared-assembly.ts) writing to a
 * fresh temporary directory, and returns at once: the test run's first files, which do not read the
 * assembly, run meanwhile. {@link readSharedAssembly} waits for it.
 */
export function startSharedAssembly(): SharedAssemblySynthesis {
  const dir = mkdtempSync(path.join(tmpdir(), 'cdk-shared-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'synth-shared-assembly.ts'), dir], {
    cwd: path.join(__dirname, '..'),
    stdio: ['ignore', 'ignore', openSync(path.join(dir, '.synthesis.log'), 'w')],
  });
  child.unref();
  if (child.pid === undefined) throw new Error("the shared assembly's synthesis could not start");
  return { dir, pid: child.pid };
}

/**
 * The shared cloud assembly of the tests' app, read from the directory {@link SHARED_ASSEMBLY_ENV}
 * names once its synthesis is done (waiting for it, at most `timeoutMs`).
 *
 * @throws Error when the variable is unset (the global setup did not run), or with the synthesis's
 *   own error when it failed, or when it did not finish in time.
 */
export function readSharedAssembly(timeoutMs = 180_000): CloudAssembly {
  const dir = process.env[SHARED_ASSEMBLY_ENV];
  if (!dir)
    throw new Error(
      `${SHARED_ASSEMBLY_ENV} is not set: run the tests through jest (jest.config.js globalSetup synthesizes the shared assembly).`,
    );
  const done = path.join(dir, SHARED_ASSEMBLY_DONE_FILE);
  const until = Date.now() + timeoutMs;
  while (!existsSync(done)) {
    if (Date.now() > until)
      throw new Error(
        `the shared assembly in ${dir} was not synthesized within ${timeoutMs / 1000} s (see ${path.join(dir, '.synthesis.log')})`,
      );
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
  const result = JSON.parse(readFileSync(done, 'utf8')) as { ok: boolean; error?: string };
  if (!result.ok) throw new Error(`the shared assembly of the tests' app could not be synthesized: ${result.error}`);
  return new CloudAssembly(dir);
}

/** Template of the stack at construct path `hierarchicalId` (`PipelineStack`, `PipelineStack/Dev/Stateful`) in `assembly` or its nested stage assemblies. */
export function assemblyTemplate(assembly: CloudAssembly, hierarchicalId: string): Record<string, unknown> {
  const assemblies = [assembly, ...assembly.nestedAssemblies.map((n) => n.nestedAssembly)];
  for (const a of assemblies) {
    const stack = a.stacks.find((s) => s.hierarchicalId === hierarchicalId);
    if (stack) return stack.template;
  }
  throw new Error(`the shared assembly ${assembly.directory} has no stack ${hierarchicalId}`);
}
