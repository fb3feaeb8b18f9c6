import { CheckFailure } from '../aws-call';

/**
 * What the bake carries from one invocation to the next in CodePipeline's continuation token: when it
 * started. CodePipeline hands the token back in the next job's `data.continuationToken`.
 */
export interface BakeToken {
  /** When the first invocation of this action started watching. */
  readonly startedAt: Date;
}

/** A Lambda invoke action runs at most 24 hours (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html). */
const MAX_ACTION_MS = 24 * 60 * 60 * 1000;
/** Clock difference tolerated between two invocations' hosts. */
const CLOCK_SKEW_MS = 60_000;

/** The token for `token`, as PutJobSuccessResult takes it (at most 2048 characters). */
export function encodeBakeToken(token: BakeToken): string {
  return JSON.stringify({ v: 1, startedAt: token.startedAt.toISOString() });
}

/**
 * Reads the continuation token of a job: `undefined` for the action's first invocation (no token).
 *
 * @throws CheckFailure when the token is not one this function wrote, or names a start in the future or
 *   longer ago than an action can run: the bake's start is then unknown, so nothing can be proved.
 */
export function decodeBakeToken(raw: string | undefined, now: Date): BakeToken | undefined {
  if (raw === undefined || raw === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // Not JSON: `parsed` stays undefined and the token is refused below.
  }
  const startedAt =
    typeof parsed === 'object' && parsed !== null && (parsed as { v?: unknown }).v === 1
      ? new Date(String((parsed as { startedAt?: unknown }).startedAt))
      : undefined;
  if (!startedAt || Number.isNaN(startedAt.getTime()))
    throw new CheckFailure(`the continuation token is not the bake's (${raw.slice(0, 80)}): its start is unknown`);
  const age = now.getTime() - startedAt.getTime();
  if (age < -CLOCK_SKEW_MS || age > MAX_ACTION_MS)
    throw new CheckFailure(
      `the continuation token says the bake started at ${startedAt.toISOString()}, which is not within the last 24 hours`,
    );
  return { startedAt };
}
