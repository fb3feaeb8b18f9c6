import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { importersOf, importGraph, importsAcross, reachableFrom, SOURCE_DIRS } from './support/import-graph';

const ROOT = path.join(__dirname, '..');
/** The synth path: what `cdk synth` runs (cdk.json's app). */
const SYNTH_ENTRY = 'bin/app.ts';

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

  it('keeps test/ to itself: nothing in lib/, stages/, lambda/, support/, scripts/ or bench/ imports from test/', () => {
    expect(importsAcross(graph, ['bin', 'lib', 'stages', 'lambda', 'support', 'scripts', 'bench'], ['test'])).toEqual(
      [],
    );
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

    it('reports a lib/ module that only tests import', () => {
      expect(libModulesOffSynthPath(root)).toEqual(['lib/test-only.ts (imported by: test/a.test.ts)']);
    });

    it('reports imports from test/, including require()', () => {
      expect(importsAcross(importGraph(root, SOURCE_DIRS), ['lib', 'bench'], ['test']).sort()).toEqual([
        'bench/run.ts imports test/support/h.ts',
        'lib/test-only.ts imports test/support/h.ts',
      ]);
    });
  });
});
