import { SHARED_ASSEMBLY_ENV, synthDefaultApp } from '../../support/shared-assembly';

/**
 * Jest global setup: synthesizes the default app once per test run into a temporary directory
 * and names it in {@link SHARED_ASSEMBLY_ENV} (workers inherit the environment). Tests about the
 * whole app read that assembly instead of each synthesizing the identical app.
 */
export default function globalSetup(): void {
  process.env[SHARED_ASSEMBLY_ENV] = synthDefaultApp();
}
