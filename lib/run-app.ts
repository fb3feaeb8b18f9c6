import { Stage } from 'aws-cdk-lib';
import { ConfigError } from './config';
import { checkFirstRun } from './pipeline/first-run/check-first-run';
import { FirstRunError } from './pipeline/first-run/first-run-error';

/**
 * The app's entry point: builds the app with `build`, synthesizes it and walks its pipeline as the first
 * execution would run it (checkFirstRun). A bad config value (ConfigError) or a pipeline that would use a
 * role or resource before anything creates it (FirstRunError) prints its message, without a stack trace,
 * and exits 1; any other error is thrown.
 */
export function runApp(build: () => Stage): void {
  try {
    checkFirstRun(build());
  } catch (e) {
    if (!(e instanceof ConfigError) && !(e instanceof FirstRunError)) throw e;
    console.error(e.message);
    process.exit(1);
  }
}
