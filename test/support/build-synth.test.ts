import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ASSEMBLY_INPUTS, BUILD_ASSEMBLY_ENV, BuildSynth, gatedAssembly } from './build-synth';
import { importGraph, reachableFrom, SOURCE_DIRS } from './import-graph';

// How gates.test.ts picks the assembly it checks: in the Build action, the one its synth has just
// written (BUILD_ASSEMBLY); anywhere else, a synth of its own.
describe('gatedAssembly', () => {
  const ranHere: BuildSynth = { outdir: '/tmp/synthesized-here', status: 0, stdout: '', stderr: '' };
  const noSynth = (): BuildSynth => {
    throw new Error('synthesized although an assembly was given');
  };

  /** A checkout with one app input (lib/app.ts) and an assembly (cdk.out) written `assemblyAge` seconds after it. */
  function checkout(assemblyAge: number, input = new Date('2026-01-01T12:00:00Z')): string {
    const root = mkdtempSync(path.join(tmpdir(), 'gated-assembly-'));
    mkdirSync(path.join(root, 'lib'));
    mkdirSync(path.join(root, 'cdk.out'));
    writeFileSync(path.join(root, 'lib', 'app.ts'), '');
    writeFileSync(path.join(root, 'cdk.out', 'manifest.json'), '{}');
    utimesSync(path.join(root, 'lib', 'app.ts'), input, input);
    const written = new Date(input.getTime() + assemblyAge * 1000);
    utimesSync(path.join(root, 'cdk.out', 'manifest.json'), written, written);
    return root;
  }

  it("runs the Build action's synth here when the variable is unset or empty", () => {
    expect(gatedAssembly({}, checkout(60), () => ranHere)).toEqual({ source: 'synthesized here', ...ranHere });
    expect(gatedAssembly({ [BUILD_ASSEMBLY_ENV]: '' }, checkout(60), () => ranHere).source).toBe('synthesized here');
  });

  it('checks the given assembly, relative to the checkout, without synthesizing, when it is newer than every input', () => {
    const root = checkout(60);
    expect(gatedAssembly({ [BUILD_ASSEMBLY_ENV]: 'cdk.out' }, root, noSynth)).toEqual({
      source: 'given',
      outdir: path.join(root, 'cdk.out'),
    });
  });

  it('refuses an assembly older than an input of the app, naming the file and the command to run', () => {
    const root = checkout(-60);
    expect(() => gatedAssembly({ [BUILD_ASSEMBLY_ENV]: 'cdk.out' }, root, noSynth)).toThrow(
      /^BUILD_ASSEMBLY=cdk\.out: the assembly is older than lib\/app\.ts; run the Build action's synth \(npx cdk synth -c gates\.controlTower=true -c gates\.cfnValidation=true\) first/,
    );
  });

  it('does not count an input dated in the future (a commit time from a clock that runs ahead) as changed after the synth', () => {
    const root = checkout(-60, new Date(Date.now() + 3_600_000));
    expect(gatedAssembly({ [BUILD_ASSEMBLY_ENV]: 'cdk.out' }, root, noSynth).source).toBe('given');
  });

  it('counts every project file the synth loads as an input: all that bin/app.ts reaches lies under ASSEMBLY_INPUTS', () => {
    const root = path.join(__dirname, '..', '..');
    const synthPath = [...reachableFrom(importGraph(root, SOURCE_DIRS), 'bin/app.ts')];
    expect(synthPath.length).toBeGreaterThan(20);
    expect(synthPath.filter((f) => !ASSEMBLY_INPUTS.some((input) => f === input || f.startsWith(`${input}/`)))).toEqual(
      [],
    );
  });

  it('refuses a directory that holds no cloud assembly', () => {
    const root = checkout(60);
    expect(() => gatedAssembly({ [BUILD_ASSEMBLY_ENV]: 'missing.out' }, root, noSynth)).toThrow(
      `BUILD_ASSEMBLY=missing.out: ${path.join(root, 'missing.out')} holds no cloud assembly (no manifest.json)`,
    );
  });
});
