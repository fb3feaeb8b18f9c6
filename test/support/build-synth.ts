import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'fs';
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
 * The environment variable the Build action sets (buildspec/synth.yml `env.variables`) to the
 * directory its synth command has just written, so that `npm test` checks that very assembly
 * instead of synthesizing the app a second time.
 */
export const BUILD_ASSEMBLY_ENV = 'BUILD_ASSEMBLY';

/** The app's inputs: a file here newer than an assembly's manifest.json makes that assembly stale. */
export const ASSEMBLY_INPUTS: readonly string[] = [
  'bin',
  'contracts',
  'lib',
  'stages',
  'lambda',
  'buildspec',
  'cdk.json',
  'package-lock.json',
  'tsconfig.json',
];

/** The assembly the gates check: the one the Build action's synth wrote, or a synth run here. */
export type GatedAssembly =
  ({ readonly source: 'synthesized here' } & BuildSynth) | { readonly source: 'given'; readonly outdir: string };

/**
 * Inputs changed after `since`. A file dated in the future says nothing either way (a checkout can
 * carry a commit time from a clock that runs ahead), so only times up to `now` count.
 */
function changedInputs(root: string, entries: readonly string[], since: number, now: number): string[] {
  return entries.flatMap((entry) => {
    const file = path.join(root, entry);
    if (!existsSync(file)) return [];
    const stat = statSync(file);
    if (stat.isDirectory())
      return changedInputs(
        root,
        readdirSync(file).map((e) => path.join(entry, e)),
        since,
        now,
      );
    return stat.mtimeMs > since && stat.mtimeMs <= now ? [entry] : [];
  });
}

/**
 * The assembly named by {@link BUILD_ASSEMBLY_ENV} (relative to `root`), after checking that it is a
 * cloud assembly and that no input of the app ({@link ASSEMBLY_INPUTS}) changed after it was written; without the
 * variable (or with it empty), runs the Build action's synth here (`synth`, {@link runBuildSynth}).
 *
 * @throws Error naming the variable, the directory and what to do, when the assembly is missing or stale.
 */
export function gatedAssembly(
  env: NodeJS.ProcessEnv = process.env,
  root = ROOT,
  synth: () => BuildSynth = runBuildSynth,
): GatedAssembly {
  const given = env[BUILD_ASSEMBLY_ENV];
  if (given === undefined || given === '') return { source: 'synthesized here', ...synth() };
  const outdir = path.resolve(root, given);
  const manifest = path.join(outdir, 'manifest.json');
  const rerun = `run the Build action's synth (npx cdk ${buildSynthArguments().join(' ')}) first, or unset ${BUILD_ASSEMBLY_ENV} to synthesize in the tests`;
  if (!existsSync(manifest))
    throw new Error(`${BUILD_ASSEMBLY_ENV}=${given}: ${outdir} holds no cloud assembly (no manifest.json); ${rerun}.`);
  const newer = changedInputs(root, ASSEMBLY_INPUTS, statSync(manifest).mtimeMs, Date.now());
  if (newer.length > 0) {
    const shown = newer.slice(0, 5).join(', ') + (newer.length > 5 ? ` and ${newer.length - 5} more` : '');
    throw new Error(`${BUILD_ASSEMBLY_ENV}=${given}: the assembly is older than ${shown}; ${rerun}.`);
  }
  return { source: 'given', outdir };
}

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
