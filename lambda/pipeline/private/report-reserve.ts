import { ENV_NAMES } from '../../../contracts/env-names';

/**
 * Reads the reserve from the environment; returns a problem instead of throwing so the handler can still
 * report it.
 */
export function readReserve(env: Readonly<Record<string, string | undefined>>): {
  reserveMs: number;
  problem?: string;
} {
  const raw = env[ENV_NAMES.reportReserveMs];
  const value = Number(raw);
  if (raw === undefined || !Number.isInteger(value) || value < 1000 || value > 60000) {
    return {
      reserveMs: 5000,
      problem: `environment ${ENV_NAMES.reportReserveMs} = ${JSON.stringify(raw)} is not a whole number of milliseconds from 1000 to 60000`,
    };
  }
  return { reserveMs: value };
}

/** Thrown when a check runs out of the time left before the report reserve. */
export class DeadlineError extends Error {}

/** Time kept, within the reserve, after the last report attempt: to log and return before Lambda's timeout. */
export const REPORT_MARGIN_MS = 1000;

/** Milliseconds as seconds with one decimal, for messages. */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Races `work` against `ms`, rejecting with a {@link DeadlineError} when the time runs out first. */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new DeadlineError(
            `did not finish within ${seconds(ms)} (the rest of the function's time is kept back to report)`,
          ),
        ),
      ms,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
