import childProcess from 'child_process';
import { readFileSync, rmSync } from 'fs';
import * as path from 'path';
import { BREAK_GLASS_PARAMETER } from '../../../../contracts/gate-spec';
import { main } from '../../../../lambda/pipeline/self-mutation-guard/index';
import { guardedTemplate, SPEC, writeAssembly } from './fixtures/guarded-pipeline';

/** Runs the guard's entry point with `argv` (none: the command line's), returning its exit code and what it printed. */
function run(argv?: readonly string[]): { code: number; printed: string } {
  const writes: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    return { code: argv ? main(argv) : main(), printed: writes.join('') };
  } finally {
    write.mockRestore();
  }
}

const base64 = (spec: object) => Buffer.from(JSON.stringify(spec)).toString('base64');

describe('the guard entry point the buildspec runs', () => {
  it.each([
    ['no argument', []],
    ['two arguments', ['e30=', 'e30=']],
  ])('stops the deploy when given %s, saying what it expects', (_, argv) => {
    expect(run(argv)).toEqual({
      code: 1,
      printed: 'Self-mutation guard: expected one argument, the base64 gate spec; nothing is deployed.\n',
    });
  });

  it('decodes its one argument from base64 and stops the deploy when the spec is not one it reads', () => {
    const { code, printed } = run([base64({ version: 2 })]);
    expect(code).toBe(1);
    expect(printed).toBe(
      'Self-mutation guard: cannot check the new pipeline, so it is not deployed: gate spec: version is not 1\n',
    );
  });

  it('takes its argument from the command line `node <bundle> <spec>`', () => {
    jest.replaceProperty(process, 'argv', ['/usr/bin/node', '/tmp/guard.js', base64({ version: 2 })]);
    expect(run()).toEqual({
      code: 1,
      printed:
        'Self-mutation guard: cannot check the new pipeline, so it is not deployed: gate spec: version is not 1\n',
    });
  });

  it('stops the deploy when the AWS CLI cannot read the break-glass parameter, though no gate is weakened', () => {
    // The guard in the template is this very entry point, so only the break-glass read can stop the deploy.
    const ownScript = readFileSync(path.join(__dirname, '../../../../lambda/pipeline/self-mutation-guard/index.ts'));
    const dir = writeAssembly(guardedTemplate(ownScript));
    try {
      jest.spyOn(process, 'cwd').mockReturnValue(dir);
      jest.spyOn(childProcess, 'execFileSync').mockImplementation(() => {
        throw Object.assign(new Error('Command failed: aws ssm get-parameter'), {
          status: 254,
          stderr: 'An error occurred (AccessDeniedException) when calling the GetParameter operation: not authorized',
        });
      });
      const { code, printed } = run([base64(SPEC)]);
      expect(code).toBe(1);
      expect(printed).toContain(
        `Self-mutation guard: cannot read the break-glass parameter ${BREAK_GLASS_PARAMETER}: aws ssm get-parameter failed (exit 254): An error occurred (AccessDeniedException)`,
      );
      expect(printed).not.toContain('  - ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
