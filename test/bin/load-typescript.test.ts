import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { appCommand } from '../support/context';

const ROOT = path.join(__dirname, '..', '..');
/** The modules cdk.json's app command preloads (`node --require ./bin/... bin/app.ts`), in order. */
const PRELOADS = [...appCommand().matchAll(/--require (\S+)/g)].map((m) => path.join(ROOT, m[1]));

// How cdk.json's app starts: its preloads, bin/load-typescript.cjs among them, then bin/app.ts.
describe('bin/load-typescript.cjs, preloaded as cdk.json preloads it', () => {
  it('is what cdk.json preloads, after the code cache', () => {
    expect(PRELOADS.map((p) => path.relative(ROOT, p))).toEqual([
      path.join('bin', 'code-cache.cjs'),
      path.join('bin', 'load-typescript.cjs'),
    ]);
  });

  // GIVEN a program in TypeScript-only syntax that imports a .ts module without its extension and throws on line 8
  const dir = mkdtempSync(path.join(tmpdir(), 'load-typescript-'));
  writeFileSync(path.join(dir, 'colour.ts'), "export enum Colour { Red = 'red' }\n");
  writeFileSync(
    path.join(dir, 'main.ts'),
    [
      "import path = require('path');",
      "import { Colour } from './colour';",
      'interface Shape { readonly colour: Colour }',
      'const shape: Shape = { colour: Colour.Red };',
      'console.log(`${shape.colour} ${path.basename(__filename)}`);',
      'function fail(s: Shape): never {',
      '  // the line below is line 8',
      '  throw new Error(`no ${s.colour as string}`);',
      '}',
      'fail(shape);',
      '',
    ].join('\n'),
  );
  const run = spawnSync(process.execPath, [...PRELOADS.flatMap((p) => ['--require', p]), path.join(dir, 'main.ts')], {
    encoding: 'utf8',
  });

  it('runs it as CommonJS, types stripped, enums and `import = require` compiled, extensionless .ts imports resolved', () => {
    expect(run.stdout).toBe('red main.ts\n');
  });

  it('reports errors at the TypeScript source line and column', () => {
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Error: no red');
    expect(run.stderr).toContain(`${path.join(dir, 'main.ts')}:8:9`);
  });
});
