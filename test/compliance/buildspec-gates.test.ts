import { readFileSync } from 'fs';
import { parse } from 'yaml';
import { BUILDSPEC_FILE, buildCommands } from '../support/build-synth';

// The Build action's synth command itself runs, with every gate, in gates.test.ts.

describe('The synth step of the pipeline', () => {
  const spec = parse(readFileSync(BUILDSPEC_FILE, 'utf8'));
  const commands = buildCommands();

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
