import { spawnSync } from 'child_process';

/** Median of `values` (mean of the middle two for an even count). @throws Error on an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The outcome of one timed command. */
export interface TimedRun {
  readonly ms: number;
  readonly status: number | null;
  /** The last lines of stdout and stderr, for error messages. */
  readonly tail: string;
  readonly stdout: string;
}

/** Runs `command` to completion and measures its wall time. */
export function timeCommand(
  command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): TimedRun {
  const start = process.hrtime.bigint();
  const run = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutMs,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const output = `${run.stdout ?? ''}\n${run.stderr ?? ''}${run.error ? `\n${run.error.message}` : ''}`;
  return { ms, status: run.status, tail: output.trim().split('\n').slice(-15).join('\n'), stdout: run.stdout ?? '' };
}

/** Child script: times loading the module named by BENCH_MODULE, in-process, and prints the milliseconds. */
const LOAD_SCRIPT = `
const file = process.env.BENCH_MODULE;
const t0 = process.hrtime.bigint();
const done = () => { process.stdout.write('BENCH_LOAD_MS=' + Number(process.hrtime.bigint() - t0) / 1e6 + '\\n'); process.exit(0); };
const fail = (e) => { process.stderr.write(String(e && e.message || e).split('\\n')[0] + '\\n'); process.exit(2); };
if (file.endsWith('.mjs')) import(require('url').pathToFileURL(file).href).then(done, fail);
else { try { require(file); } catch (e) { fail(e); } done(); }
`;

/** Load times of a module in fresh Node.js processes, or the reason it does not load. */
export interface ModuleLoad {
  readonly runsMs: readonly number[];
  readonly medianMs?: number;
  readonly error?: string;
}

/**
 * Loads `file` in `runs` fresh `node` processes and times the load inside each (so Node's own start
 * is not counted). Modules the bundle leaves external (the AWS SDK) resolve from `nodePath`, as the
 * Lambda runtime provides them; `env` stands in for the function's environment.
 */
export function moduleLoadTimes(file: string, runs: number, nodePath: string, env: Readonly<Record<string, string>>): ModuleLoad {
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = spawnSync(process.execPath, ['-e', LOAD_SCRIPT], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH, NODE_PATH: nodePath, AWS_REGION: 'eu-west-2', AWS_LAMBDA_FUNCTION_NAME: 'bench',
        ...env, BENCH_MODULE: file,
      },
    });
    const ms = /BENCH_LOAD_MS=([\d.]+)/.exec(run.stdout ?? '')?.[1];
    if (run.status !== 0 || ms === undefined) {
      return { runsMs, error: (run.stderr || run.error?.message || `exit ${run.status}`).trim().split('\n')[0] };
    }
    runsMs.push(Number(ms));
  }
  return { runsMs, medianMs: median(runsMs) };
}
