// V8 code cache for `cdk synth` (cdk.json: `node --require ./bin/code-cache.cjs ...`). A synth loads
// about 1,300 modules from node_modules, 30 MB of JavaScript, and V8 compiles most of their functions
// while the app runs: about 0.5 s of every synth (`npm run bench`). So each module of node_modules
// is compiled as Node does (the same wrapper and `require`), with the code an earlier run left in
// node_modules/.cache/code-cache; when the process exits, the code V8 then holds for each module,
// lazily compiled functions included, is written there for the next run, when the run succeeds (a
// cold run pays about 0.6 s for that). V8 checks every entry against the source and its own version and flags and
// compiles afresh when one does not match; an entry's name is a hash of the V8 version, path and
// content, so an updated package never meets an old entry (`npm ci` empties the cache with node_modules).
// Stack frames inside node_modules show the shipped .js positions, not their packages' source maps.
// A module with a dynamic import(), or one this cannot compile, is left to Node's own loader.
// DISABLE_CODE_CACHE=1 turns the cache off.
'use strict';
const { readFileSync } = require('fs');
const Module = require('module');
const path = require('path');
const { setFlagsFromString } = require('v8');
const vm = require('vm');
const { entryFile, writeEntry } = require('./cache-entry.cjs');

/** Where entries live; CODE_CACHE_DIR moves it (the tests use their own). */
const CACHE_DIR = process.env.CODE_CACHE_DIR || path.join(__dirname, '..', 'node_modules', '.cache', 'code-cache');
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

if (process.env.DISABLE_CODE_CACHE !== '1') {
  // V8 drops the bytecode of functions it has not run for a while; in a long synth (the gated one)
  // that would leave them out of the entries written at exit. A synth is short: keep it all.
  setFlagsFromString('--no-flush-bytecode');
  const nodeCompile = Module.prototype._compile;
  /** Scripts compiled without a usable cache entry, to write when the process exits. */
  const produced = [];

  Module.prototype._compile = function compileWithCodeCache(content, filename, format) {
    // Node 22 passes a format for what it loads as an ES module or strips types from itself. Node maps
    // stack traces through a source map only in modules it compiles itself, so the project's own
    // code (its TypeScript, bin/load-typescript.cjs) stays with Node: traces keep the .ts lines.
    // A module with a dynamic import() stays with Node too: it resolves import() from the module's own place.
    if (
      (format !== undefined && format !== 'commonjs') ||
      !filename.includes(NODE_MODULES) ||
      content.includes('import(')
    ) {
      return nodeCompile.apply(this, arguments);
    }
    // Code compiled by one V8 is of no use to another: each version and architecture has its own entries.
    const file = entryFile(CACHE_DIR, [process.versions.v8, process.arch, filename, content], '.bin');
    let cachedData;
    try {
      cachedData = readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    let script;
    try {
      script = new vm.Script(Module.wrap(content), { filename, cachedData });
    } catch {
      // Not CommonJS as this compiles it (ES module syntax Node may retry as a module, say).
      return nodeCompile.apply(this, arguments);
    }
    if (cachedData === undefined || script.cachedDataRejected) produced.push({ file, script });
    // The module's `require`, as Node builds it (lib/internal/modules/helpers.js, makeRequireFunction).
    const mod = this;
    const require = (id) => mod.require(id);
    require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
    require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
    require.main = process.mainModule;
    require.extensions = Module._extensions;
    require.cache = Module._cache;
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(mod.exports, mod.exports, require, mod, filename, path.dirname(filename));
  };

  process.once('exit', (code) => {
    // Only a run that succeeds has compiled what a synth needs: one that stops early (a bad config
    // value, a failing gate) would leave entries with little compiled code in them.
    if (code !== 0) return;
    for (const { file, script } of produced) {
      // A read-only checkout or a full disk only loses the cache: stop at the first entry that fails.
      if (!writeEntry(file, script.createCachedData())) break;
    }
  });
}
