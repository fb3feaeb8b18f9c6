import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { runTestGate, TYPE_CHECK_COMMAND } from '../../scripts/test';

const node = (code: string) => [process.execPath, '-e', code];
const PASS = node('');
const tools = () => 'system';

describe('npm test (scripts/test.ts)', () => {
  it('is what package.json runs, with TypeScript 7 as the type-checker', () => {
    expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts.test).toBe('node --import tsx scripts/test.ts');
    expect(TYPE_CHECK_COMMAND.slice(1).join(' ')).toMatch(
      /node_modules\/typescript7\/bin\/tsc --noEmit --singleThreaded -p \S+tsconfig\.json$/,
    );
    expect(JSON.parse(readFileSync('node_modules/typescript7/package.json', 'utf8')).version).toMatch(/^7\./);
  });

  it('passes when the type-check and the tests pass', async () => {
    await expect(runTestGate({ ensureTools: tools, typeCheck: PASS, tests: PASS, out: () => undefined })).resolves.toBe(
      0,
    );
  });

  it("fails with the type-check's exit code and prints its output when only the type-check fails", async () => {
    const errors: string[] = [];
    const code = await runTestGate({
      ensureTools: tools,
      typeCheck: node('console.log("a.ts(1,7): error TS2322"); process.exit(2)'),
      tests: PASS,
      out: () => undefined,
      err: (t) => errors.push(t),
    });
    expect(code).toBe(2);
    expect(errors.join('')).toContain('Type-check failed (exit 2):\na.ts(1,7): error TS2322');
  });

  it("fails with the tests' exit code when the tests fail", async () => {
    await expect(
      runTestGate({ ensureTools: tools, typeCheck: PASS, tests: node('process.exit(1)'), out: () => undefined }),
    ).resolves.toBe(1);
  });

  it('runs the type-check and the tests side by side', async () => {
    // Each waits until the other has started: run one after the other, they would time out.
    const dir = mkdtempSync(path.join(tmpdir(), 'gate-'));
    const waitFor = (mine: string, other: string) =>
      node(
        `const fs=require('fs');fs.writeFileSync('${dir}/${mine}','');const until=Date.now()+10000;` +
          `(function poll(){if(fs.existsSync('${dir}/${other}'))process.exit(0);if(Date.now()>until)process.exit(3);setTimeout(poll,20);})();`,
      );
    await expect(
      runTestGate({
        ensureTools: tools,
        typeCheck: waitFor('tsc', 'jest'),
        tests: waitFor('jest', 'tsc'),
        out: () => undefined,
      }),
    ).resolves.toBe(0);
  });

  it('stops before anything runs when the Python tools cannot be provided', async () => {
    const errors: string[] = [];
    const code = await runTestGate({
      ensureTools: () => {
        throw new Error('pip install failed');
      },
      typeCheck: node('process.exit(9)'),
      tests: node('process.exit(9)'),
      err: (t) => errors.push(t),
    });
    expect(code).toBe(1);
    expect(errors).toEqual(['pip install failed\n']);
  });
});
