import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { readMutationSummary } from '../../bench/mutation-score';

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
