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
const { createHash } = require('crypto');
const { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('fs');
const Module = require('module');
const path = require('path');
const esbuild = require('esbuild');

const OPTIONS = { loader: 'ts', format: 'cjs', target: 'node20', sourcemap: 'inline', sourcesContent: false };
const CACHE_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'load-typescript');
const CACHE_SALT = `${esbuild.version}\0${JSON.stringify(OPTIONS)}\0`;

/** Removes a half-written cache file, if it can: the cache is never worth failing the app for. */
function removeQuietly(file) {
  try {
    rmSync(file, { force: true });
  } catch {
    // Nothing more to do.
  }
}

/** The CommonJS for `source`, from the cache when an earlier run transformed the same input. */
function compiled(source, filename) {
  const file = path.join(CACHE_DIR, `${createHash('sha256').update(CACHE_SALT).update(filename).update('\0').update(source).digest('hex')}.js`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    const { code } = esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename });
    // Written aside, then renamed: a synth running at the same time never reads half a file.
    const partial = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(CACHE_DIR, { recursive: true });
      writeFileSync(partial, code);
      renameSync(partial, file);
    } catch {
      // A read-only checkout or a full disk only loses the cache (and what was half written).
      removeQuietly(partial);
    }
    return code;
  }
}

process.setSourceMapsEnabled(true);

Module._extensions['.ts'] = function loadTypeScript(module, filename) {
  module._compile(compiled(readFileSync(filename, 'utf8'), filename), filename);
};
