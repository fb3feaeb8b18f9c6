import { spawnSync } from 'child_process';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { NO_BUNDLING } from '../../support/shared-assembly';
import { unexpectedErrorMessage } from '../../lib/unexpected-error-message';
import { appCommand, contextWith } from '../support/context';
import { fixtureContext, REASON } from './fixtures/production-context';

const ROOT = path.join(__dirname, '..', '..');

/** Runs the app as `cdk synth` does (cdk.json's command, the context in CDK_CONTEXT_JSON), with `command` in place of it. */
function runApp(context: Record<string, unknown>, command = appCommand(), env: NodeJS.ProcessEnv = {}) {
  return spawnSync(command, {
    shell: true,
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_CONTEXT_JSON: JSON.stringify(context),
      CDK_OUTDIR: mkdtempSync(path.join(tmpdir(), 'cdk-out-')),
      ...env,
    },
  });
}

/** A line of a Node.js stack trace. */
const STACK_LINE = /^\s+at /m;

describe('bin/app.ts with a bad config value', () => {
  // GIVEN the default context with one bad account id, as `cdk synth -c prod.account=12345` passes it
  // to the app, started by cdk.json's own command
  const run = runApp(contextWith({ 'prod.account': '12345' }));

  it('stops synth with exit code 1', () => {
    expect(run.status).toBe(1);
  });

  it('prints one message naming the key, the value and what is accepted, without a stack trace', () => {
    expect(run.stderr).toContain('prod.account = "12345" is not valid: expected a 12-digit AWS account id');
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});

describe('bin/app.ts with a production guard switched off by one -c value', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'the approval',
      { 'live.delivery.manualApproval': 'false' },
      'live.delivery.manualApproval = false is refused: live is a production stage',
    ],
    ['retained data', { 'live.retainData': 'false' }, 'live.retainData = false is refused: live is a production stage'],
    [
      'a misspelled key',
      { 'live.delivery.manual_approval': 'false' },
      'live.delivery.manual_approval is not a known key: did you mean live.delivery.manualApproval?',
    ],
    [
      'a key with a capital letter',
      { 'Live.delivery.manualApproval': 'false' },
      'Live.delivery.manualApproval is not a known key: did you mean live.delivery.manualApproval? Keys are case-sensitive.',
    ],
  ])('stops on %s with exit code 1 and the reason, no stack trace', (_case, overrides, message) => {
    const run = runApp(fixtureContext(overrides));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});

describe('bin/app.ts with an error it does not expect', () => {
  // GIVEN a config the loader accepts (a break-glass included), and a synthesis that throws as a bug would
  const preload = path.join(__dirname, 'fixtures', 'failing-synth.cjs');
  const command = appCommand().replace(/^node /, `node --require ${JSON.stringify(preload)} `);
  const context = {
    ...fixtureContext({ 'live.retainData': false, 'live.breakGlass.retainData': REASON }),
    ...NO_BUNDLING,
  };
  const run = runApp(context, command);

  it('stops with exit code 1 and prints the error on one line, where it was thrown and how to see the trace', () => {
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toEqual([
      'Synth stopped by an unexpected error at test/config/fixtures/failing-synth.cjs:7: TypeError: Cannot read properties of undefined (reading "stageName")',
      'Run `npx cdk synth --debug-app` for the whole stack trace. A config value the loader accepts should never get here: report it with that trace.',
    ]);
  });

  it('prints the whole stack trace with CDK_DEBUG (set by `cdk synth --debug-app`)', () => {
    const debug = runApp(context, command, { CDK_DEBUG: 'true' });
    expect(debug.status).toBe(1);
    expect(debug.stderr).toMatch(STACK_LINE);
  });
});

describe('unexpectedErrorMessage', () => {
  it('names the first place in the repository the error was thrown from, outside node_modules', () => {
    const error = new Error('boom');
    error.stack = [
      'Error: boom',
      `    at f (${ROOT}/node_modules/aws-cdk-lib/core/lib/x.js:1:2)`,
      `    at new PipelineStack (${ROOT}/lib/pipeline/pipeline-stack.ts:99:13)`,
      `    at ${ROOT}/bin/app.ts:20:3`,
    ].join('\n');
    expect(unexpectedErrorMessage(error, ROOT).split('\n')[0]).toBe(
      'Synth stopped by an unexpected error at lib/pipeline/pipeline-stack.ts:99: Error: boom',
    );
  });

  it('says nothing of a place when none is in the repository, and prints what was thrown', () => {
    expect(unexpectedErrorMessage('a string', ROOT).split('\n')[0]).toBe(
      'Synth stopped by an unexpected error: a string',
    );
  });
});
