import { readFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { BUILD_ASSEMBLY_ENV, BUILDSPEC_FILE, buildCommands } from '../support/build-synth';

// The Build action's synth command itself runs, with every gate, in gates.test.ts.

describe('The synth step of the pipeline', () => {
  const spec = parse(readFileSync(BUILDSPEC_FILE, 'utf8'));
  const commands = buildCommands();

  it('synthesizes, then tests that very assembly: the tests get the directory the synth writes (cdk.out)', () => {
    const synth = commands.findIndex((c) => c.startsWith('npx cdk synth'));
    const test = commands.findIndex((c) => c.startsWith('npm test'));
    expect(synth).toBeGreaterThan(commands.indexOf('npm ci'));
    expect(test).toBeGreaterThan(synth);
    // The synth command writes the CLI's default output directory, the step's primary output.
    expect(commands[synth]).not.toMatch(/\s(-o|--output)\b/);
    expect(spec.env.variables[BUILD_ASSEMBLY_ENV]).toBe('cdk.out');
  });

  it('lints every template through the tests alone: cfn-lint runs once, in gates.test over that assembly', () => {
    expect(commands.filter((c) => /\bcfn-lint\b/.test(c))).toEqual([]);
    expect(readFileSync(path.join(__dirname, 'gates.test.ts'), 'utf8')).toMatch(/runCfnLint\(build\.outdir/);
  });

  it("runs the Control Tower controls and CDK's built-in validation over the assembly it deploys, in its one synth", () => {
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
