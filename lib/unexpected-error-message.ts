import * as path from 'path';

/** Truthy values of CDK_DEBUG, as aws-cdk-lib reads it (`cdk synth --debug-app` sets it). */
const DEBUG_VALUES = ['1', 'on', 'true'];

/** Whether the app runs with CDK_DEBUG set, so an unexpected error may print its whole stack trace. */
export function debugApp(env: NodeJS.ProcessEnv = process.env): boolean {
  return DEBUG_VALUES.includes(env.CDK_DEBUG ?? '');
}

/**
 * What the app prints for an error it did not expect (not a ConfigError): the error on one line, the
 * first place in `root` (the repository, outside node_modules) it was thrown from, and how to see the
 * whole stack trace.
 */
export function unexpectedErrorMessage(error: unknown, root: string): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const frames = error instanceof Error ? (error.stack ?? '').split('\n').slice(1) : [];
  const own = frames
    .map((frame) => /\(?([^\s()]+):(\d+):\d+\)?$/.exec(frame.trim()))
    .find(
      (m) => m !== null && m[1].startsWith(root + path.sep) && !m[1].includes(`${path.sep}node_modules${path.sep}`),
    );
  const where = own ? ` at ${path.relative(root, own[1])}:${own[2]}` : '';
  return (
    `Synth stopped by an unexpected error${where}: ${message.replace(/\s*\n\s*/g, ' ')}\n` +
    'Run `npx cdk synth --debug-app` for the whole stack trace. A config value the loader accepts should never get here: report it with that trace.'
  );
}
