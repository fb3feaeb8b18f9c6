import { execFileSync } from 'child_process';
import {
  BREAK_GLASS_MAX_HOURS,
  BREAK_GLASS_MIN_REASON_LENGTH,
  BREAK_GLASS_PARAMETER,
} from '../../../contracts/gate-spec';

/** A break-glass that applies: who authorised what, until when. */
export interface BreakGlass {
  readonly reason: string;
  readonly expires: Date;
  /** sha256 of the one PipelineStack template it allows; absent: any template until it expires. */
  readonly template?: string;
}

/** The outcome of reading the break-glass value against one template. */
export type BreakGlassVerdict =
  { readonly allowed: BreakGlass } | { readonly refused: string; readonly allowed?: undefined };

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Whether the parameter's value `raw` authorises weakening the gates of the template whose sha256 is
 * `templateSha`, at `now`: a JSON object with a `reason` of at least {@link BREAK_GLASS_MIN_REASON_LENGTH}
 * characters, an `expires` ISO 8601 time in the future and at most {@link BREAK_GLASS_MAX_HOURS} hours
 * ahead, and optionally the `template` sha256 it is limited to. `raw` undefined: the parameter does not exist.
 */
export function evaluateBreakGlass(raw: string | undefined, now: Date, templateSha: string): BreakGlassVerdict {
  if (raw === undefined) return { refused: `the parameter ${BREAK_GLASS_PARAMETER} does not exist` };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { refused: `the value of ${BREAK_GLASS_PARAMETER} is not JSON` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { refused: `the value of ${BREAK_GLASS_PARAMETER} is not a JSON object` };
  const { reason, expires, template } = value as Record<string, unknown>;
  if (typeof reason !== 'string' || reason.trim().length < BREAK_GLASS_MIN_REASON_LENGTH)
    return { refused: `its reason must be a sentence of at least ${BREAK_GLASS_MIN_REASON_LENGTH} characters` };
  if (typeof expires !== 'string' || !ISO_TIME.test(expires) || Number.isNaN(Date.parse(expires)))
    return { refused: 'its expires must be an ISO 8601 time with a zone, such as 2026-12-02T18:00:00Z' };
  const at = new Date(expires);
  if (at.getTime() <= now.getTime()) return { refused: `it expired at ${at.toISOString()}` };
  if (at.getTime() > now.getTime() + BREAK_GLASS_MAX_HOURS * 3600_000)
    return { refused: `it expires more than ${BREAK_GLASS_MAX_HOURS} hours ahead (${at.toISOString()})` };
  if (template !== undefined && template !== templateSha)
    return { refused: `it is limited to the template ${String(template)}, not this one (${templateSha})` };
  return { allowed: { reason: reason.trim(), expires: at, ...(typeof template === 'string' ? { template } : {}) } };
}

/** Runs a command and returns its standard output; throws as `execFileSync` does. */
export type RunCommand = (file: string, args: readonly string[]) => string;

const run: RunCommand = (file, args) =>
  execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });

/**
 * The break-glass value, read with the AWS CLI the CodeBuild image ships (no SDK in the guard);
 * `undefined` when the parameter does not exist (ParameterNotFound). The CLI exits 254 when the
 * service answers with an error, and names the error code in its message
 * (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-returncodes.html).
 *
 * @throws Error with the CLI's message for any other failure (AccessDenied, no credentials, no CLI).
 */
export function readBreakGlass(runCommand: RunCommand = run): string | undefined {
  try {
    return runCommand('aws', [
      'ssm',
      'get-parameter',
      '--name',
      BREAK_GLASS_PARAMETER,
      '--query',
      'Parameter.Value',
      '--output',
      'text',
    ]).trim();
  } catch (e) {
    const error = e as { stderr?: string | Buffer; status?: number | null; message?: string };
    const stderr = String(error.stderr ?? '').trim();
    if (/\(ParameterNotFound\)/.test(stderr)) return undefined;
    const status = typeof error.status === 'number' ? ` (exit ${error.status})` : '';
    throw new Error(`aws ssm get-parameter failed${status}: ${stderr || error.message || 'no message'}`, { cause: e });
  }
}

/** The command an administrator of the pipeline account runs to allow the change to `templateSha` for an hour. */
export function breakGlassCommand(templateSha: string, now: Date): string {
  const expires = new Date(now.getTime() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const value = JSON.stringify({
    reason: '<why, and who approved it: at least 20 characters>',
    expires,
    template: templateSha,
  });
  return `aws ssm put-parameter --name ${BREAK_GLASS_PARAMETER} --type String --overwrite --value '${value}'`;
}

/** The command that removes the break-glass once the change is deployed. */
export const BREAK_GLASS_DELETE_COMMAND = `aws ssm delete-parameter --name ${BREAK_GLASS_PARAMETER}`;
