/** @slow: runs jest itself twice. */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PROJECT_CONFIG = require('../../../jest.config.js') as { runner: string; setupFilesAfterEnv: string[] };
const fromRoot = (configured: string) => configured.replace('<rootDir>', ROOT);

interface FileResult {
  readonly name: string;
  readonly status: string;
  readonly message: string;
  readonly startTime: number;
}

/** Runs jest with the module-sharing runner and one worker over the named fixture files: each file's outcome, the fixtures' records and jest's exit code. */
function runFixtures(
  files: readonly string[],
  options: { testTimeout?: number } = {},
): { files: FileResult[]; records: string; exitCode: number | null } {
  const work = mkdtempSync(path.join(tmpdir(), 'runner-'));
  const config = {
    rootDir: FIXTURES,
    testMatch: files.map((f) => `**/${f}`),
    // The project's own runner and its setup file, as jest.config.js names them.
    runner: fromRoot(PROJECT_CONFIG.runner),
    setupFilesAfterEnv: PROJECT_CONFIG.setupFilesAfterEnv.map(fromRoot),
    transform: {},
    testTimeout: options.testTimeout ?? 30_000,
    cacheDirectory: path.join(work, 'cache'),
  };
  const result = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--config',
      JSON.stringify(config),
      '--maxWorkers',
      '1',
      '--ci',
      '--json',
      '--outputFile',
      path.join(work, 'results.json'),
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, FIXTURE_OUT: path.join(work, 'records.jsonl') },
      timeout: 120_000,
    },
  );
  const results = path.join(work, 'results.json');
  if (!existsSync(results))
    throw new Error(`jest wrote no results (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  const report = JSON.parse(readFileSync(results, 'utf8')) as {
    testResults: Array<{ name: string; status: string; message: string; startTime: number }>;
  };
  return {
    files: report.testResults
      .map((r) => ({ name: path.basename(r.name), status: r.status, message: r.message, startTime: r.startTime }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    records: path.join(work, 'records.jsonl'),
    exitCode: result.status,
  };
}

describe('The module-sharing jest runner (test/support/runner)', () => {
  it('runs files one after another in one process that loads each module once, and puts back what a file changed', () => {
    const started = Date.now();
    const run = runFixtures(['first-state.fixture.ts', 'second-state.fixture.ts']);
    expect(run.files.map((f) => [f.name, f.status])).toEqual([
      ['first-state.fixture.ts', 'passed'],
      ['second-state.fixture.ts', 'passed'],
    ]);
    const records = readFileSync(run.records, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { pid: number; loads: number; files: number });
    // One process, one load of the shared module, which saw both files; the second file found
    // process.env, jest spies and fake timers and aws-sdk-client-mock's stub undone.
    expect(new Set(records.map((r) => r.pid)).size).toBe(1);
    expect(records.map((r) => [r.loads, r.files])).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(run.exitCode).toBe(0);
    // Start times are epoch milliseconds, as jest and the JUnit reporter expect.
    for (const file of run.files) expect(file.startTime).toBeGreaterThanOrEqual(started);
  });

  describe('on files that fail, rely on expect.assertions(), end their process or hang', () => {
    let run: ReturnType<typeof runFixtures>;
    let byName: Record<string, FileResult>;
    beforeAll(() => {
      run = runFixtures(
        [
          'fails.fixture.ts',
          'counts-assertions.fixture.ts',
          'exits.fixture.ts',
          'hangs.fixture.ts',
          'passes.fixture.ts',
        ],
        { testTimeout: 3000 },
      );
      byName = Object.fromEntries(run.files.map((f) => [f.name, f]));
    });

    it('reports a failed expectation with its diff, and fails the run', () => {
      expect(byName['fails.fixture.ts'].status).toBe('failed');
      expect(byName['fails.fixture.ts'].message).toContain('reports a failed expectation');
      expect(byName['fails.fixture.ts'].message).toMatch(/-\s+"stage": "staging"[\s\S]*\+\s+"stage": "prod"/);
      expect(run.exitCode).toBe(1);
    });

    it('fails a test that relies on expect.assertions(), which the runner does not check, saying so', () => {
      expect(byName['counts-assertions.fixture.ts'].status).toBe('failed');
      expect(byName['counts-assertions.fixture.ts'].message).toContain(
        "expect.assertions() is not checked by this project's jest runner",
      );
    });

    it('fails a file whose process exits or that outlasts the test timeout, naming it, and runs the rest in a fresh process', () => {
      expect(byName['exits.fixture.ts'].status).toBe('failed');
      expect(byName['exits.fixture.ts'].message).toMatch(
        /the test worker exited \(code 3\) while running \S+exits\.fixture\.ts/,
      );
      expect(byName['hangs.fixture.ts'].status).toBe('failed');
      expect(byName['hangs.fixture.ts'].message).toMatch(
        /\S+hangs\.fixture\.ts did not finish within 3 s \(the test timeout\); its worker was stopped/,
      );
      expect(byName['passes.fixture.ts'].status).toBe('passed');
    });
  });
});
