/**
 * Run first by `npm test`: makes sure the pinned Python tools (requirements-dev.txt: cfn-lint,
 * moto[server] and their whole dependency closure) are there. It uses, in order: the project's
 * .venv/ when it has them; the system python3 when it has them; else it creates .venv/ and installs
 * the pinned set into it. When that install fails (no package index reachable, say) it stops at once
 * with the one command that does it.
 */
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import * as path from 'path';
import {
  PYTHON_REQUIREMENTS,
  PYTHON_TOOLS_INSTALL_COMMAND,
  PYTHON_VENV,
  readPythonPins,
  venvBin,
} from '../support/python-tools';

/** Runs a command; returns its exit status and output. */
export type Runner = (
  command: string,
  args: readonly string[],
) => { readonly status: number | null; readonly stdout: string; readonly stderr: string };

const defaultRunner: Runner = (command, args) => {
  const run = spawnSync(command, args, { encoding: 'utf8' });
  return {
    status: run.error ? null : run.status,
    stdout: run.stdout ?? '',
    stderr: run.error ? run.error.message : (run.stderr ?? ''),
  };
};

/**
 * Python that prints, as JSON, each pinned distribution whose installed version differs (null: not
 * installed), and each tool module that cannot be found (located without importing it: importing
 * cfn-lint alone takes a second, and the tests run both tools anyway).
 */
const CHECK_SNIPPET = `
import json, sys, importlib.metadata as md
pins = json.loads(sys.argv[1])
bad = {}
for name, want in pins.items():
    try:
        have = md.version(name)
    except md.PackageNotFoundError:
        have = None
    if have != want:
        bad[name] = have
import importlib.util
for module in ('cfnlint', 'moto.server'):
    try:
        found = importlib.util.find_spec(module) is not None
    except Exception as e:
        found = False
    if not found:
        bad['import ' + module] = 'module not found'
print(json.dumps(bad))
`;

/**
 * The pinned distributions a Python interpreter lacks or has at another version (empty: all there).
 * An interpreter that cannot run reports that as its one problem.
 */
export function missingPins(python: string, pins: ReadonlyMap<string, string>, run: Runner = defaultRunner): string[] {
  const result = run(python, ['-c', CHECK_SNIPPET, JSON.stringify(Object.fromEntries(pins))]);
  if (result.status !== 0) return [`${python} could not run: ${result.stderr.trim() || `exit ${result.status}`}`];
  const bad = JSON.parse(result.stdout) as Record<string, string | null>;
  return Object.entries(bad).map(([name, have]) =>
    name.startsWith('import ')
      ? `${name} failed: ${have}`
      : `${name}==${pins.get(name)} (${have === null ? 'not installed' : `found ${have}`})`,
  );
}

/** Options of {@link ensurePythonTools}. */
export interface EnsureOptions {
  /** @default the repository's .venv/ */
  readonly venv?: string;
  /** @default the repository's requirements-dev.txt */
  readonly requirements?: string;
  /** @default python3 on PATH */
  readonly systemPython?: string;
  /** @default spawnSync */
  readonly run?: Runner;
  /** @default console.log */
  readonly log?: (line: string) => void;
}

/** Which Python provides the tools after {@link ensurePythonTools}. */
export type ToolSource = 'venv' | 'system' | 'venv (installed now)';

/**
 * Makes the pinned Python tools available (see the file's description).
 *
 * @throws Error with the exact install command when they are missing and cannot be installed.
 */
export function ensurePythonTools(options: EnsureOptions = {}): ToolSource {
  const venv = options.venv ?? PYTHON_VENV;
  const requirements = options.requirements ?? PYTHON_REQUIREMENTS;
  const run = options.run ?? defaultRunner;
  const log = options.log ?? console.log;
  const pins = readPythonPins(requirements);
  const venvPython = path.join(venvBin(venv), 'python');

  if (existsSync(venvPython) && missingPins(venvPython, pins, run).length === 0) return 'venv';
  if (!existsSync(venv)) {
    const missing = missingPins(options.systemPython ?? 'python3', pins, run);
    if (missing.length === 0) return 'system';
    log(
      `Python tools: the system python3 lacks ${missing.length} pinned package(s) (${missing.slice(0, 3).join('; ')}${missing.length > 3 ? '; ...' : ''}); installing them into ${venv}.`,
    );
    const created = run(options.systemPython ?? 'python3', ['-m', 'venv', venv]);
    if (created.status !== 0) throw installError(`python3 -m venv failed: ${created.stderr.trim()}`);
  }
  const installed = run(venvPython, [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '--retries',
    '1',
    '--timeout',
    '15',
    '-r',
    requirements,
  ]);
  if (installed.status !== 0) throw installError(`pip install failed: ${lastLines(installed.stderr)}`);
  const still = missingPins(venvPython, pins, run);
  if (still.length > 0) throw installError(`after pip install, ${venv} still lacks: ${still.join('; ')}`);
  return 'venv (installed now)';
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}

function installError(reason: string): Error {
  return new Error(
    `The pinned Python tools (cfn-lint, moto[server]) are missing and could not be installed: ${reason}\n` +
      `Install them with this command, from the repository root, then run npm test again:\n  ${PYTHON_TOOLS_INSTALL_COMMAND}`,
  );
}

if (require.main === module) {
  try {
    const source = ensurePythonTools();
    if (source !== 'system') console.log(`Python tools: using ${PYTHON_VENV} (${source}).`);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
