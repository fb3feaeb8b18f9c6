/**
 * Parsers for config values. A value may come from cdk.json (JSON types) or from
 * `-c key=value` on the command line (always a string), so every parser accepts both.
 * A parser returns {@link INVALID} when the value is not acceptable.
 */
import { cronProblem } from '../../contracts/cron';

/** What a parser returns for a value it does not accept. */
export const INVALID: unique symbol = Symbol('invalid config value');

/** Reads one raw config value into a typed value, or {@link INVALID}. */
export type Parser<T> = (raw: unknown) => T | typeof INVALID;

/** Regions the platform may deploy to (commercial partition). */
export const KNOWN_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'ca-west-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-east-1',
  'sa-east-1',
  'me-south-1',
  'me-central-1',
  'af-south-1',
  'il-central-1',
  'mx-central-1',
];

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;

function asString(raw: unknown): string | undefined {
  return typeof raw === 'string' ? raw.trim() : undefined;
}

/** A string matching `pattern`. */
export function matching(pattern: RegExp): Parser<string> {
  return (raw) => {
    const s = asString(raw);
    return s !== undefined && pattern.test(s) ? s : INVALID;
  };
}

/** One of a fixed set of strings. */
export function oneOf<T extends string>(values: readonly T[]): Parser<T> {
  return (raw) => {
    const s = asString(raw);
    return (values as readonly unknown[]).includes(s) ? (s as T) : INVALID;
  };
}

/** `true`/`false`, as JSON booleans or the strings "true"/"false". */
export const bool: Parser<boolean> = (raw) => {
  if (typeof raw === 'boolean') return raw;
  const s = asString(raw);
  if (s === 'true') return true;
  if (s === 'false') return false;
  return INVALID;
};

/** A whole number in [min, max], as a JSON number or a decimal string. */
export function int(min: number, max: number): Parser<number> {
  return (raw) => {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    return Number.isInteger(n) && n >= min && n <= max ? n : INVALID;
  };
}

/** A number in [min, max], as a JSON number or a decimal string. */
export function decimal(min: number, max: number): Parser<number> {
  return (raw) => {
    const n =
      typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
    return Number.isFinite(n) && n >= min && n <= max ? n : INVALID;
  };
}

/** A whole number from a fixed list. */
export function intIn(values: readonly number[]): Parser<number> {
  const parse = int(Math.min(...values), Math.max(...values));
  return (raw) => {
    const n = parse(raw);
    return (values as readonly unknown[]).includes(n) ? n : INVALID;
  };
}

/** `"off"` (read as `undefined`) or a value `parse` accepts. */
export function offOr<T>(parse: Parser<T>): Parser<T | undefined> {
  return (raw) => (asString(raw) === 'off' ? undefined : parse(raw));
}

/**
 * The items of a list value: a JSON array (from cdk.json), or a string holding a JSON array
 * (`-c key='["a","b"]'`) or comma-separated items (`-c key=a,b`). `undefined` when it is neither.
 */
export function listItems(raw: unknown): unknown[] | undefined {
  if (Array.isArray(raw)) return raw;
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (s.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(s);
      return Array.isArray(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return s
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A list whose every item `item` accepts; empty is allowed unless `nonEmpty`. */
export function listOf<T>(item: Parser<T>, options: { nonEmpty?: boolean; distinct?: boolean } = {}): Parser<T[]> {
  return (raw) => {
    const items = listItems(raw);
    if (items === undefined || (options.nonEmpty && items.length === 0)) return INVALID;
    const values = items.map(item);
    if (values.some((v) => v === INVALID)) return INVALID;
    if (options.distinct && new Set(values).size !== values.length) return INVALID;
    return values as T[];
  };
}

/** One e-mail address. */
export const email: Parser<string> = matching(EMAIL);

/** A list of e-mail addresses; empty is allowed. */
export const emailList: Parser<string[]> = listOf(email);

/** A 12-digit AWS account id. */
export const accountId = matching(/^\d{12}$/);

/** A known AWS region. */
export const region = oneOf(KNOWN_REGIONS);

/** A stage name as used in construct ids and physical names: lower case, starting with a letter, at most 12 characters. */
export const stageName = matching(/^[a-z][a-z0-9]{0,11}$/);

/** A CodeConnections or CodeStar Connections connection ARN. */
export const connectionArn = matching(
  /^arn:aws:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
);

/** A DNS host name such as app.example.com: lower-case labels, at least two. */
export const domainName = matching(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/);

/** An ACM certificate ARN in us-east-1, the only region CloudFront takes certificates from. */
export const cloudFrontCertificateArn = matching(
  /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
);

/**
 * A free-text reason of `min` to `max` characters, read as one line (runs of white space, line breaks
 * included, become one space), so that it prints as one line of a warning or a report.
 */
export function reason(min: number, max: number): Parser<string> {
  return (raw) => {
    const s = typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim() : undefined;
    return s !== undefined && s.length >= min && s.length <= max ? s : INVALID;
  };
}

/** A Git repository in `owner/name` form. */
export const repository = matching(/^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9._-]+$/);

/** A Git branch name (no spaces, no `..`, no leading `-` or `/`). */
export const branch: Parser<string> = (raw) => {
  const s = asString(raw);
  return s !== undefined && /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(s) && !s.includes('..') && !s.endsWith('/')
    ? s
    : INVALID;
};

/** A cron expression as CodePipeline's DeploymentWindow rule takes it (see `contracts/cron.ts`), normalised to single spaces. */
export const deploymentWindowCron: Parser<string> = (raw) => {
  const s = asString(raw);
  return s !== undefined && cronProblem(s) === undefined ? s.split(/\s+/).join(' ') : INVALID;
};

/** An IANA time zone name that this Node.js runtime knows. */
export const timeZone: Parser<string> = (raw) => {
  const s = asString(raw);
  // Intl refuses an empty or unknown name with a RangeError.
  if (s === undefined) return INVALID;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: s });
    return s;
  } catch {
    return INVALID;
  }
};
