import { existsSync, rmSync } from 'fs';
import * as path from 'path';
import { SHARED_ASSEMBLY_DONE_FILE, SHARED_ASSEMBLY_ENV } from '../../support/shared-assembly';
import { SHARED_ASSEMBLY_PID_ENV } from './global-setup';

/** Jest global teardown: stops the shared assembly's synthesis if it still runs, and removes the assembly. */
export default function globalTeardown(): void {
  const dir = process.env[SHARED_ASSEMBLY_ENV];
  const pid = Number(process.env[SHARED_ASSEMBLY_PID_ENV]);
  // Only while it has not written its outcome: once done, the process id may belong to another process.
  if (dir && pid && !existsSync(path.join(dir, SHARED_ASSEMBLY_DONE_FILE))) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already finished
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}
