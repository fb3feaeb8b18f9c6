import { truncate } from '../check-result';
import type { JourneyState } from './journey-state';
import { failedStep, nextStep, stepsOf } from './journey-state';

/** Seconds with one decimal. */
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Whether every step has run. */
export function journeyFinished(state: JourneyState): boolean {
  return nextStep(state) === undefined;
}

/** Whether the journey finished with every step passed. */
export function journeyPassed(state: JourneyState): boolean {
  return journeyFinished(state) && state.results.length > 0 && failedStep(state) === undefined;
}

/**
 * The action's one-paragraph message (at most 480 characters): on failure it names the failed step first,
 * with what it expected and got, then how the clean-up went.
 */
export function summarizeJourney(stage: string, state: JourneyState, details = "the journey function's logs"): string {
  const mode = state.readOnly ? 'read-only journey' : 'journey';
  const failed = failedStep(state);
  if (!failed) {
    const times = state.results.map((r) => `${r.name} ${seconds(r.durationMs)}`).join(', ');
    return truncate(`${stage} ${mode} passed: ${times}.`);
  }
  const cleanUp = state.results.find((r) => r.name === 'clean-up');
  const cleanUpText =
    failed.name === 'clean-up' || !cleanUp
      ? ''
      : cleanUp.status === 'pass'
        ? ' Clean-up passed.'
        : ` Clean-up FAILED: ${cleanUp.detail}.`;
  return truncate(
    `${stage} ${mode} FAILED at step ${failed.name}: ${failed.detail}.${cleanUpText} Details in ${details}.`,
  );
}

/** A short progress line while the journey continues in another invocation. */
export function journeyProgress(stage: string, state: JourneyState): string {
  const steps = stepsOf(state);
  const running = state.current?.name ?? nextStep(state) ?? 'done';
  return truncate(`${stage} journey in progress: ${state.results.length}/${steps.length} steps done, now ${running}.`);
}

/** The journey's steps as a fixed-width table, then its one-paragraph result, for the operator CLI. */
export function formatJourney(stage: string, state: JourneyState): string {
  const rows = state.results.map((r) => [r.status.toUpperCase(), r.name, seconds(r.durationMs), r.detail]);
  const header = ['STATUS', 'STEP', 'TIME', 'DETAIL'];
  const width = (i: number) => Math.max(...[header, ...rows].map((r) => r[i].length));
  const line = (r: string[]) =>
    `${r[0].padEnd(width(0))}  ${r[1].padEnd(width(1))}  ${r[2].padStart(width(2))}  ${r[3]}`;
  return [line(header), ...rows.map(line), '', summarizeJourney(stage, state, 'the table above and --verbose')].join(
    '\n',
  );
}
