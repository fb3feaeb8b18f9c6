import { cronProblem } from '../../lib/config/cron';

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
