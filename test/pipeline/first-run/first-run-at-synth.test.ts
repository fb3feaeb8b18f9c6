/** Synthesizes a one-stage app in a child process, as `cdk synth` runs bin/app.ts. */
import { spawnSync } from 'child_process';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { appCommand } from '../../support/context';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('Synth of a pipeline whose change review assumes a role a later stage creates', () => {
  // GIVEN the app as bin/app.ts runs it (runApp), with the change review of Prod reading through the
  // stage's check role, which the Prod-Service stack creates after the review (fixtures/deadlock-app.ts)
  const fixture = path.relative(ROOT, path.join(__dirname, 'fixtures', 'deadlock-app.ts'));
  const run = spawnSync(appCommand().replace('bin/app.ts', fixture), {
    shell: true,
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK_OUTDIR: mkdtempSync(path.join(tmpdir(), 'cdk-out-')) },
  });

  it('stops with exit code 1', () => {
    expect({ status: run.status, stderr: run.status === 1 ? '' : run.stderr }).toEqual({ status: 1, stderr: '' });
  });

  it('names the stage, the action, the role and the stack that creates it later, without a stack trace', () => {
    expect(run.stderr).toContain(
      '- ApproveProd/ChangeReview uses IAM role arn:aws:iam::333333333333:role/uk-home-improvement-prod-pipeline-check ' +
        '(project environment variable CHANGE_REVIEW_PARAMETERS), which does not exist when it runs on a first execution: ' +
        'Prod/Service.Deploy (stack Prod-Service) creates it later',
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
