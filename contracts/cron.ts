/**
 * The cron expressions CodePipeline's DeploymentWindow rule accepts: their validation (config
 * loading) and when a window next opens (the execution notifier). The syntax, per
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-DeploymentWindow.html:
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

/** A DeploymentWindow cron compiled to the sets of values each field allows. */
interface CompiledCron {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly dayTest: DayTest;
  /** Years the year field allows; `undefined` when it allows every year. */
  readonly years?: ReadonlySet<number>;
  readonly fields: readonly string[];
}

/** Compiles `expression`, or throws a {@link CronFieldError} naming the field that is wrong. */
function compile(expression: string): CompiledCron {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6 && fields.length !== 7) {
    throw new CronFieldError(
      `it has ${fields.length} field${fields.length === 1 ? '' : 's'}; a DeploymentWindow cron has 6 or 7 (seconds minutes hours day-of-month month day-of-week [year])`,
    );
  }
  const [seconds, minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields;
  if (seconds !== '*')
    throw new CronFieldError(`seconds field: "${seconds}" must be * (CodePipeline accepts nothing else there)`);
  const minuteSet = values(FIELDS.minutes, minutes);
  const hourSet = values(FIELDS.hours, hours);
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new CronFieldError(
      `day-of-month "${dayOfMonth}" and day-of-week "${dayOfWeek}": exactly one of the two must be ?`,
    );
  }
  return {
    minutes: minuteSet,
    hours: hourSet,
    months: values(FIELDS.month, month),
    dayTest: dayOfMonth === '?' ? dayOfWeekTest(dayOfWeek) : dayOfMonthTest(dayOfMonth),
    years: year === undefined || year === '*' ? undefined : values(FIELDS.year, year),
    fields,
  };
}

/**
 * What is wrong with `expression` as a DeploymentWindow cron, naming the field, or `undefined`
 * when it is valid and opens at least once between `from` and the year 2199.
 */
export function cronProblem(expression: string, from: Date = new Date()): string | undefined {
  try {
    const cron = compile(expression);
    const firstYear = from.getUTCFullYear();
    const years = cron.years
      ? [...cron.years].filter((y) => y >= firstYear)
      : Array.from({ length: 29 }, (_, i) => firstYear + i); // the calendar repeats within 28 years
    for (const y of years) {
      for (const m of cron.months) {
        for (let d = 1; d <= daysIn(y, m); d += 1) if (cron.dayTest(y, m, d)) return undefined;
      }
    }
    const [, , , dayOfMonth, month, dayOfWeek, year] = cron.fields;
    return `the window never opens: no date from ${firstYear} on matches day-of-month "${dayOfMonth}", month "${month}", day-of-week "${dayOfWeek}"${year ? `, year "${year}"` : ''}`;
  } catch (e) {
    if (e instanceof CronFieldError) return e.message;
    throw e;
  }
}

/** The wall-clock minute of an instant in a time zone. */
interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function wallClock(instant: number, timeZone: string): WallClock {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute') };
}

/** The instant at which the clocks of `timeZone` show `w`, or `undefined` when they skip it (a daylight-saving gap). */
function instantOf(w: WallClock, timeZone: string): number | undefined {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const offsetAt = (t: number) => {
    const c = wallClock(t, timeZone);
    return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute) - Math.floor(t / 60_000) * 60_000;
  };
  let instant = asUtc - offsetAt(asUtc);
  instant = asUtc - offsetAt(instant);
  const back = wallClock(instant, timeZone);
  const same =
    back.year === w.year &&
    back.month === w.month &&
    back.day === w.day &&
    back.hour === w.hour &&
    back.minute === w.minute;
  return same ? instant : undefined;
}

/** When a deployment window next lets an execution in, as {@link nextWindowOpening} finds it. */
export interface WindowOpening {
  /** The first minute at or after `from` that the cron allows. */
  readonly at: Date;
  /** True when `from` itself falls in an allowed minute (the window is open). */
  readonly openNow: boolean;
}

/**
 * The first minute at or after `from` that a DeploymentWindow cron allows, read in `timeZone`
 * (an IANA name), looking at most `horizonDays` ahead. `undefined` when the cron is invalid, the
 * time zone unknown, or no minute within the horizon matches.
 */
export function nextWindowOpening(
  expression: string,
  timeZone: string,
  from: Date,
  horizonDays = 731,
): WindowOpening | undefined {
  let cron: CompiledCron;
  try {
    cron = compile(expression);
    wallClock(from.getTime(), timeZone);
  } catch {
    return undefined;
  }
  const fromMinute = Math.floor(from.getTime() / 60_000) * 60_000;
  const start = wallClock(fromMinute, timeZone);
  const hours = [...cron.hours].sort((a, b) => a - b);
  const minutes = [...cron.minutes].sort((a, b) => a - b);
  for (let offset = 0; offset <= horizonDays; offset += 1) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + offset));
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (cron.years && !cron.years.has(year)) continue;
    if (!cron.months.has(month) || !cron.dayTest(year, month, day)) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        if (offset === 0 && hour * 60 + minute < start.hour * 60 + start.minute) continue;
        const instant = instantOf({ year, month, day, hour, minute }, timeZone);
        if (instant !== undefined && instant >= fromMinute)
          return { at: new Date(instant), openNow: instant === fromMinute };
      }
    }
  }
  return undefined;
}
