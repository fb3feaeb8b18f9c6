import { cronProblem, nextWindowOpening } from '../../contracts/cron';

const FROM = new Date(Date.UTC(2026, 11, 2));

describe('DeploymentWindow cron validation', () => {
  it.each([
    '* * 9-15 ? * MON-THU',
    '* 0/15 8-17 ? * 2-6',
    '* * * L * ?',
    '* * * L-3 * ?',
    '* * * 15W * ?',
    '* * * LW JAN,JUL ?',
    '* * 22 ? * 6L',
    '* * 10 ? * MON#2',
    '* * 9-17 ? * * 2027-2030',
    '* * 0 29 FEB ? *',
  ])('accepts %s', (cron) => {
    expect(cronProblem(cron, FROM)).toBeUndefined();
  });

  it.each<[string, string]>([
    ['* * 25-30 ? * FUNDAY', 'hours field: "25" is not an hour (0-23)'],
    ['* * 9 ? * FUNDAY', 'day-of-week field: "FUNDAY" is not a day (1-7 or SUN-SAT)'],
    ['0 * 9 ? * MON', 'seconds field: "0" must be *'],
    ['* 60 9 ? * MON', 'minutes field: "60" is not a minute (0-59)'],
    ['* * 9 32 * ?', 'day-of-month field: "32" is not a day of the month (1-31)'],
    ['* * 9 ? 13 MON', 'month field: "13" is not a month (1-12 or JAN-DEC)'],
    ['* * 9 ? SMARCH MON', 'month field: "SMARCH" is not a month'],
    ['* * 9 * * MON', 'exactly one of the two must be ?'],
    ['* * 9 ? * ?', 'exactly one of the two must be ?'],
    ['* * 17-9 ? * MON', 'hours field: range "17-9" runs backwards'],
    ['* */0 9 ? * MON', 'minutes field: step "0" in "*/0" is not a whole number of at least 1'],
    ['* * 9 ? * MON#6', 'day-of-week field: "#6" in "MON#6" is not an occurrence from 1 to 5'],
    ['* * 9 ? * MON 1999', 'the window never opens'],
    ['* * 9 ? * MON 2300', 'year field: "2300" is not a year (1970-2199)'],
    ['* * 9 30-31 FEB ?', 'the window never opens: no date from 2026 on matches day-of-month "30-31", month "FEB"'],
    ['* * 9 31 APR,JUN,SEP,NOV ?', 'the window never opens'],
    ['* * 9-15 ? * MON-THU extra more', 'it has 8 fields; a DeploymentWindow cron has 6 or 7'],
    ['weekdays', 'it has 1 field'],
  ])('rejects %s, naming what is wrong', (cron, problem) => {
    expect(cronProblem(cron, FROM)).toContain(problem);
  });

  it('knows 29 February opens only in leap years, and a year list without one never opens', () => {
    expect(cronProblem('* * 0 29 FEB ? 2027-2027', FROM)).toContain('never opens');
    expect(cronProblem('* * 0 29 FEB ? 2028', FROM)).toBeUndefined();
  });
});

describe('When a deployment window next opens', () => {
  const WINDOW = '* * 9-15 ? * MON-THU';
  const opening = (from: string, cron = WINDOW, zone = 'Europe/London') =>
    nextWindowOpening(cron, zone, new Date(from));

  it('is the next allowed morning when the window closed for the day (Tuesday 17:00 -> Wednesday 09:00)', () => {
    expect(opening('2026-12-01T17:00:00Z')).toEqual({ at: new Date('2026-12-02T09:00:00Z'), openNow: false });
  });

  it('skips the days the cron leaves out (Thursday 16:30 -> Monday 09:00)', () => {
    expect(opening('2026-12-03T16:30:00Z')?.at).toEqual(new Date('2026-12-07T09:00:00Z'));
  });

  it('reads the hours in the time zone: after the clocks go forward, 09:00 London is 08:00 UTC', () => {
    // British Summer Time starts on Sunday 29 March 2026.
    expect(opening('2026-03-27T12:00:00Z', '* * 9-15 ? * MON')?.at).toEqual(new Date('2026-03-30T08:00:00Z'));
    expect(opening('2026-03-27T12:00:00Z', '* * 9-15 ? * MON', 'UTC')?.at).toEqual(new Date('2026-03-30T09:00:00Z'));
  });

  it('says the window is open when the time given is inside it', () => {
    expect(opening('2026-12-01T10:15:30Z')).toEqual({ at: new Date('2026-12-01T10:15:00Z'), openNow: true });
  });

  it('honours day-of-month specials and the year field', () => {
    expect(opening('2026-12-01T00:00:00Z', '* 0 9 L * ?')?.at).toEqual(new Date('2026-12-31T09:00:00Z'));
    expect(opening('2026-12-01T00:00:00Z', '* 30 10 ? * MON#1 2027')?.at).toEqual(new Date('2027-01-04T10:30:00Z'));
  });

  it('finds nothing for an invalid cron, an unknown time zone, or a window beyond the horizon', () => {
    expect(opening('2026-12-01T00:00:00Z', 'weekdays')).toBeUndefined();
    expect(opening('2026-12-01T00:00:00Z', WINDOW, 'Mars/Olympus_Mons')).toBeUndefined();
    expect(opening('2026-12-01T00:00:00Z', '* * 9 ? * MON 2199')).toBeUndefined();
  });
});
