import { existsSync } from 'fs';
import * as path from 'path';

/** The one command that installs the pinned Python tools (requirements-dev.txt) into .venv/, from the repository root. */
export const PYTHON_TOOLS_INSTALL_COMMAND =
  'python3 -m venv .venv && .venv/bin/python -m pip install -r requirements-dev.txt';

/**
 * The executable of a Python tool (`cfn-lint`, `moto_server`, `python3`) as npm test's first step
 * (scripts/python-tools.sh) provides it: the project's .venv/ copy when there is one, else the name,
 * found on PATH.
 */
export function pythonTool(name: string): string {
  const inVenv = path.join(__dirname, '..', '.venv', 'bin', name);
  return existsSync(inVenv) ? inVenv : name;
}
