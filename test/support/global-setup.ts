import './test-synth-settings';
import { SHARED_ASSEMBLY_ENV, startSharedAssembly } from '../../support/shared-assembly';

/** Environment variable naming the process id of the shared assembly's synthesis, for the teardown. */
export const SHARED_ASSEMBLY_PID_ENV = 'SHARED_CLOUD_ASSEMBLY_PID';

/**
 * Jest global setup: starts the synthesis of the tests' app (the config fixture), once per test run and with the test
 * synth settings, in a background process, and names its directory in {@link SHARED_ASSEMBLY_ENV}
 * (workers inherit the environment). Tests about the whole app read that assembly instead of each
 * synthesizing the identical app; the first to read it waits until it is written.
 */
export default function globalSetup(): void {
  const { dir, pid } = startSharedAssembly();
  process.env[SHARED_ASSEMBLY_ENV] = dir;
  process.env[SHARED_ASSEMBLY_PID_ENV] = String(pid);
}
