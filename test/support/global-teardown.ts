import { rmSync } from 'fs';
import { SHARED_ASSEMBLY_ENV } from '../../support/shared-assembly';

/** Jest global teardown: removes the shared assembly of the run. */
export default function globalTeardown(): void {
  const dir = process.env[SHARED_ASSEMBLY_ENV];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
