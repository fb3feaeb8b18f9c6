import { spawnSync } from 'child_process';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { buildspecCommands } from '../../bench/build-action';

const ROOT = path.join(__dirname, '..', '..');

/** The buildspec of the pipeline's Build action. */
export const BUILDSPEC_FILE = path.join(ROOT, 'buildspec', 'synth.yml');

/** The Build action's build commands, in order (`phases.build.commands` of {@link BUILDSPEC_FILE}). */
export function buildCommands(): string[] {
  return buildspecCommands(BUILDSPEC_FILE).commands.map((c) => c.command);
}

/**
 * The CDK CLI arguments of the Build action's one `npx cdk synth` command (`synth -c ...`).
 *
 * @throws Error when the build phase has no such command, or more than one.
 */
export function buildSynthArguments(): string[] {
  const synths = buildCommands().filter((c) => /^npx cdk synth\b/.test(c));
  if (synths.length !== 1)
    throw new Error(`${BUILDSPEC_FILE}: expected one 'npx cdk synth' build command, found ${synths.length}`);
  return synths[0].split(/\s+/).slice(2);
}

/** Result of {@link runBuildSynth}. */
export interface BuildSynth {
  /** The cloud assembly the command wrote. */
  readonly outdir: string;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment variable naming the assembly the whole-app gates check (test/compliance/gates.test.ts):
 * the Build action sets it to the directory its synth command has just written (buildspec/synth.yml
 * `env.variables`); without it the gates run the Build action's synth themselves ({@link runBuildSynth}).
 */
export const BUILD_ASSEMBLY_ENV = 'BUILD_ASSEMBLY';

/**
 * Runs the Build action's synth command as the buildspec runs it (the project's CDK CLI, cdk.json's
 * app and context, bundling, every gate bin/app.ts applies with the command's `-c` flags), writing
 * to a fresh temporary directory instead of cdk.out. The test run's synth settings
 * (test/support/test-synth-settings.ts) are removed from its environment, so nothing is switched off.
 */
export function runBuildSynth(): BuildSynth {
  const outdir = mkdtempSync(path.join(tmpdir(), 'build-synth-'));
  const env = { ...process.env };
  delete env.CDK_VALIDATION;
  delete env.CDK_CONTEXT_JSON;
  const run = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'cdk'),
    [...buildSynthArguments(), '--output', outdir],
    {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (run.error) throw new Error(`the Build action's synth could not start: ${run.error.message}`);
  return { outdir, status: run.status, stdout: run.stdout, stderr: run.stderr };
}
