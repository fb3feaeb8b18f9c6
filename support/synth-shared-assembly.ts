/**
 * Child process of startSharedAssembly (support/shared-assembly.ts): synthesizes the default app into
 * the directory given as its one argument, then writes the outcome to SHARED_ASSEMBLY_DONE_FILE there.
 */
import { writeFileSync } from 'fs';
import * as path from 'path';
import { SHARED_ASSEMBLY_DONE_FILE, synthDefaultApp } from './shared-assembly';

const dir = process.argv[2];
try {
  synthDefaultApp(dir);
  writeFileSync(path.join(dir, SHARED_ASSEMBLY_DONE_FILE), JSON.stringify({ ok: true }));
} catch (e) {
  writeFileSync(
    path.join(dir, SHARED_ASSEMBLY_DONE_FILE),
    JSON.stringify({ ok: false, error: (e as Error).stack ?? String(e) }),
  );
  process.exitCode = 1;
}
