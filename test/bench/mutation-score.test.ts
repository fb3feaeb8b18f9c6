import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { readMutationRun, readMutationSummary } from '../../bench/mutation-score';

const mutants = (...statuses: string[]) => statuses.map((status, i) => ({ id: String(i), status }));

function reportFile(report: object): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'mutation-report-')), 'mutation.json');
  writeFileSync(file, JSON.stringify(report));
  return file;
}

describe('readMutationSummary', () => {
  const file = reportFile({
    files: {
      'lambda/pipeline/private/bake/alarm-watch.ts': { mutants: mutants('Killed', 'Timeout', 'Survived', 'Ignored') },
      'lambda/pipeline/private/run-check.ts': { mutants: mutants('NoCoverage', 'Killed', 'CompileError') },
      'lib/config/cron.ts': { mutants: mutants('Killed', 'Killed', 'Killed', 'Survived') },
      'lib/configuration-other/x.ts': { mutants: mutants('Survived') },
    },
  });

  it('scores each folder as Stryker does: killed and timed out over killed, timed out, survived and untested', () => {
    const summary = readMutationSummary(['lambda/pipeline', 'lib/config'], file)!;
    expect(summary.folders).toEqual([
      { folder: 'lambda/pipeline', killed: 3, survived: 1, noCoverage: 1, mutants: 5, score: 60 },
      { folder: 'lib/config', killed: 3, survived: 1, noCoverage: 0, mutants: 4, score: 75 },
    ]);
  });

  it('has no score for a folder without mutants, and no summary without a report', () => {
    expect(readMutationSummary(['scripts'], file)!.folders[0].score).toBeUndefined();
    expect(readMutationSummary(['lib/config'], path.join(tmpdir(), 'no-such-dir', 'mutation.json'))).toBeUndefined();
  });
});

describe('readMutationRun', () => {
  function logFile(text: string): string {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'stryker-log-')), 'stryker.log');
    writeFileSync(file, text);
    return file;
  }
  // Lines as Stryker 9 writes them to stryker.log (colours included).
  const FULL_RUN = [
    '02:01:03 (123) INFO ProjectReader Found 93 of 412 file(s) to be mutated.',
    '02:55:41 (123) INFO MutationTestExecutor Done in 54 minutes and 38 seconds.',
  ].join('\n');
  const RERUN = [
    '03:00:00 (456) INFO IncrementalDiffer Detected 2 files changed',
    '\tResult:\t\t\u001b[93m8500\u001b[39m of 8592 mutant result(s) are reused.',
    '03:03:07 (456) INFO MutationTestExecutor Done in 3 minutes and 7 seconds.',
  ].join('\n');

  it('reads the latest run: its minutes and seconds, and no reused results in a full run', () => {
    expect(readMutationRun(logFile(`${FULL_RUN}\n`))).toEqual({ seconds: 54 * 60 + 38, reused: 0 });
  });

  it('reports an incremental rerun as such, and reads only the latest run of an appended log', () => {
    expect(readMutationRun(logFile(`${FULL_RUN}\n${RERUN}\n`))).toEqual({ seconds: 187, reused: 8500 });
    expect(readMutationRun(logFile(`${RERUN}\n${FULL_RUN}\n`))).toEqual({ seconds: 54 * 60 + 38, reused: 0 });
  });

  it('reads runs under a minute and of whole minutes', () => {
    expect(readMutationRun(logFile('x INFO MutationTestExecutor Done in 42 seconds.\n'))!.seconds).toBe(42);
    expect(readMutationRun(logFile('x INFO MutationTestExecutor Done in 1 minute.\n'))!.seconds).toBe(60);
  });

  it('has no run without a finished run in the log, or without a log', () => {
    expect(readMutationRun(logFile('x INFO ProjectReader Found 93 of 412 file(s) to be mutated.\n'))).toBeUndefined();
    expect(readMutationRun(path.join(tmpdir(), 'no-such-dir', 'stryker.log'))).toBeUndefined();
  });
});
