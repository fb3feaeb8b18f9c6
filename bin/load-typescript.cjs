// How `cdk synth` loads the app (cdk.json: `node --require ./bin/load-typescript.cjs bin/app.ts`).
// Node requires the project's TypeScript files through this hook: esbuild's transformSync strips
// the types (tsconfig.json's isolatedModules keeps each file transpilable alone; `tsc --noEmit` in
// npm test does the type-checking) and Node compiles the result as CommonJS. JavaScript, all of
// node_modules included, loads as Node loads it. tsx would do the same, but its hooks also scan
// every one of the ~1,400 modules aws-cdk-lib and cdk-nag load for ES module syntax, about 0.3 s
// of each synth (`npm run bench`). Inline source maps keep stack traces on the .ts lines (CDK's
// construct traces, the validation report's source locations). Node 20 cannot require a package
// that ships only ES modules: should a dependency of the app ever need that, start it with
// `node --import tsx bin/app.ts` again.
'use strict';
const { readFileSync } = require('fs');
const Module = require('module');
const { transformSync } = require('esbuild');

const OPTIONS = { loader: 'ts', format: 'cjs', target: 'node20', sourcemap: 'inline', sourcesContent: false };

process.setSourceMapsEnabled(true);

Module._extensions['.ts'] = function loadTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...OPTIONS, sourcefile: filename });
  module._compile(code, filename);
};
