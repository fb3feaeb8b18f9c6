import type { Stage } from 'aws-cdk-lib';
import * as path from 'path';
import { ConfigError } from './config';
import { checkFirstRun } from './pipeline/first-run/check-first-run';
import { FirstRunError } from './pipeline/first-run/first-run-error';
import { debugApp, unexpectedErrorMessage } from './unexpected-error-message';

/**
 * The app's entry point: builds the app with `build`, synthesizes it and walks its pipeline as the first
 * execution would run it (checkFirstRun). A bad config value (ConfigError) or a pipeline that would use a
 * role or resource before anything creates it (FirstRunError) prints its message, without a stack trace,
 * and exits 1; any other error prints as one line with the place in the repository it was thrown from
 * (its whole stack trace with CDK_DEBUG, which `cdk synth --debug-app` sets) and exits 1.
 */
export function runApp(build: () => Stage): void {
  try {
    checkFirstRun(build());
  } catch (e) {
    if (e instanceof ConfigError || e instanceof FirstRunError) console.error(e.message);
    else if (debugApp()) console.error(e);
    else console.error(unexpectedErrorMessage(e, path.join(__dirname, '..')));
    process.exit(1);
  }
}
