/** Outcome of one item of a check. `warn` passes but says something a person should know. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

/** One line of a check's result table. */
export interface CheckOutcome {
  /** Short name of what was checked (`pitr`, `stacks`). */
  readonly name: string;
  readonly status: CheckStatus;
  /** One sentence: what was found, naming the resource when something is wrong. */
  readonly detail: string;
}

/** Result of a whole check run (health or DR). */
export interface CheckReport {
  readonly check: string;
  readonly stage: string;
  readonly outcomes: readonly CheckOutcome[];
  /** True only when at least one outcome exists and none failed. */
  readonly passed: boolean;
  readonly durationMs: number;
}

/** Builds a report; an empty outcome list is a failure (nothing was checked). */
export function toReport(
  check: string,
  stage: string,
  outcomes: readonly CheckOutcome[],
  durationMs: number,
): CheckReport {
  const passed = outcomes.length > 0 && outcomes.every((o) => o.status !== 'fail');
  return { check, stage, outcomes, passed, durationMs };
}

/** Maximum length of a CodePipeline failure message we send (CodePipeline truncates longer ones). */
export const MAX_SUMMARY_LENGTH = 480;

/** Cuts `text` to `max` characters, marking the cut. */
export function truncate(text: string, max = MAX_SUMMARY_LENGTH): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Short one-paragraph summary for CodePipeline: the failed items first, details are in the logs. */
export function summarize(report: CheckReport): string {
  const failed = report.outcomes.filter((o) => o.status === 'fail');
  if (report.outcomes.length === 0)
    return truncate(`${report.stage} ${report.check} check FAILED: nothing was checked.`);
  if (failed.length === 0) {
    const warned = report.outcomes.filter((o) => o.status === 'warn').length;
    return truncate(
      `${report.stage} ${report.check} check passed (${report.outcomes.length} items${warned ? `, ${warned} warnings` : ''}).`,
    );
  }
  const items = failed.map((o) => `${o.name}: ${o.detail}`).join('; ');
  return truncate(
    `${report.stage} ${report.check} check FAILED (${failed.length}/${report.outcomes.length}): ${items}. Details in the check function's logs.`,
  );
}
