/**
 * `npm test`: makes sure the pinned Python tools are there (scripts/ensure-python-tools.ts), then
 * type-checks (TypeScript 7's tsc, `--noEmit`) and runs jest side by side. Both must pass: the exit
 * code is jest's when the type-check passes, else the type-check's. Arguments go to jest
 * (`npm test -- --ci --reporters=default --reporters=jest-junit`). The type-check's output is
 * printed after jest's, so the two never interleave.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { ensurePythonTools } from './ensure-python-tools';
import { PYTHON_VENV } from '../support/python-tools';

const ROOT = path.join(__dirname, '..');

/**
 * TypeScript 7's compiler (the `typescript7` alias of typescript@7; `typescript` 5.9 stays for tools that use its API).
 * Single-threaded: jest already keeps every core busy, and tsc's own threads cost ~1.3 CPU-s more for the same 2.2 s.
 */
export const TYPE_CHECK_COMMAND: readonly string[] = [
  process.execPath,
  path.join(ROOT, 'node_modules', 'typescript7', 'bin', 'tsc'),
  '--noEmit',
  '--singleThreaded',
  '-p',
  path.join(ROOT, 'tsconfig.json'),
];

/** Exit code and captured output of a finished child. */
interface Finished {
  readonly code: number;
  readonly output: string;
}

function run(command: readonly string[], capture: boolean): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), {
      cwd: ROOT,
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    child.stdout?.on('data', (d) => {
      output += d;
    });
    child.stderr?.on('data', (d) => {
      output += d;
    });
    child.on('error', (e) => resolve({ code: 1, output: `${command.join(' ')} could not start: ${e.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/** What {@link runTestGate} runs; the defaults are npm test's. */
export interface TestGateOptions {
  /** @default ensurePythonTools */
  readonly ensureTools?: () => string;
  /** @default {@link TYPE_CHECK_COMMAND} */
  readonly typeCheck?: readonly string[];
  /** @default jest with `jestArgs` */
  readonly tests?: readonly string[];
  readonly jestArgs?: readonly string[];
  /** @default process.stdout / process.stderr */
  readonly out?: (text: string) => void;
  readonly err?: (text: string) => void;
}

/**
 * Runs npm test's gate (see the file's description) and resolves to its exit code.
 */
export async function runTestGate(options: TestGateOptions = {}): Promise<number> {
  const out = options.out ?? ((t: string) => process.stdout.write(t));
  const err = options.err ?? ((t: string) => process.stderr.write(t));
  try {
    const source = (options.ensureTools ?? ensurePythonTools)();
    if (source !== 'system') out(`Python tools: using ${PYTHON_VENV} (${source}).\n`);
  } catch (e) {
    err(`${(e as Error).message}\n`);
    return 1;
  }
  const tests = options.tests ?? [
    process.execPath,
    path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
    ...(options.jestArgs ?? []),
  ];
  const [typeCheck, testRun] = await Promise.all([
    run(options.typeCheck ?? TYPE_CHECK_COMMAND, true),
    run(tests, false),
  ]);
  if (typeCheck.code !== 0) {
    err(`\nType-check failed (exit ${typeCheck.code}):\n${typeCheck.output}`);
    return typeCheck.code;
  }
  out('Type-check passed (TypeScript 7, tsc --noEmit).\n');
  return testRun.code;
}

if (require.main === module) {
  runTestGate({ jestArgs: process.argv.slice(2) }).then((code) => process.exit(code));
}
