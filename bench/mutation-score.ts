import { existsSync, readFileSync, statSync } from 'fs';
import * as path from 'path';

/** Where `npm run mutate` writes Stryker's JSON report (stryker.config.json). */
export const MUTATION_REPORT = path.join(__dirname, '..', 'reports', 'mutation', 'mutation.json');

/** The score of one folder in the latest mutation report. */
export interface FolderScore {
  readonly folder: string;
  /** Killed and timed-out mutants over those that ran or had no test (Stryker's "mutation score"); undefined without mutants. */
  readonly score?: number;
  readonly killed: number;
  readonly survived: number;
  readonly noCoverage: number;
  readonly mutants: number;
}

/** What the bench reports of the latest mutation run: it reads the report, it never runs Stryker. */
export interface MutationSummary {
  readonly reportFile: string;
  readonly writtenAt: string;
  readonly folders: readonly FolderScore[];
}

type Mutant = { status: string };
type Report = { files: Record<string, { mutants: Mutant[] }> };

const DETECTED = new Set(['Killed', 'Timeout']);
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);

/** Scores per folder from a Stryker JSON report (mutation-testing-report-schema); undefined when there is none. */
export function readMutationSummary(folders: readonly string[], file = MUTATION_REPORT): MutationSummary | undefined {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  return {
    reportFile: path.relative(process.cwd(), file),
    writtenAt: statSync(file).mtime.toISOString(),
    folders: folders.map((folder) => {
      const mutants = Object.entries(report.files)
        .filter(([name]) => name.replace(/\\/g, '/').startsWith(`${folder}/`))
        .flatMap(([, f]) => f.mutants)
        .filter((m) => COUNTED.has(m.status));
      const killed = mutants.filter((m) => DETECTED.has(m.status)).length;
      return {
        folder,
        killed,
        survived: mutants.filter((m) => m.status === 'Survived').length,
        noCoverage: mutants.filter((m) => m.status === 'NoCoverage').length,
        mutants: mutants.length,
        ...(mutants.length ? { score: (100 * killed) / mutants.length } : {}),
      };
    }),
  };
}

/** Where Stryker appends its log (`fileLogLevel` in stryker.config.json; the file name is Stryker's own). */
export const MUTATION_LOG = path.join(__dirname, '..', 'stryker.log');

/** The latest run in Stryker's log: how long it took and how many mutant results it reused from the last run. */
export interface MutationRun {
  readonly seconds: number;
  /** Mutant results taken from the incremental file instead of being tested again: 0 in a full run. */
  readonly reused: number;
}

/** The colour codes Stryker writes around some figures. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The latest finished run in `file`; undefined when the log holds none. */
export function readMutationRun(file = MUTATION_LOG): MutationRun | undefined {
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').replace(ANSI_COLOUR, '').split('\n');
  const runEnds = lines.flatMap((line, i) => (/ Done in /.test(line) ? [i] : []));
  if (runEnds.length === 0) return undefined;
  const [done, previousDone = -1] = runEnds.slice(-2).reverse();
  const elapsed = / Done in (?:(\d+) minutes?)?(?:(?:,? and )?(\d+) seconds?)?\./.exec(lines[done]);
  const reusedLine = lines
    .slice(previousDone + 1, done)
    .map((line) => /(\d+) of \d+ mutant result\(s\) are reused/.exec(line))
    .filter(Boolean)
    .pop();
  return {
    seconds: Number(elapsed?.[1] ?? 0) * 60 + Number(elapsed?.[2] ?? 0),
    reused: Number(reusedLine?.[1] ?? 0),
  };
}
