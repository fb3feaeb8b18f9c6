import { spawnSync } from 'child_process';
import { existsSync, readFileSync, symlinkSync } from 'fs';
import * as path from 'path';

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
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
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

/**
 * Child script: loads the external modules named by BENCH_EXTERNALS (the SDK the bundle leaves out),
 * then the module named by BENCH_MODULE, timing both in-process, and prints the milliseconds.
 */
const LOAD_SCRIPT = `
const file = process.env.BENCH_MODULE;
const externals = JSON.parse(process.env.BENCH_EXTERNALS || '[]');
const now = () => Number(process.hrtime.bigint()) / 1e6;
const fail = (e) => { process.stderr.write(String(e && e.message || e).split('\\n')[0] + '\\n'); process.exit(2); };
(async () => {
  const esm = file.endsWith('.mjs');
  const load = (m) => esm ? import(m) : Promise.resolve(require(m));
  const t0 = now();
  for (const m of externals) { try { await load(m); } catch { /* the bundle reports what is missing */ } }
  const t1 = now();
  await load(esm ? require('url').pathToFileURL(file).href : file);
  const t2 = now();
  process.stdout.write('BENCH_LOAD_MS=' + (t2 - t0) + ' ' + (t1 - t0) + '\\n');
  process.exit(0);
})().catch(fail);
`;

/** Load times of a module in fresh Node.js processes, or the reason it does not load. */
export interface ModuleLoad {
  /** Whole load (external SDK modules included) of each run. */
  readonly runsMs: readonly number[];
  /** Median whole load. */
  readonly medianMs?: number;
  /** Median share of the external modules (the AWS SDK) in the load. */
  readonly externalMedianMs?: number;
  /** The external modules the bundle requires. */
  readonly externals: readonly string[];
  readonly error?: string;
}

/** The `@aws-sdk/*` (and `@smithy/*`) modules a bundle requires or imports at run time. */
export function externalModules(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/(?:require\(|from\s*|import\()\s*["']((?:@aws-sdk|@smithy)\/[^"']+)["']/g))
    found.add(m[1]);
  return [...found].sort();
}

/**
 * Loads `file` in `runs` fresh `node` processes and times the load inside each (so Node's own start
 * is not counted). Modules the bundle leaves external (the AWS SDK) resolve from `nodePath`, as the
 * Lambda runtime provides them, and are timed first so their share shows; `env` stands in for the
 * function's environment. An `.mjs` bundle's directory gets a `node_modules` link to `nodePath`.
 */
export function moduleLoadTimes(
  file: string,
  runs: number,
  nodePath: string,
  env: Readonly<Record<string, string>>,
): ModuleLoad {
  const externals = externalModules(readFileSync(file, 'utf8'));
  // ES modules ignore NODE_PATH: give an .mjs bundle's directory a node_modules link instead.
  const link = path.join(path.dirname(file), 'node_modules');
  if (file.endsWith('.mjs') && !existsSync(link)) symlinkSync(nodePath, link, 'dir');
  const runsMs: number[] = [];
  const externalMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = spawnSync(process.execPath, ['-e', LOAD_SCRIPT], {
      cwd: path.dirname(file),
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        NODE_PATH: nodePath,
        AWS_REGION: 'eu-west-2',
        AWS_LAMBDA_FUNCTION_NAME: 'bench',
        ...env,
        BENCH_MODULE: file,
        BENCH_EXTERNALS: JSON.stringify(externals),
      },
    });
    const match = /BENCH_LOAD_MS=([\d.]+) ([\d.]+)/.exec(run.stdout ?? '');
    if (run.status !== 0 || !match) {
      return {
        runsMs,
        externals,
        error: (run.stderr || run.error?.message || `exit ${run.status}`).trim().split('\n')[0],
      };
    }
    runsMs.push(Number(match[1]));
    externalMs.push(Number(match[2]));
  }
  return { runsMs, externals, medianMs: median(runsMs), externalMedianMs: median(externalMs) };
}
