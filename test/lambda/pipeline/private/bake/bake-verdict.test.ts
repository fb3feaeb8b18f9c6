import type { AlarmObservation, AlarmTransition } from '../../../../../lambda/pipeline/private/bake/alarm-watch';
import type { BakeWindow } from '../../../../../lambda/pipeline/private/bake/bake-verdict';
import { bakeVerdict } from '../../../../../lambda/pipeline/private/bake/bake-verdict';

const MINUTE = 60_000;
const ALARM = 'example-live-stage-unhealthy';
const T0 = new Date('2026-06-01T12:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);
const WINDOW: BakeWindow = { startedAt: T0, minutes: 10 };

/** The alarm as one look sees it: OK since before the bake, no change within it, unless told otherwise. */
const seen = (change: Partial<AlarmObservation> = {}): AlarmObservation => ({
  alarmName: ALARM,
  region: 'eu-west-2',
  state: 'OK',
  stateReason: 'Alarm rule evaluated to FALSE',
  stateSince: at(-60),
  transitions: [],
  ...change,
});

const move = (minute: number, from: string, to: string, reason?: string): AlarmTransition => ({
  at: at(minute),
  from,
  to,
  summary: `Alarm updated from ${from} to ${to}`,
  ...(reason ? { reason } : {}),
});

describe('The bake verdict', () => {
  describe('while the window lasts', () => {
    it('keeps watching an alarm that is OK and never left OK, with the time left and the share watched', () => {
      expect(bakeVerdict(seen(), WINDOW, at(4.5))).toEqual({
        kind: 'watching',
        remainingMs: 5.5 * MINUTE,
        percent: 45,
        summary: `${ALARM} OK and never in ALARM for 4.5 of 10 minutes (bake started 2026-06-01T12:00:00Z)`,
      });
    });

    it('keeps watching one millisecond before the window ends, at most 99 percent done', () => {
      const verdict = bakeVerdict(seen(), WINDOW, new Date(at(10).getTime() - 1));
      expect(verdict).toMatchObject({ kind: 'watching', remainingMs: 1, percent: 99 });
    });

    it('rounds the share watched down', () => {
      expect(bakeVerdict(seen(), WINDOW, new Date(at(1).getTime() - 1))).toMatchObject({ percent: 9 });
    });

    it('counts a start a little ahead of this host clock (skew) as 0 percent watched, not less', () => {
      const verdict = bakeVerdict(seen(), { startedAt: at(0.5), minutes: 10 }, T0);
      expect(verdict).toMatchObject({ kind: 'watching', remainingMs: 10.5 * MINUTE, percent: 0 });
    });

    it('accepts changes between OK states that never touched ALARM or INSUFFICIENT_DATA', () => {
      expect(bakeVerdict(seen({ transitions: [move(2, 'OK', 'OK')] }), WINDOW, at(3)).kind).toBe('watching');
    });
  });

  describe('once the window has passed', () => {
    it('passes exactly when the window ends, naming the alarm and the window', () => {
      expect(bakeVerdict(seen(), WINDOW, at(10))).toEqual({
        kind: 'passed',
        summary: `${ALARM} stayed out of ALARM for the whole 10-minute bake (2026-06-01T12:00:00Z to 2026-06-01T12:10:00Z) and is OK`,
      });
    });

    it('passes later too', () => {
      expect(bakeVerdict(seen(), WINDOW, at(25)).kind).toBe('passed');
    });
  });

  describe('fails', () => {
    it('when the alarm does not exist, naming it, its region and the grant composite alarms need', () => {
      const verdict = bakeVerdict(seen({ state: undefined }), WINDOW, at(10));
      expect(verdict).toEqual({
        kind: 'failed',
        reason: `alarm ${ALARM} does not exist in eu-west-2 (or the check role's cloudwatch:DescribeAlarms is not granted on *, which CloudWatch requires to return composite alarms): the bake cannot watch it`,
      });
    });

    it('when the alarm went to ALARM and back, naming when, how far in, why and when it recovered', () => {
      const verdict = bakeVerdict(
        seen({ transitions: [move(3, 'OK', 'ALARM', 'ALARM(api-5xx) TRUE'), move(5, 'ALARM', 'OK')] }),
        WINDOW,
        at(10),
      );
      expect(verdict).toEqual({
        kind: 'failed',
        reason: `${ALARM} went to ALARM at 2026-06-01T12:03:00Z, 3.0 minutes into the 10-minute bake that started 2026-06-01T12:00:00Z: ALARM(api-5xx) TRUE (back to OK at 2026-06-01T12:05:00Z)`,
      });
    });

    it('when the alarm went to ALARM and stayed there, with the summary when there is no reason', () => {
      const verdict = bakeVerdict(seen({ state: 'ALARM', transitions: [move(2.5, 'OK', 'ALARM')] }), WINDOW, at(4));
      expect(verdict).toEqual({
        kind: 'failed',
        reason: `${ALARM} went to ALARM at 2026-06-01T12:02:30Z, 2.5 minutes into the 10-minute bake that started 2026-06-01T12:00:00Z: Alarm updated from OK to ALARM`,
      });
    });

    it('on the first ALARM of several, even after an OK change', () => {
      const verdict = bakeVerdict(
        seen({ transitions: [move(1, 'OK', 'OK'), move(2, 'OK', 'ALARM', 'first'), move(3, 'ALARM', 'OK')] }),
        WINDOW,
        at(4),
      );
      expect(verdict.kind === 'failed' && verdict.reason).toMatch(
        /ALARM at 2026-06-01T12:02:00Z.*: first \(back to OK/,
      );
    });

    it('naming the recovery, not a later change that stayed in ALARM, as the time it came back', () => {
      const verdict = bakeVerdict(
        seen({
          transitions: [move(2, 'OK', 'ALARM', 'first'), move(3, 'ALARM', 'ALARM', 'still'), move(6, 'ALARM', 'OK')],
        }),
        WINDOW,
        at(10),
      );
      expect(verdict).toEqual({
        kind: 'failed',
        reason: `${ALARM} went to ALARM at 2026-06-01T12:02:00Z, 2.0 minutes into the 10-minute bake that started 2026-06-01T12:00:00Z: first (back to OK at 2026-06-01T12:06:00Z)`,
      });
    });

    it('naming the recovery, not an unreadable change between, as the time it came back', () => {
      const unreadable: AlarmTransition = { at: at(3), summary: 'Alarm updated' };
      const verdict = bakeVerdict(
        seen({ transitions: [move(2, 'OK', 'ALARM', 'first'), unreadable, move(6, 'ALARM', 'OK')] }),
        WINDOW,
        at(10),
      );
      expect(verdict.kind === 'failed' && verdict.reason).toMatch(/: first \(back to OK at 2026-06-01T12:06:00Z\)$/);
    });

    it('without claiming a recovery when the change into ALARM came from ALARM', () => {
      const verdict = bakeVerdict(
        seen({ state: 'ALARM', transitions: [move(2, 'ALARM', 'ALARM', 'still')] }),
        WINDOW,
        at(3),
      );
      expect(verdict).toEqual({
        kind: 'failed',
        reason: `${ALARM} went to ALARM at 2026-06-01T12:02:00Z, 2.0 minutes into the 10-minute bake that started 2026-06-01T12:00:00Z: still`,
      });
    });

    it('when the alarm was in ALARM as the bake started and left it within the window', () => {
      const verdict = bakeVerdict(seen({ transitions: [move(1, 'ALARM', 'OK')] }), WINDOW, at(10));
      expect(verdict).toEqual({
        kind: 'failed',
        reason: `${ALARM} was in ALARM within the bake until 2026-06-01T12:01:00Z, 1.0 minutes into the 10-minute bake that started 2026-06-01T12:00:00Z`,
      });
    });

    it.each([
      ['went to', move(6, 'OK', 'INSUFFICIENT_DATA')],
      ['came from', move(6, 'INSUFFICIENT_DATA', 'OK')],
    ])('when the alarm %s INSUFFICIENT_DATA within the window', (_, transition) => {
      expect(bakeVerdict(seen({ transitions: [transition] }), WINDOW, at(10))).toEqual({
        kind: 'failed',
        reason: `${ALARM} was INSUFFICIENT_DATA at 2026-06-01T12:06:00Z, 6.0 minutes into the 10-minute bake that started 2026-06-01T12:00:00Z: it was not evaluated, so the bake cannot prove the stage healthy`,
      });
    });

    it.each<[string, Partial<AlarmTransition>]>([
      ['its old state', { from: undefined }],
      ['its new state', { to: undefined }],
    ])('when a change within the window cannot be read (%s unknown): that time is not proved', (_, gap) => {
      const transition = { ...move(2, 'OK', 'OK'), summary: 'Alarm updated', ...gap };
      expect(bakeVerdict(seen({ transitions: [transition] }), WINDOW, at(10))).toEqual({
        kind: 'failed',
        reason: `could not read the state change of ${ALARM} at 2026-06-01T12:02:00Z (Alarm updated), 2.0 minutes into the 10-minute bake that started 2026-06-01T12:00:00Z: the bake cannot prove it stayed out of ALARM`,
      });
    });

    it('when an unreadable change has no summary either, saying so', () => {
      const verdict = bakeVerdict(seen({ transitions: [{ at: at(2), summary: '' }] }), WINDOW, at(10));
      expect(verdict.kind === 'failed' && verdict.reason).toContain(
        'at 2026-06-01T12:02:00Z (no summary), 2.0 minutes',
      );
    });

    it('when the alarm is in ALARM now, with since when and its reason', () => {
      const verdict = bakeVerdict(seen({ state: 'ALARM', stateReason: 'ALARM(dr) TRUE' }), WINDOW, at(0.5));
      expect(verdict).toEqual({
        kind: 'failed',
        reason: `${ALARM} is in ALARM since 2026-06-01T11:00:00Z, 0.5 minutes into the 10-minute bake that started 2026-06-01T12:00:00Z: ALARM(dr) TRUE`,
      });
    });

    it('when the alarm is in ALARM now without a time or reason, saying none was given', () => {
      const verdict = bakeVerdict(
        seen({ state: 'ALARM', stateReason: undefined, stateSince: undefined }),
        { startedAt: at(0.5), minutes: 10 },
        T0,
      );
      expect(verdict).toEqual({
        kind: 'failed',
        reason: `${ALARM} is in ALARM, 0.0 minutes into the 10-minute bake that started 2026-06-01T12:00:30Z: no reason given`,
      });
    });

    it('when the alarm is INSUFFICIENT_DATA now, even after the window has passed', () => {
      const verdict = bakeVerdict(seen({ state: 'INSUFFICIENT_DATA' }), WINDOW, at(12));
      expect(verdict).toEqual({
        kind: 'failed',
        reason: `${ALARM} is INSUFFICIENT_DATA since 2026-06-01T11:00:00Z (not evaluated since it was created), 12.0 minutes into the 10-minute bake that started 2026-06-01T12:00:00Z: the bake cannot prove the stage healthy`,
      });
    });
  });
});
