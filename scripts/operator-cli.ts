/**
 * What the operator commands (`npm run check`, `npm run preflight`, `npm run seed-moto`; `npm run review` its exit codes) share: option
 * parsing, `--help`, cdk.json's context, AWS client options (`--profile`, `--endpoint-url`), the credentials
 * look-up and the exit codes.
 */
import { STSClient } from '@aws-sdk/client-sts';
import { readFileSync } from 'fs';
import * as path from 'path';

/** Exit codes of the operator commands. */
export const EXIT = {
  /** Everything was checked and passed. */
  passed: 0,
  /** Something was checked and failed. */
  failed: 1,
  /** Something could not be checked (no credentials, no endpoint, access denied, throttling): not a pass. */
  couldNotCheck: 2,
  /** The command line or cdk.json is wrong. */
  usage: 64,
} as const;

/** Options parsed by {@link parseOptions}. */
export interface ParsedOptions {
  readonly positional: readonly string[];
  /** Last value of each single-valued option. */
  readonly values: Readonly<Record<string, string>>;
  /** Every value of each repeatable option, in order. */
  readonly repeated: Readonly<Record<string, readonly string[]>>;
  readonly flags: ReadonlySet<string>;
}

/** Which options a command takes (names without the leading `--`). */
export interface OptionSpec {
  readonly values?: readonly string[];
  readonly repeated?: readonly string[];
  readonly flags?: readonly string[];
}

/** True when the command line asks for the usage (`--help` or `-h` anywhere). */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/**
 * Parses `--name value`, `--name=value` and `--flag` options, keeping the words that are not options in order.
 * @throws Error naming an unknown option or one that lacks its value
 */
export function parseOptions(argv: readonly string[], spec: OptionSpec): ParsedOptions {
  const positional: string[] = [];
  const values: Record<string, string> = {};
  const repeated: Record<string, string[]> = {};
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (spec.flags?.includes(name)) {
      flags.add(name);
      continue;
    }
    const isValue = spec.values?.includes(name);
    if (!isValue && !spec.repeated?.includes(name)) throw new Error(`unknown option --${name}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
    if (isValue) values[name] = value;
    else (repeated[name] ??= []).push(value);
  }
  return { positional, values, repeated, flags };
}

/** The `context` of the repository's cdk.json. */
export function readCdkContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context;
}

/** Where an operator command sends its AWS calls. */
export interface AwsTarget {
  readonly region: string;
  /** Send every call to this endpoint (an emulator such as moto_server). */
  readonly endpoint?: string;
  /** Named profile of the shared AWS config; @default the SDK's default credential chain */
  readonly profile?: string;
}

/** AWS SDK client options for a target: no retries beyond the SDK's standard three attempts. */
export function clientConfig(target: AwsTarget): { region: string; endpoint?: string; profile?: string } {
  return {
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.profile ? { profile: target.profile } : {}),
  };
}

/** Resolves the credentials a target would use; @throws the SDK's error when there are none. */
export async function resolveCredentials(target: AwsTarget): Promise<void> {
  await new STSClient(clientConfig(target)).config.credentials();
}

/** The one line an operator command prints when there are no credentials at all. */
export function noCredentialsMessage(command: string, detail: string): string {
  return (
    `${command}: could not check: no AWS credentials (${detail.split('\n')[0]}). ` +
    'Set AWS_PROFILE or pass --profile <name> (sign in first: aws sso login); ' +
    'for an emulator with --endpoint-url, set AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing.'
  );
}
