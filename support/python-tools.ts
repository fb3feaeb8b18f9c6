import { existsSync, readFileSync } from 'fs';
import * as path from 'path';

const REPO_ROOT = path.join(__dirname, '..');

/** The exact pins of every Python tool the build and the tests use, with their whole dependency closure. */
export const PYTHON_REQUIREMENTS = path.join(REPO_ROOT, 'requirements-dev.txt');

/** The project-local virtual environment `npm test` creates when the pinned tools are missing. */
export const PYTHON_VENV = path.join(REPO_ROOT, '.venv');

/** The one command that installs the pinned Python tools into {@link PYTHON_VENV} (run from the repository root). */
export const PYTHON_TOOLS_INSTALL_COMMAND =
  'python3 -m venv .venv && .venv/bin/python -m pip install -r requirements-dev.txt';

/** A distribution name as pip compares it (PEP 503): lower case, runs of `-_.` as one `-`. */
export function normalizeDistName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * The pins of a requirements file, by normalized distribution name.
 *
 * @throws Error naming the line when a requirement is not an exact `name==version` pin.
 */
export function readPythonPins(file = PYTHON_REQUIREMENTS): Map<string, string> {
  const pins = new Map<string, string>();
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.replace(/#.*$/, '').trim();
      if (line === '') return;
      const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([A-Za-z0-9.+!_-]+)$/.exec(line);
      if (!m)
        throw new Error(
          `${file}:${i + 1}: "${line}" is not an exact pin; expected name==version (every dependency pinned exactly).`,
        );
      pins.set(normalizeDistName(m[1]), m[3]);
    });
  return pins;
}

/**
 * The exact version {@link PYTHON_REQUIREMENTS} pins for a distribution.
 *
 * @throws Error when the file does not pin it.
 */
export function pinnedPythonVersion(name: string, file = PYTHON_REQUIREMENTS): string {
  const version = readPythonPins(file).get(normalizeDistName(name));
  if (version === undefined) throw new Error(`${file} does not pin ${name}; expected a line ${name}==<version>.`);
  return version;
}

/** Where a virtual environment keeps its executables. */
export function venvBin(venv = PYTHON_VENV): string {
  return path.join(venv, process.platform === 'win32' ? 'Scripts' : 'bin');
}

/**
 * The executable to run for a Python tool (`cfn-lint`, `moto_server`, `python`): the one in
 * {@link PYTHON_VENV} when that environment exists, else the bare name (found on PATH).
 */
export function pythonTool(name: string, venv = PYTHON_VENV): string {
  const inVenv = path.join(venvBin(venv), name);
  return existsSync(venv) && existsSync(inVenv) ? inVenv : name;
}
