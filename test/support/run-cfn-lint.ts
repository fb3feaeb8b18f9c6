import { spawnSync } from 'child_process';
import { readdirSync } from 'fs';
import * as path from 'path';

/** The cfn-lint version the pipeline installs (buildspec/synth.yml) and the tests expect. */
export const CFN_LINT_VERSION = '1.51.0';

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

/**
 * Runs cfn-lint with {@link CFN_LINT_CONFIG} over every template under `assemblyDir` and returns its
 * errors, warnings and informational findings.
 *
 * @throws Error saying how to install cfn-lint when it is not on PATH, or when it fails without findings.
 */
export function runCfnLint(assemblyDir: string, executable = 'cfn-lint'): CfnLintFinding[] {
  const templates = findTemplates(assemblyDir);
  if (templates.length === 0) throw new Error(`cfn-lint: no *.template.json under ${assemblyDir}; synthesize the app first.`);
  const run = spawnSync(executable, ['--config-file', CFN_LINT_CONFIG, '--format', 'parseable', '--', ...templates], { encoding: 'utf8' });
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing
      ? `cfn-lint is not installed (not found on PATH). Install it with: pip install cfn-lint==${CFN_LINT_VERSION}`
      : `cfn-lint could not run: ${run.error.message}`);
  }
  const findings = run.stdout.split('\n').filter((l) => l.trim()).map((line) => {
    // parseable: <file>:<line>:<col>:<endline>:<endcol>:<rule>:<message>
    const m = /^(.*?):(\d+):\d+:\d+:\d+:([EWI]\d+):(.*)$/.exec(line);
    if (!m) throw new Error(`cfn-lint: unexpected output line: ${line}`);
    return { template: path.relative(assemblyDir, m[1]), line: Number(m[2]), rule: m[3], message: m[4] };
  });
  if (run.status !== 0 && findings.length === 0) throw new Error(`cfn-lint exited ${run.status} without findings: ${run.stderr.trim()}`);
  return findings;
}
