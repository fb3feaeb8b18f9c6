import type {
  BakeParameters,
  CheckParameters,
  DrPolicy,
  IsolatedCopyPolicy,
  JourneyParameters,
} from '../../../contracts/check-parameters';

/** Thrown when user parameters do not match the schema; the message lists every problem. */
export class InvalidParametersError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid user parameters: ${problems.join('; ')}`);
    this.name = 'InvalidParametersError';
  }
}

const VAULT_LOCK_MODES: readonly DrPolicy['vaultLock'][] = ['off', 'governance', 'compliance'];
const STAGE = /^[a-z][a-z0-9-]{0,31}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,128}$/;

type Problems = string[];

function str(
  obj: Record<string, unknown>,
  key: string,
  pattern: RegExp,
  accepted: string,
  problems: Problems,
  path = key,
): string {
  const v = obj[key];
  if (typeof v !== 'string' || !pattern.test(v))
    problems.push(`${path} = ${JSON.stringify(v) ?? 'undefined'} is not ${accepted}`);
  return v as string;
}

function int(
  obj: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
  problems: Problems,
  path: string,
): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    problems.push(`${path} = ${JSON.stringify(v) ?? 'undefined'} is not a whole number from ${min} to ${max}`);
  }
  return v as number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseIsolatedCopy(raw: unknown, problems: Problems): IsolatedCopyPolicy | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) {
    problems.push('dr.isolatedCopy is not an object');
    return undefined;
  }
  return {
    minRetentionDays: int(raw, 'minRetentionDays', 7, 36500, problems, 'dr.isolatedCopy.minRetentionDays'),
    maxRetentionDays: int(raw, 'maxRetentionDays', 7, 36500, problems, 'dr.isolatedCopy.maxRetentionDays'),
    copyDelayHours: int(raw, 'copyDelayHours', 0, 168, problems, 'dr.isolatedCopy.copyDelayHours'),
  };
}

function parseJourney(raw: unknown, problems: Problems): JourneyParameters | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) {
    problems.push('journey is not an object');
    return undefined;
  }
  if (typeof raw.readOnly !== 'boolean')
    problems.push(`journey.readOnly = ${JSON.stringify(raw.readOnly) ?? 'undefined'} is not true or false`);
  return {
    readOnly: raw.readOnly as boolean,
    timeoutMinutes: int(raw, 'timeoutMinutes', 1, 60, problems, 'journey.timeoutMinutes'),
  };
}

function parseDr(raw: unknown, problems: Problems): DrPolicy | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) {
    problems.push('dr is not an object');
    return undefined;
  }
  const dr: DrPolicy = {
    drRegion: str(raw, 'drRegion', REGION, 'an AWS region', problems, 'dr.drRegion'),
    dailyRetentionDays: int(raw, 'dailyRetentionDays', 1, 36500, problems, 'dr.dailyRetentionDays'),
    weeklyRetentionDays: int(raw, 'weeklyRetentionDays', 1, 36500, problems, 'dr.weeklyRetentionDays'),
    weeklyColdStorageAfterDays: int(
      raw,
      'weeklyColdStorageAfterDays',
      0,
      36500,
      problems,
      'dr.weeklyColdStorageAfterDays',
    ),
    recoveryPointMaxAgeHours: int(raw, 'recoveryPointMaxAgeHours', 1, 720, problems, 'dr.recoveryPointMaxAgeHours'),
    newStageGraceHours: int(raw, 'newStageGraceHours', 0, 720, problems, 'dr.newStageGraceHours'),
    restoreTesting: raw.restoreTesting as boolean,
    vaultLock: raw.vaultLock as DrPolicy['vaultLock'],
    restoreJobMaxAgeDays:
      raw.restoreJobMaxAgeDays === undefined
        ? undefined
        : int(raw, 'restoreJobMaxAgeDays', 1, 365, problems, 'dr.restoreJobMaxAgeDays'),
    ...(raw.isolatedCopy === undefined ? {} : { isolatedCopy: parseIsolatedCopy(raw.isolatedCopy, problems) }),
  };
  if (!VAULT_LOCK_MODES.includes(raw.vaultLock as DrPolicy['vaultLock'])) {
    problems.push(
      `dr.vaultLock = ${JSON.stringify(raw.vaultLock) ?? 'undefined'} is not one of ${VAULT_LOCK_MODES.join(', ')}`,
    );
  }
  if (typeof raw.restoreTesting !== 'boolean')
    problems.push(`dr.restoreTesting = ${JSON.stringify(raw.restoreTesting) ?? 'undefined'} is not true or false`);
  return dr;
}

/**
 * Parses and validates a check's user parameters (a JSON string or an already parsed value).
 * Hand-written rather than a schema library so each check bundle stays small.
 *
 * @throws InvalidParametersError naming every bad field, its value and what is accepted.
 */
export function parseCheckParameters(
  raw: unknown,
  options: { requireRole: boolean; requireDr: boolean; requireJourney?: boolean },
): CheckParameters {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new InvalidParametersError([`not JSON: ${raw.slice(0, 80)}`]);
    }
  }
  if (!isObject(value)) throw new InvalidParametersError(['expected a JSON object with stage, region and stackNames']);
  const problems: Problems = [];
  const stage = str(value, 'stage', STAGE, 'a stage name such as staging', problems);
  const region = str(value, 'region', REGION, 'an AWS region such as eu-west-2', problems);
  const stackNames = value.stackNames;
  if (!Array.isArray(stackNames) || stackNames.length === 0) {
    problems.push(`stackNames = ${JSON.stringify(stackNames) ?? 'undefined'} is not a non-empty list of stack names`);
  } else {
    stackNames.forEach((n, i) => {
      if (typeof n !== 'string' || !STACK_NAME.test(n))
        problems.push(`stackNames[${i}] = ${JSON.stringify(n)} is not a CloudFormation stack name`);
    });
  }
  let stackRegions: Record<string, string> | undefined;
  if (value.stackRegions !== undefined) {
    if (!isObject(value.stackRegions)) problems.push('stackRegions is not an object of stack name to region');
    else {
      stackRegions = {};
      for (const key of Object.keys(value.stackRegions)) {
        if (!Array.isArray(stackNames) || !stackNames.includes(key))
          problems.push(`stackRegions.${key} names a stack not in stackNames`);
        stackRegions[key] = str(value.stackRegions, key, REGION, 'an AWS region', problems, `stackRegions.${key}`);
      }
    }
  }
  let roleArn: string | undefined;
  if (value.roleArn !== undefined || options.requireRole)
    roleArn = str(value, 'roleArn', ROLE_ARN, 'an IAM role ARN', problems);
  const dr = parseDr(value.dr, problems);
  if (options.requireDr && value.dr === undefined)
    problems.push("dr is missing: the DR check needs the stage's backup policy");
  const journey = parseJourney(value.journey, problems);
  if (options.requireJourney && value.journey === undefined)
    problems.push(
      "journey is missing: the stage's config does not turn the acceptance journey on (<stage>.journey.enabled)",
    );
  const terminationProtection = value.terminationProtection;
  if (terminationProtection !== undefined && typeof terminationProtection !== 'boolean') {
    problems.push(`terminationProtection = ${JSON.stringify(terminationProtection)} is not true or false`);
  }
  if (problems.length > 0) throw new InvalidParametersError(problems);
  return {
    stage,
    region,
    stackNames: stackNames as string[],
    stackRegions,
    roleArn,
    dr,
    ...(journey ? { journey } : {}),
    ...(typeof terminationProtection === 'boolean' ? { terminationProtection } : {}),
  };
}

/** Longest bake the parameters accept, in minutes (the config key's upper bound). */
export const MAX_BAKE_MINUTES = 120;
/** A CloudWatch alarm name: 1 to 255 characters, none of them a control character (Unicode category Cc). */
const ALARM_NAME = /^\P{Cc}{1,255}$/u;

/**
 * Parses and validates the bake function's user parameters (a JSON string or an already parsed value).
 *
 * @throws InvalidParametersError naming every bad field, its value and what is accepted.
 */
export function parseBakeParameters(raw: unknown): BakeParameters {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new InvalidParametersError([`not JSON: ${raw.slice(0, 80)}`]);
    }
  }
  if (!isObject(value))
    throw new InvalidParametersError(['expected a JSON object with stage, region, roleArn, alarmName and minutes']);
  const problems: Problems = [];
  const bake: BakeParameters = {
    stage: str(value, 'stage', STAGE, 'a stage name such as staging', problems),
    region: str(value, 'region', REGION, 'an AWS region such as eu-west-2', problems),
    roleArn: str(value, 'roleArn', ROLE_ARN, 'an IAM role ARN', problems),
    alarmName: str(value, 'alarmName', ALARM_NAME, 'a CloudWatch alarm name', problems),
    minutes: int(value, 'minutes', 1, MAX_BAKE_MINUTES, problems, 'minutes'),
  };
  if (problems.length > 0) throw new InvalidParametersError(problems);
  return bake;
}
