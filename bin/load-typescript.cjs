// How `cdk synth` loads the app (cdk.json: `node --require ./bin/load-typescript.cjs bin/app.ts`).
// Node requires the project's TypeScript files through this hook: esbuild's transformSync strips
// the types (tsconfig.json's isolatedModules keeps each file transpilable alone; `tsc --noEmit` in
// npm test does the type-checking) and Node compiles the result as CommonJS. JavaScript, all of
// node_modules included, loads as Node loads it. tsx would do the same, but its hooks also scan
// every one of the ~1,400 modules aws-cdk-lib and cdk-nag load for ES module syntax, about 0.3 s
// of each synth (`npm run bench`). Inline source maps keep stack traces on the .ts lines (CDK's
// construct traces, the validation report's source locations). Each result is kept in
// node_modules/.cache/load-typescript under the hash of its input, so a warm synth transforms only
// the files that changed. Node 20 cannot require a package that ships only ES modules: should a
// dependency of the app ever need that, start it with `node --import tsx bin/app.ts` again.
'use strict';
const { readFileSync } = require('fs');
const Module = require('module');
const path = require('path');
const esbuild = require('esbuild');
const { entryFile, writeEntry } = require('./cache-entry.cjs');

const OPTIONS = { loader: 'ts', format: 'cjs', target: 'node20', sourcemap: 'inline', sourcesContent: false };
const CACHE_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'load-typescript');

/** The CommonJS for `source`, from the cache when an earlier run transformed the same input. */
function compiled(source, filename) {
  const file = entryFile(CACHE_DIR, [esbuild.version, JSON.stringify(OPTIONS), filename, source], '.js');
  try {
    return readFileSync(file, 'utf8');
  } catch {
    const { code } = esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename });
    writeEntry(file, code);
    return code;
  }
}

process.setSourceMapsEnabled(true);

Module._extensions['.ts'] = function loadTypeScript(module, filename) {
  module._compile(compiled(readFileSync(filename, 'utf8'), filename), filename);
};
