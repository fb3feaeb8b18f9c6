import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { timeCommand } from './measure';

/** A CodeBuild compute type the Build action can run on: its size and on-demand Linux price. */
export interface ComputeType {
  readonly name: string;
  readonly vcpus: number;
  readonly memoryGb: number;
  /** On-demand Linux price per build minute, USD (eu-west-2 list price, rounded). */
  readonly usdPerMinute: number;
}

/** The general1 types CDK's `codebuild.ComputeType` names SMALL, MEDIUM and LARGE. */
export const COMPUTE_TYPES: Readonly<Record<'SMALL' | 'MEDIUM' | 'LARGE', ComputeType>> = {
  SMALL: { name: 'BUILD_GENERAL1_SMALL', vcpus: 2, memoryGb: 3, usdPerMinute: 0.005 },
  MEDIUM: { name: 'BUILD_GENERAL1_MEDIUM', vcpus: 4, memoryGb: 7, usdPerMinute: 0.01 },
  LARGE: { name: 'BUILD_GENERAL1_LARGE', vcpus: 8, memoryGb: 15, usdPerMinute: 0.02 },
};

/**
 * Minutes the Build action spends outside its build commands, assumed (not measurable here): CodeBuild
 * provisioning and source download (0.5), and the install phase's runtime selection and
 * `pip install cfn-lint moto` (0.5).
 */
export const BUILD_OVERHEAD_MINUTES = { provisioning: 0.5, install: 0.5 } as const;

/** One build command of the buildspec and how it is timed. */
export interface BuildCommand {
  readonly command: string;
  /** `parallel`: spreads over the vCPUs (jest workers); `serial`: one process or the network (npm ci, synth, cfn-lint). */
  readonly scaling: 'parallel' | 'serial';
}

/** The buildspec's `phases.build.commands` with their `env.variables`. @throws Error naming the file when it has none. */
export function buildspecCommands(file: string): { commands: BuildCommand[]; env: Record<string, string> } {
  const spec = parse(readFileSync(file, 'utf8')) as {
    env?: { variables?: Record<string, unknown> };
    phases?: { build?: { commands?: unknown } };
  };
  const commands = spec?.phases?.build?.commands;
  if (!Array.isArray(commands) || commands.length === 0 || commands.some((c) => typeof c !== 'string')) {
    throw new Error(`${file}: expected phases.build.commands to be a non-empty list of commands.`);
  }
  const env = Object.fromEntries(Object.entries(spec.env?.variables ?? {}).map(([k, v]) => [k, String(v)]));
  return {
    commands: (commands as string[]).map((command) => ({
      command,
      scaling: /^npm (test|run test)\b|\bjest\b/.test(command) ? 'parallel' : 'serial',
    })),
    env,
  };
}

/** One timed build command. */
export interface TimedBuildCommand extends BuildCommand {
  readonly ms: number;
  readonly exitCode: number | null;
  /** Where it ran: the repository, or a scratch copy (npm ci, which would replace node_modules). */
  readonly where: 'repository' | 'scratch copy';
  readonly tail?: string;
}

/**
 * Runs each build command as the buildspec does (`bash -c`, its variables set, from the repository
 * root), one after the other, and times it. `npm ci` runs in a scratch directory holding copies of
 * package.json and package-lock.json, so the repository's node_modules stays as it is.
 * A failing command is timed and reported with its exit code; the commands after it still run.
 */
export function timeBuildCommands(
  root: string,
  commands: readonly BuildCommand[],
  env: Record<string, string>,
  log: (m: string) => void,
): TimedBuildCommand[] {
  return commands.map((c) => {
    const scratch = /^npm ci\b/.test(c.command);
    let cwd = root;
    if (scratch) {
      cwd = mkdtempSync(path.join(tmpdir(), 'bench-npm-ci-'));
      for (const f of ['package.json', 'package-lock.json']) copyFileSync(path.join(root, f), path.join(cwd, f));
    }
    log(`build action: ${c.command}${scratch ? ' (scratch copy)' : ''}`);
    try {
      const run = timeCommand('bash', ['-c', c.command], {
        cwd,
        env: { ...process.env, ...env },
        timeoutMs: 30 * 60_000,
      });
      return {
        ...c,
        ms: run.ms,
        exitCode: run.status,
        where: scratch ? 'scratch copy' : 'repository',
        ...(run.status === 0 ? {} : { tail: run.tail }),
      };
    } finally {
      if (scratch) rmSync(cwd, { recursive: true, force: true });
    }
  });
}

/** The Build action's modeled minutes on `type`, from commands timed on a machine with `hereCpus` CPUs. */
export interface BuildEstimate {
  readonly computeType: ComputeType;
  /** Minutes of the build commands as measured here. */
  readonly measuredMinutes: number;
  /** Minutes of the build commands scaled to `computeType` (parallel ones by hereCpus / vcpus). */
  readonly commandMinutes: number;
  /** commandMinutes plus {@link BUILD_OVERHEAD_MINUTES}. */
  readonly minutes: number;
  /** Cost of one Build action run on `computeType`, USD (billed by the started minute). */
  readonly usdPerRun: number;
}

/** Scales the timed commands to `type`: parallel commands by `hereCpus / type.vcpus` (never faster than 1x CPU count), serial ones as measured. */
export function estimateBuild(timed: readonly TimedBuildCommand[], hereCpus: number, type: ComputeType): BuildEstimate {
  const measuredMinutes = timed.reduce((sum, t) => sum + t.ms, 0) / 60_000;
  const commandMinutes =
    timed.reduce((sum, t) => sum + (t.scaling === 'parallel' ? t.ms * Math.min(1, hereCpus / type.vcpus) : t.ms), 0) /
    60_000;
  const minutes = commandMinutes + BUILD_OVERHEAD_MINUTES.provisioning + BUILD_OVERHEAD_MINUTES.install;
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    computeType: type,
    measuredMinutes: round(measuredMinutes),
    commandMinutes: round(commandMinutes),
    minutes: round(minutes),
    usdPerRun: round(Math.ceil(minutes) * type.usdPerMinute * 1000) / 1000,
  };
}
