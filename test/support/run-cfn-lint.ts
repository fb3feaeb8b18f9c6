import { spawnSync } from 'child_process';
import { readdirSync } from 'fs';
import { devNull } from 'os';
import * as path from 'path';
import { PYTHON_TOOLS_INSTALL_COMMAND, pythonTool } from '../../support/python-tools';

/** The one config file that lists ignored rules with their reasons. */
export const CFN_LINT_CONFIG = path.join(__dirname, '..', '..', '.cfnlintrc.yaml');

/** One cfn-lint finding. */
export interface CfnLintFinding {
  readonly template: string;
  readonly line: number;
  readonly rule: string;
  readonly message: string;
}

/** Every `*.template.json` under `dir`, nested assemblies (stages) included. */
export function findTemplates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return findTemplates(full);
    return e.name.endsWith('.template.json') ? [full] : [];
  });
}

/** Options of {@link runCfnLint}. */
export interface CfnLintOptions {
  /**
   * The config file; `null` lints with no config at all (no ignored rule; cfn-lint's own
   * `.cfnlintrc*` lookup is turned off too).
   * @default {@link CFN_LINT_CONFIG}
   */
  readonly configFile?: string | null;
  /** @default cfn-lint of the project's .venv/ when there is one, else cfn-lint on PATH */
  readonly executable?: string;
}

/**
 * Runs cfn-lint over every template under `assemblyDir` and returns its errors, warnings and
 * informational findings.
 *
 * @throws Error saying how to install cfn-lint when it is missing, or when it fails without findings.
 */
export function runCfnLint(assemblyDir: string, options: CfnLintOptions = {}): CfnLintFinding[] {
  const templates = findTemplates(assemblyDir);
  if (templates.length === 0)
    throw new Error(`cfn-lint: no *.template.json under ${assemblyDir}; synthesize the app first.`);
  const executable = options.executable ?? pythonTool('cfn-lint');
  const config = options.configFile === undefined ? CFN_LINT_CONFIG : (options.configFile ?? devNull);
  const run = spawnSync(executable, ['--config-file', config, '--format', 'parseable', '--', ...templates], {
    encoding: 'utf8',
  });
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? `cfn-lint is not installed (${executable} not found). Run npm test, which installs the pinned Python tools, or: ${PYTHON_TOOLS_INSTALL_COMMAND}`
        : `cfn-lint could not run: ${run.error.message}`,
    );
  }
  const findings = run.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((line) => {
      // parseable: <file>:<line>:<col>:<endline>:<endcol>:<rule>:<message>
      const m = /^(.*?):(\d+):\d+:\d+:\d+:([EWI]\d+):(.*)$/.exec(line);
      if (!m) throw new Error(`cfn-lint: unexpected output line: ${line}`);
      return { template: path.relative(assemblyDir, m[1]), line: Number(m[2]), rule: m[3], message: m[4] };
    });
  if (run.status !== 0 && findings.length === 0)
    throw new Error(`cfn-lint exited ${run.status} without findings: ${run.stderr.trim()}`);
  return findings;
}
