import type { AlarmObservation, AlarmTransition } from './alarm-watch';

/** When the bake started and how long it must last. */
export interface BakeWindow {
  readonly startedAt: Date;
  readonly minutes: number;
}

/** What a look at the alarm proves about the bake. */
export type BakeVerdict =
  /** The alarm was in ALARM (or could not be shown out of it) within the window: the stage fails. */
  | { readonly kind: 'failed'; readonly reason: string }
  /** The whole window has passed with the alarm never in ALARM and OK now. */
  | { readonly kind: 'passed'; readonly summary: string }
  /** Nothing wrong so far; `remainingMs` of the window are left to watch. */
  | {
      readonly kind: 'watching';
      readonly summary: string;
      readonly remainingMs: number;
      /** Share of the window watched, 0 to 99. */
      readonly percent: number;
    };

const MINUTE_MS = 60_000;
// Stryker disable next-line Regex: toISOString() always ends in one `.sssZ`, so the anchor changes nothing
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const minutesInto = (at: Date, window: BakeWindow) =>
  `${Math.max(0, (at.getTime() - window.startedAt.getTime()) / MINUTE_MS).toFixed(1)} minutes into the ${window.minutes}-minute bake that started ${iso(window.startedAt)}`;

/** The first change after `index` that left `state` (not one that stayed in it), for "back to OK at ...". */
function leftAfter(transitions: readonly AlarmTransition[], index: number, state: string): AlarmTransition | undefined {
  return transitions.slice(index + 1).find((t) => t.from === state && t.to !== state);
}

/**
 * Judges one look at the stage-unhealthy alarm against the bake window. It fails when the alarm does not
 * exist; when any change within the window went to or came from ALARM (so an alarm that fired and
 * recovered between two looks still fails the bake); when a change went to or came from INSUFFICIENT_DATA,
 * or cannot be read (nothing is proved for that time); or when the alarm is in ALARM or INSUFFICIENT_DATA
 * now. Otherwise it passes once the whole window has passed, and is still watching before.
 */
export function bakeVerdict(observation: AlarmObservation, window: BakeWindow, now: Date): BakeVerdict {
  const { alarmName, region, transitions } = observation;
  if (observation.state === undefined)
    return {
      kind: 'failed',
      reason: `alarm ${alarmName} does not exist in ${region} (or the check role's cloudwatch:DescribeAlarms is not granted on *, which CloudWatch requires to return composite alarms): the bake cannot watch it`,
    };
  for (const [i, t] of transitions.entries()) {
    if (t.to === undefined || t.from === undefined)
      return {
        kind: 'failed',
        reason: `could not read the state change of ${alarmName} at ${iso(t.at)} (${t.summary || 'no summary'}), ${minutesInto(t.at, window)}: the bake cannot prove it stayed out of ALARM`,
      };
    if (t.to === 'ALARM') {
      const back = leftAfter(transitions, i, 'ALARM');
      return {
        kind: 'failed',
        reason: `${alarmName} went to ALARM at ${iso(t.at)}, ${minutesInto(t.at, window)}: ${t.reason ?? t.summary}${back ? ` (back to ${back.to} at ${iso(back.at)})` : ''}`,
      };
    }
    if (t.from === 'ALARM')
      return {
        kind: 'failed',
        reason: `${alarmName} was in ALARM within the bake until ${iso(t.at)}, ${minutesInto(t.at, window)}`,
      };
    if (t.to === 'INSUFFICIENT_DATA' || t.from === 'INSUFFICIENT_DATA')
      return {
        kind: 'failed',
        reason: `${alarmName} was INSUFFICIENT_DATA at ${iso(t.at)}, ${minutesInto(t.at, window)}: it was not evaluated, so the bake cannot prove the stage healthy`,
      };
  }
  const since = observation.stateSince ? ` since ${iso(observation.stateSince)}` : '';
  if (observation.state === 'ALARM')
    return {
      kind: 'failed',
      reason: `${alarmName} is in ALARM${since}, ${minutesInto(now, window)}: ${observation.stateReason ?? 'no reason given'}`,
    };
  if (observation.state !== 'OK')
    return {
      kind: 'failed',
      reason: `${alarmName} is ${observation.state}${since} (not evaluated since it was created), ${minutesInto(now, window)}: the bake cannot prove the stage healthy`,
    };
  const endsAt = window.startedAt.getTime() + window.minutes * MINUTE_MS;
  if (now.getTime() >= endsAt)
    return {
      kind: 'passed',
      summary: `${alarmName} stayed out of ALARM for the whole ${window.minutes}-minute bake (${iso(window.startedAt)} to ${iso(now)}) and is OK`,
    };
  const remainingMs = endsAt - now.getTime();
  const watchedMs = now.getTime() - window.startedAt.getTime();
  return {
    kind: 'watching',
    remainingMs,
    percent: Math.min(99, Math.max(0, Math.floor((watchedMs / (window.minutes * MINUTE_MS)) * 100))),
    summary: `${alarmName} OK and never in ALARM for ${(watchedMs / MINUTE_MS).toFixed(1)} of ${window.minutes} minutes (bake started ${iso(window.startedAt)})`,
  };
}
