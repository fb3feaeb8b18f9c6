/**
 * Validation of the cron expressions CodePipeline's DeploymentWindow rule accepts:
 * `seconds minutes hours day-of-month month day-of-week [year]`, where seconds is always `*`,
 * exactly one of day-of-month and day-of-week is `?`, and the other fields take `,` `-` `*` `/`
 * plus `L`, `W` (day-of-month) and `L`, `#` (day-of-week).
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted for the values min..max, in order. */
  readonly names?: readonly string[];
  readonly what: string;
}

const FIELDS: Record<'minutes' | 'hours' | 'dayOfMonth' | 'month' | 'dayOfWeek' | 'year', FieldSpec> = {
  minutes: { label: 'minutes', min: 0, max: 59, what: 'a minute (0-59)' },
  hours: { label: 'hours', min: 0, max: 23, what: 'an hour (0-23)' },
  dayOfMonth: { label: 'day-of-month', min: 1, max: 31, what: 'a day of the month (1-31)' },
  month: { label: 'month', min: 1, max: 12, names: MONTHS, what: 'a month (1-12 or JAN-DEC)' },
  dayOfWeek: { label: 'day-of-week', min: 1, max: 7, names: DAYS, what: 'a day (1-7 or SUN-SAT)' },
  year: { label: 'year', min: 1970, max: 2199, what: 'a year (1970-2199)' },
};

class CronFieldError extends Error {}

function value(spec: FieldSpec, token: string): number {
  const upper = token.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  const n = named >= 0 ? spec.min + named : /^\d+$/.test(token) ? Number(token) : NaN;
  if (!Number.isInteger(n) || n < spec.min || n > spec.max) {
    throw new CronFieldError(`${spec.label} field: "${token}" is not ${spec.what}`);
  }
  return n;
}

/** The values of a field made of `,` `-` `*` `/` items. */
function values(spec: FieldSpec, field: string): Set<number> {
  const out = new Set<number>();
  for (const item of field.split(',')) {
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined || range === '')
      throw new CronFieldError(`${spec.label} field: "${item}" is not a value, range or step`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (stepText !== undefined && (!/^\d+$/.test(stepText) || step < 1)) {
      throw new CronFieldError(
        `${spec.label} field: step "${stepText}" in "${item}" is not a whole number of at least 1`,
      );
    }
    let from: number;
    let to: number;
    if (range === '*') {
      [from, to] = [spec.min, spec.max];
    } else if (range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (more !== undefined) throw new CronFieldError(`${spec.label} field: "${item}" is not a range`);
      [from, to] = [value(spec, a), value(spec, b)];
      if (from > to) throw new CronFieldError(`${spec.label} field: range "${range}" runs backwards`);
    } else {
      from = value(spec, range);
      to = stepText === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

type DayTest = (year: number, month: number, day: number) => boolean;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1; // 1 = SUN
}

function dayOfMonthTest(field: string): DayTest {
  const spec = FIELDS.dayOfMonth;
  if (field === 'L') return (y, m, d) => d === daysIn(y, m);
  if (field === 'LW') return (y, m, d) => d === lastWeekday(y, m);
  const lastOffset = /^L-(\d+)$/.exec(field);
  if (lastOffset) {
    const offset = Number(lastOffset[1]);
    if (offset > 30)
      throw new CronFieldError(`${spec.label} field: "L-${offset}" is more than 30 days before the last day`);
    return (y, m, d) => d === daysIn(y, m) - offset;
  }
  const nearestWeekday = /^(\d+)W$/.exec(field);
  if (nearestWeekday) {
    const target = value(spec, nearestWeekday[1]);
    return (y, m, d) => target <= daysIn(y, m) && d === nearestWeekdayTo(y, m, target);
  }
  if (/[LW]/i.test(field))
    throw new CronFieldError(
      `${spec.label} field: "${field}" uses L or W in a way the rule does not accept (L, L-n, LW or nW alone)`,
    );
  const days = values(spec, field);
  return (_y, _m, d) => days.has(d);
}

function lastWeekday(y: number, m: number): number {
  let d = daysIn(y, m);
  while ([1, 7].includes(weekday(y, m, d))) d -= 1;
  return d;
}

function nearestWeekdayTo(y: number, m: number, target: number): number {
  const wd = weekday(y, m, target);
  if (wd === 7) return target === 1 ? 3 : target - 1; // Saturday: Friday before, or Monday after the 1st
  if (wd === 1) return target === daysIn(y, m) ? target - 2 : target + 1; // Sunday: Monday after, or Friday before the last day
  return target;
}

function dayOfWeekTest(field: string): DayTest {
  const spec = FIELDS.dayOfWeek;
  if (field.toUpperCase() === 'L') return (y, m, d) => weekday(y, m, d) === 7;
  const last = /^(\w+)L$/i.exec(field);
  if (last) {
    const wd = value(spec, last[1]);
    return (y, m, d) => weekday(y, m, d) === wd && d + 7 > daysIn(y, m);
  }
  const nth = /^(\w+)#(\d+)$/.exec(field);
  if (nth) {
    const wd = value(spec, nth[1]);
    const k = Number(nth[2]);
    if (k < 1 || k > 5)
      throw new CronFieldError(`${spec.label} field: "#${nth[2]}" in "${field}" is not an occurrence from 1 to 5`);
    return (y, m, d) => weekday(y, m, d) === wd && Math.ceil(d / 7) === k;
  }
  if (/[L#]/i.test(field))
    throw new CronFieldError(
      `${spec.label} field: "${field}" uses L or # in a way the rule does not accept (L, nL or n#k alone)`,
    );
  const days = values(spec, field);
  return (y, m, d) => days.has(weekday(y, m, d));
}

/**
 * What is wrong with `expression` as a DeploymentWindow cron, naming the field, or `undefined`
 * when it is valid and opens at least once between `from` and the year 2199.
 */
export function cronProblem(expression: string, from: Date = new Date()): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6 && fields.length !== 7) {
    return `it has ${fields.length} field${fields.length === 1 ? '' : 's'}; a DeploymentWindow cron has 6 or 7 (seconds minutes hours day-of-month month day-of-week [year])`;
  }
  const [seconds, minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields;
  try {
    if (seconds !== '*')
      throw new CronFieldError(`seconds field: "${seconds}" must be * (CodePipeline accepts nothing else there)`);
    values(FIELDS.minutes, minutes);
    values(FIELDS.hours, hours);
    if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
      throw new CronFieldError(
        `day-of-month "${dayOfMonth}" and day-of-week "${dayOfWeek}": exactly one of the two must be ?`,
      );
    }
    const months = values(FIELDS.month, month);
    const dayTest = dayOfMonth === '?' ? dayOfWeekTest(dayOfWeek) : dayOfMonthTest(dayOfMonth);
    const firstYear = from.getUTCFullYear();
    const years =
      year === undefined || year === '*'
        ? Array.from({ length: 29 }, (_, i) => firstYear + i) // the calendar repeats within 28 years
        : [...values(FIELDS.year, year)].filter((y) => y >= firstYear);
    for (const y of years) {
      for (const m of months) {
        for (let d = 1; d <= daysIn(y, m); d += 1) if (dayTest(y, m, d)) return undefined;
      }
    }
    return `the window never opens: no date from ${firstYear} on matches day-of-month "${dayOfMonth}", month "${month}", day-of-week "${dayOfWeek}"${year ? `, year "${year}"` : ''}`;
  } catch (e) {
    if (e instanceof CronFieldError) return e.message;
    throw e;
  }
}
