// The on-disk cache the app's preloads share (bin/load-typescript.cjs, bin/code-cache.cjs): entries
// named by a hash of what they were made from, written so that a synth running at the same time
// never reads half of one. The cache is never worth failing the app for.
'use strict';
const { createHash } = require('crypto');
const { mkdirSync, renameSync, rmSync, writeFileSync } = require('fs');
const path = require('path');

/** The file, in `dir`, of the entry made from `parts` (hashed in order). */
function entryFile(dir, parts, extension) {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return path.join(dir, `${hash.digest('hex')}${extension}`);
}

/**
 * Writes `data` to `file` aside, then renames it into place. Returns false, leaving nothing half
 * written, when it cannot (a read-only checkout, a full disk).
 */
function writeEntry(file, data) {
  const partial = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(partial, data);
    renameSync(partial, file);
    return true;
  } catch {
    try {
      rmSync(partial, { force: true });
    } catch {
      // Nothing more to do.
    }
    return false;
  }
}

module.exports = { entryFile, writeEntry };
