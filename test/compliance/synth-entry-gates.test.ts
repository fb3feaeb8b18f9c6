import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { COMPLIANCE_REPORT_FILE } from '../support/compliance-report';

describe('bin/app.ts, as `cdk synth` runs it', () => {
  // GIVEN the app entry point run the way the CDK CLI runs it (a separate process writing to CDK_OUTDIR)
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-entry-'));
  const run = spawnSync(path.join('node_modules', '.bin', 'tsx'), ['bin/app.ts'], {
    encoding: 'utf8',
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ ...JSON.parse(readFileSync('cdk.json', 'utf8')).context, 'aws:cdk:bundling-stacks': [] }) },
  });

  it('runs the compliance gates on every synth and passes them', () => {
    expect(run.stderr).not.toMatch(/Validation failed/);
    expect(run.status).toBe(0);
    expect(existsSync(path.join(outdir, COMPLIANCE_REPORT_FILE))).toBe(true);
  });
});

describe('The synth step of the pipeline', () => {
  const spec = parse(readFileSync(path.join('buildspec', 'synth.yml'), 'utf8'));
  const commands: string[] = spec.phases.build.commands;

  it('lints every synthesized template, nested stage assemblies included, once, after cdk synth', () => {
    const lint = commands.findIndex((c) => c.startsWith('cfn-lint '));
    expect(lint).toBeGreaterThan(commands.findIndex((c) => c.startsWith('npx cdk synth')));
    expect(commands[lint]).toBe("cfn-lint --config-file .cfnlintrc.yaml -- 'cdk.out/**/*.template.json'");
    expect(commands.filter((c) => c.startsWith('cfn-lint '))).toHaveLength(1);
  });

  it('runs the Control Tower controls and CDK\'s built-in validation over the assembly it deploys, in its one synth', () => {
    const synths = commands.filter((c) => /\bcdk synth\b/.test(c));
    expect(synths).toEqual(['npx cdk synth -c gates.controlTower=true -c gates.cfnValidation=true']);
  });

  it('installs the whole pinned Python tool set the tests use (requirements-dev.txt), nothing unpinned', () => {
    const pipInstalls = spec.phases.install.commands.filter((c: string) => /\bpip\b/.test(c));
    expect(pipInstalls).toEqual(['pip install --quiet -r requirements-dev.txt']);
  });

  it('runs on Node.js 22 and Python 3.11', () => {
    expect(spec.phases.install['runtime-versions']).toEqual({ nodejs: 22, python: 3.11 });
  });
});
