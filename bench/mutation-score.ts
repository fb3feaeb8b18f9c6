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
