// Jest transform for the TypeScript that jest itself loads (global setup and teardown): esbuild's
// transformSync, about a millisecond a file. It only strips types (tsconfig.json's isolatedModules
// keeps every file transpilable alone); `tsc --noEmit` in npm test does the type-checking. Test
// files do not come through here: the module-sharing runner's workers load them with tsx.
const { createHash } = require('crypto');
const { transformSync, version } = require('esbuild');

const OPTIONS = { loader: 'ts', format: 'cjs', target: 'node20', sourcemap: true, sourcesContent: false };

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, { ...OPTIONS, sourcefile: filename });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return createHash('sha256')
      .update(version)
      .update(JSON.stringify(OPTIONS))
      .update(filename)
      .update('\0')
      .update(source)
      .digest('hex');
  },
};
