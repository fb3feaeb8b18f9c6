import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { isBuiltin } from 'module';
import { tmpdir } from 'os';
import * as path from 'path';
import type { ImportGraph } from './support/import-graph';
import { importersOf, importGraph, importsAcross, reachableFrom, SOURCE_DIRS } from './support/import-graph';

const ROOT = path.join(__dirname, '..');
/** The synth path: what `cdk synth` runs (cdk.json's app). */
const SYNTH_ENTRY = 'bin/app.ts';

/** Product folders: every source folder but test/. */
const PRODUCT_DIRS = SOURCE_DIRS.filter((d) => d !== 'test');

/**
 * Imports of a module in a `private/` folder from product code outside lambda/: lambda/pipeline/private/
 * is the handlers' own; code outside lambda/ uses lambda/pipeline's public modules (check-runner, review-runner).
 * Tests under test/ mirror the source tree and may import a private module to unit-test it, as aws-cdk-lib's
 * own tests do, so test/ is not checked.
 */
function privateImports(graph: ImportGraph): string[] {
  const outside = PRODUCT_DIRS.filter((d) => d !== 'lambda');
  return importsAcross(graph, outside, SOURCE_DIRS).filter((line) => line.split(' imports ')[1].includes('/private/'));
}

/**
 * Packages a contracts/ file loads at run time (`import ... from '<package>'` that is not `import type`),
 * Node's built-ins aside: a handler bundles contracts/, so it must not pull a construct library in.
 */
function contractsRuntimePackages(root: string): string[] {
  const dir = path.join(root, 'contracts');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) =>
      [
        ...readFileSync(path.join(dir, f), 'utf8').matchAll(
          /^(?:import|export)\s+(?!type\b)(?:[^;']*?from\s+)?'([^'.][^']*)'/gm,
        ),
      ]
        .map((m) => m[1])
        .filter((pkg) => !isBuiltin(pkg))
        .map((pkg) => `contracts/${f} loads ${pkg}`),
    );
}

/** lib/ modules that nothing on the synth path imports, each with the files that do import it. */
function libModulesOffSynthPath(root: string): string[] {
  const graph = importGraph(root, SOURCE_DIRS);
  const synthPath = reachableFrom(graph, SYNTH_ENTRY);
  return [...graph.imports.keys()]
    .filter((f) => f.startsWith('lib/') && !synthPath.has(f))
    .map((f) => `${f} (imported by: ${importersOf(graph, f).join(', ') || 'nothing'})`);
}

describe('repository layout', () => {
  const graph = importGraph(ROOT, SOURCE_DIRS);

  it('keeps test/ to itself: nothing in bin/, contracts/, lib/, stages/, lambda/, support/, scripts/ or bench/ imports from test/', () => {
    expect(importsAcross(graph, PRODUCT_DIRS, ['test'])).toEqual([]);
  });

  it('keeps contracts/ a leaf: the names and shapes shared by constructs and handlers import no other folder', () => {
    expect(
      importsAcross(
        graph,
        ['contracts'],
        SOURCE_DIRS.filter((d) => d !== 'contracts'),
      ),
    ).toEqual([]);
  });

  it('keeps contracts/ light: it loads no npm package at run time (type-only imports and Node built-ins aside)', () => {
    expect(contractsRuntimePackages(ROOT)).toEqual([]);
  });

  it('keeps lambda/ free of construct code: no handler imports lib/, stages/ or bin/ (shared names come from contracts/)', () => {
    expect(importsAcross(graph, ['lambda'], ['bin', 'lib', 'stages'])).toEqual([]);
  });

  it('keeps private/ folders private: nothing outside lambda/ and test/ imports one', () => {
    expect(privateImports(graph)).toEqual([]);
  });

  it('keeps the pipeline independent of the stage it delivers: lib/ imports nothing from stages/ (bin/app.ts passes the stage factory)', () => {
    expect(importsAcross(graph, ['lib'], ['stages'])).toEqual([]);
  });

  it('holds in lib/ only what synth uses: every lib/ module is reachable from bin/app.ts', () => {
    // A helper only tests use belongs in test/support/; one bench also uses, in support/.
    expect(libModulesOffSynthPath(ROOT)).toEqual([]);
  });

  it('sees the graph it checks: bin/app.ts reaches the pipeline stack and the compliance gates', () => {
    const synthPath = reachableFrom(graph, SYNTH_ENTRY);
    expect(synthPath).toContain('lib/pipeline/pipeline-stack.ts');
    expect(synthPath).toContain('lib/compliance/compliance-gates.ts');
    expect(synthPath).toContain('stages/platform-stage.ts');
  });

  describe('on a small repository', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'layout-'));
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    };
    write('bin/app.ts', "import { a } from '../lib/a';\nexport const x = a;\n");
    write('lib/a.ts', "export type { B } from './b';\nexport const a = 1;\n");
    write('lib/b.ts', 'export type B = number;\n');
    write('lib/test-only.ts', "import { h } from '../test/support/h';\nexport const t = h;\n");
    write('test/support/h.ts', 'export const h = 1;\n');
    write(
      'test/a.test.ts',
      "import { t } from '../lib/test-only';\nconst dyn = import('../lib/a');\nexport { t, dyn };\n",
    );
    write('bench/run.ts', "const h = require('../test/support/h');\nexport { h };\n");
    write(
      'contracts/names.ts',
      "import { Duration } from 'aws-cdk-lib';\nimport type { Stack } from 'aws-cdk-lib';\nimport * as path from 'path';\n" +
        "import 'reflect-metadata';\nimport { sep } from 'node:path';\nimport { x } from './x';\nexport const d = Duration.days(1);\n",
    );
    write('lambda/pipeline/private/p.ts', 'export const p = 1;\n');
    write('lambda/pipeline/runner.ts', "export { p } from './private/p';\n");
    write(
      'scripts/cli.ts',
      "import { p } from '../lambda/pipeline/private/p';\nimport { q } from '../lambda/pipeline/runner';\n",
    );
    write('test/lambda/p.test.ts', "import { p } from '../../lambda/pipeline/private/p';\nexport { p };\n");

    it('reports a lib/ module that only tests import', () => {
      expect(libModulesOffSynthPath(root)).toEqual(['lib/test-only.ts (imported by: test/a.test.ts)']);
    });

    it('reports an import of a private/ module from outside lambda/, but not from lambda/ itself or from test/', () => {
      expect(privateImports(importGraph(root, SOURCE_DIRS))).toEqual([
        'scripts/cli.ts imports lambda/pipeline/private/p.ts',
      ]);
    });

    it('reports a package a contracts/ file loads at run time (side-effect imports too), but not a type-only import or a Node built-in', () => {
      expect(contractsRuntimePackages(root)).toEqual([
        'contracts/names.ts loads aws-cdk-lib',
        'contracts/names.ts loads reflect-metadata',
      ]);
    });

    it('reports imports from test/, including require()', () => {
      expect(importsAcross(importGraph(root, SOURCE_DIRS), ['lib', 'bench'], ['test']).sort()).toEqual([
        'bench/run.ts imports test/support/h.ts',
        'lib/test-only.ts imports test/support/h.ts',
      ]);
    });
  });
});
