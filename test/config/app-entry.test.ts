import { spawnSync } from 'child_process';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { appCommand, contextWith } from '../support/context';

const ROOT = path.join(__dirname, '..', '..');

describe('bin/app.ts with a bad config value', () => {
  // GIVEN the default context with one bad account id, as `cdk synth -c prod.account=12345` passes it
  // to the app, started by cdk.json's own command
  const run = spawnSync(appCommand(), {
    shell: true,
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_CONTEXT_JSON: JSON.stringify(contextWith({ 'prod.account': '12345' })),
      CDK_OUTDIR: mkdtempSync(path.join(tmpdir(), 'cdk-out-')),
    },
  });

  it('stops synth with exit code 1', () => {
    expect(run.status).toBe(1);
  });

  it('prints one message naming the key, the value and what is accepted, without a stack trace', () => {
    expect(run.stderr).toContain('prod.account = "12345" is not valid: expected a 12-digit AWS account id');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
