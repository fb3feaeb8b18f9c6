/**
 * Child process of startSharedAssembly (support/shared-assembly.ts): synthesizes the default app into
 * the directory given as its one argument, then writes the outcome to SHARED_ASSEMBLY_DONE_FILE there.
 */
import { renameSync, writeFileSync } from 'fs';
import * as path from 'path';
import { SHARED_ASSEMBLY_DONE_FILE, synthDefaultApp } from './shared-assembly';

const dir = process.argv[2];

/** Writes the outcome beside the done file, then renames it into place: a reader never sees it half-written. */
function writeOutcome(outcome: { ok: boolean; error?: string }): void {
  const partial = path.join(dir, `${SHARED_ASSEMBLY_DONE_FILE}.partial`);
  writeFileSync(partial, JSON.stringify(outcome));
  renameSync(partial, path.join(dir, SHARED_ASSEMBLY_DONE_FILE));
}

try {
  synthDefaultApp(dir);
  writeOutcome({ ok: true });
} catch (e) {
  writeOutcome({ ok: false, error: (e as Error).stack ?? String(e) });
  process.exitCode = 1;
}
