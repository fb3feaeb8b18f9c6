import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

const CODE_CACHE = path.join(__dirname, '..', '..', 'bin', 'code-cache.cjs');

/** A program whose library (under node_modules) uses what Node gives a CommonJS module, and a second one with a dynamic import(). */
function program(): { dir: string; library: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'code-cache-'));
  const library = path.join(dir, 'node_modules', 'lib', 'index.js');
  mkdirSync(path.dirname(library), { recursive: true });
  mkdirSync(path.join(dir, 'node_modules', 'dyn'));
  writeFileSync(path.join(dir, 'node_modules', 'lib', 'data.json'), '{"n": 2}');
  writeFileSync(
    library,
    [
      "'use strict';",
      "const data = require('./data.json');",
      "const { sep } = require('path');",
      'exports.describe = () => [',
      "  data.n, path2(__dirname), require.resolve('./data.json') === __dirname + sep + 'data.json', module.parent !== null, require.main === process.mainModule,",
      "].join(' ');",
      "function path2(d) { return d.endsWith('lib') ? 'lib' : d; }",
      'exports.fail = () => { throw new Error("from the library"); };',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'node_modules', 'dyn', 'index.js'),
    "exports.sep = async () => (await import('node:path')).sep;\n",
  );
  writeFileSync(
    path.join(dir, 'main.js'),
    [
      "const lib = require('lib');",
      "require('dyn').sep().then((sep) => { console.log(`${lib.describe()} ${sep}`); if (process.argv[2] === 'fail') lib.fail(); });",
      '',
    ].join('\n'),
  );
  return { dir, library };
}

function run(dir: string, env: Record<string, string> = {}, ...args: string[]) {
  // The cache is on unless `env` switches it off (the Build action's buildspec switches it off for the app).
  const { DISABLE_CODE_CACHE: _off, ...inherited } = process.env;
  return spawnSync(process.execPath, ['--require', CODE_CACHE, path.join(dir, 'main.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...inherited, CODE_CACHE_DIR: path.join(dir, 'cache'), ...env },
  });
}

const entries = (dir: string): string[] => {
  try {
    return readdirSync(path.join(dir, 'cache')).sort();
  } catch {
    return [];
  }
};

describe('bin/code-cache.cjs', () => {
  it('runs a node_modules module as Node does (require, JSON, __dirname, module.parent, require.main, errors), from an entry as without the cache', () => {
    const { dir } = program();
    run(dir);
    expect(entries(dir)).toHaveLength(1);
    for (const r of [run(dir, {}, 'fail'), run(dir, { DISABLE_CODE_CACHE: '1' }, 'fail')]) {
      expect({ stdout: r.stdout, warnings: r.stderr.includes('Warning') }).toEqual({
        stdout: `2 lib true true true ${path.sep}\n`,
        warnings: false,
      });
      expect(r.stderr).toContain('Error: from the library');
      expect(r.stderr).toContain(`${path.join(dir, 'node_modules', 'lib', 'index.js')}:8:30`);
    }
  });

  it('writes one entry per node_modules module on the first run and reuses it unchanged on the next', () => {
    const { dir } = program();
    run(dir);
    const written = entries(dir);
    // the library only: main.js is the project's own code, dyn has a dynamic import(), and JSON is not compiled
    expect(written).toHaveLength(1);
    const mtime = statSync(path.join(dir, 'cache', written[0])).mtimeMs;
    run(dir);
    expect(entries(dir)).toEqual(written);
    expect(statSync(path.join(dir, 'cache', written[0])).mtimeMs).toBe(mtime);
  });

  it('runs the new code of an edited module, under a new entry', () => {
    const { dir, library } = program();
    run(dir);
    writeFileSync(library, "exports.describe = () => 'edited'; exports.fail = () => {};\n");
    const edited = run(dir);
    expect(edited.stdout).toBe(`edited ${path.sep}\n`);
    expect(entries(dir)).toHaveLength(2);
  });

  it('writes nothing for a run that fails: it stopped before compiling what a full run needs', () => {
    const { dir } = program();
    expect(run(dir, {}, 'fail').status).toBe(1);
    expect(entries(dir)).toEqual([]);
  });

  it('writes nothing with DISABLE_CODE_CACHE=1', () => {
    const { dir } = program();
    expect(run(dir, { DISABLE_CODE_CACHE: '1' }).stdout).toBe(`2 lib true true true ${path.sep}\n`);
    expect(entries(dir)).toEqual([]);
  });
});
