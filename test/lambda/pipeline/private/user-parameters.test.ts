import {
  InvalidParametersError,
  parseCheckParameters,
  parseBakeParameters,
} from '../../../../lambda/pipeline/private/user-parameters';
import { DR_POLICY, ISOLATED_COPY, PARAMS } from '../../../../support/check-fixtures';

const parse = (raw: unknown, requireDr = false) => parseCheckParameters(raw, { requireRole: true, requireDr });
const problemsOf = (raw: unknown, requireDr = false): string[] => {
  try {
    parse(raw, requireDr);
  } catch (error) {
    if (error instanceof InvalidParametersError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the parameters to be rejected');
};

describe('Check user parameters', () => {
  it('accepts what the pipeline sends, as a JSON string', () => {
    expect(parse(JSON.stringify(PARAMS), true)).toEqual(PARAMS);
  });

  it('rejects text that is not JSON', () => {
    expect(problemsOf('{stage: staging')).toEqual(['not JSON: {stage: staging']);
  });

  it('rejects a list instead of an object', () => {
    expect(problemsOf('[]')).toEqual(['expected a JSON object with stage, region and stackNames']);
  });

  it('names every bad field with its value', () => {
    expect(problemsOf({ stage: 'Prod!', region: 'london', stackNames: ['ok', 'bad name'], roleArn: 'role' })).toEqual([
      'stage = "Prod!" is not a stage name such as staging',
      'region = "london" is not an AWS region such as eu-west-2',
      'stackNames[1] = "bad name" is not a CloudFormation stack name',
      'roleArn = "role" is not an IAM role ARN',
    ]);
  });

  it('requires the role ARN in the pipeline', () => {
    expect(problemsOf({ ...PARAMS, roleArn: undefined })).toEqual(['roleArn = undefined is not an IAM role ARN']);
  });

  it('requires the DR policy for the DR check and validates its numbers', () => {
    expect(problemsOf({ ...PARAMS, dr: undefined }, true)).toEqual([
      "dr is missing: the DR check needs the stage's backup policy",
    ]);
    expect(
      problemsOf({ ...PARAMS, dr: { ...DR_POLICY, recoveryPointMaxAgeHours: 0, restoreTesting: 'yes' } }, true),
    ).toEqual([
      'dr.recoveryPointMaxAgeHours = 0 is not a whole number from 1 to 720',
      'dr.restoreTesting = "yes" is not true or false',
    ]);
  });

  it('requires a known Vault Lock mode in the DR policy', () => {
    expect(problemsOf({ ...PARAMS, dr: { ...DR_POLICY, vaultLock: 'strict' } }, true)).toEqual([
      'dr.vaultLock = "strict" is not one of off, governance, compliance',
    ]);
    expect(problemsOf({ ...PARAMS, dr: { ...DR_POLICY, vaultLock: undefined } }, true)).toEqual([
      'dr.vaultLock = undefined is not one of off, governance, compliance',
    ]);
  });

  it('reads the isolated copy of the DR policy and validates it', () => {
    const withIsolated = { ...PARAMS, dr: { ...DR_POLICY, isolatedCopy: ISOLATED_COPY } };
    expect(parse(JSON.stringify(withIsolated), true)).toEqual(withIsolated);
    expect(parse(JSON.stringify(PARAMS), true).dr).not.toHaveProperty('isolatedCopy');
    expect(
      problemsOf({ ...PARAMS, dr: { ...DR_POLICY, isolatedCopy: { ...ISOLATED_COPY, minRetentionDays: 6 } } }, true),
    ).toEqual(['dr.isolatedCopy.minRetentionDays = 6 is not a whole number from 7 to 36500']);
    expect(problemsOf({ ...PARAMS, dr: { ...DR_POLICY, isolatedCopy: true } }, true)).toEqual([
      'dr.isolatedCopy is not an object',
    ]);
  });

  it('rejects a region for a stack that is not in stackNames', () => {
    expect(problemsOf({ ...PARAMS, stackRegions: { Other: 'eu-west-1' } })).toEqual([
      'stackRegions.Other names a stack not in stackNames',
    ]);
  });

  it("accepts the journey's settings and names a bad one", () => {
    const journey = { readOnly: false, timeoutMinutes: 10 };
    expect(
      parseCheckParameters({ ...PARAMS, journey }, { requireRole: true, requireDr: false, requireJourney: true })
        .journey,
    ).toEqual(journey);
    expect(problemsOf({ ...PARAMS, journey: { readOnly: 'no', timeoutMinutes: 0 } })).toEqual([
      'journey.readOnly = "no" is not true or false',
      'journey.timeoutMinutes = 0 is not a whole number from 1 to 60',
    ]);
  });

  it('requires the journey settings for the journey, saying the stage does not turn it on', () => {
    expect(() => parseCheckParameters(PARAMS, { requireRole: true, requireDr: false, requireJourney: true })).toThrow(
      "journey is missing: the stage's config does not turn the acceptance journey on (<stage>.journey.enabled)",
    );
  });
});

describe('Each field of the check user parameters', () => {
  const reject = (over: Record<string, unknown>) => problemsOf({ ...PARAMS, ...over });
  const accept = (over: Record<string, unknown>) => parse({ ...PARAMS, ...over });

  it.each(['eu-west-2', 'eu-central-1', 'ap-southeast-2', 'us-gov-west-1', 'us-isob-east-1', 'us-iso-east-1'])(
    'accepts the region %s',
    (region) => {
      expect(accept({ region }).region).toBe(region);
    },
  );

  it.each(['eu-west', 'eu-west-2a', 'xeu-west-2', 'eu-west-12', 'EU-WEST-2', 'e-west-2', 'eu--2'])(
    'rejects the region %s',
    (region) => {
      expect(reject({ region })).toEqual([`region = "${region}" is not an AWS region such as eu-west-2`]);
    },
  );

  it.each(['a', 'qa', 'dev-2', 'a'.repeat(32)])('accepts the stage name %s', (stage) => {
    expect(accept({ stage }).stage).toBe(stage);
  });

  it.each(['a'.repeat(33), '2dev', 'Staging', 'dev_2', ' dev', 'dev '])('rejects the stage name "%s"', (stage) => {
    expect(reject({ stage })).toEqual([`stage = ${JSON.stringify(stage)} is not a stage name such as staging`]);
  });

  it('names a missing stage and region as undefined', () => {
    expect(reject({ stage: undefined, region: 7 })).toEqual([
      'stage = undefined is not a stage name such as staging',
      'region = 7 is not an AWS region such as eu-west-2',
    ]);
  });

  it('accepts stack names of 1 to 128 letters, digits and hyphens starting with a letter', () => {
    const names = ['S', `S${'a'.repeat(127)}`, 'Staging-Service-2'];
    expect(accept({ stackNames: names, stackRegions: undefined }).stackNames).toEqual(names);
  });

  it.each([[`S${'a'.repeat(128)}`], ['2-Stack'], ['Stack_1'], [''], [7]])('rejects the stack name %s', (name) => {
    expect(reject({ stackNames: ['Staging-Service', name], stackRegions: undefined })).toEqual([
      `stackNames[1] = ${JSON.stringify(name)} is not a CloudFormation stack name`,
    ]);
  });

  it.each([[[]], [undefined], ['Staging-Service']])('rejects %j as the stack list', (stackNames) => {
    expect(reject({ stackNames, stackRegions: undefined })).toEqual([
      `stackNames = ${JSON.stringify(stackNames) ?? 'undefined'} is not a non-empty list of stack names`,
    ]);
  });

  it('reads the region of each stack outside the primary region', () => {
    expect(accept({}).stackRegions).toEqual({ 'Staging-DrVault': 'eu-west-1' });
    expect(accept({ stackRegions: undefined }).stackRegions).toBeUndefined();
  });

  it('names a bad stack region, and a region map that is not an object', () => {
    expect(reject({ stackRegions: { 'Staging-DrVault': 'dublin' } })).toEqual([
      'stackRegions.Staging-DrVault = "dublin" is not an AWS region',
    ]);
    expect(reject({ stackRegions: ['eu-west-1'] })).toEqual(['stackRegions is not an object of stack name to region']);
  });

  it('names a stack region for a stack list that is not a list', () => {
    expect(reject({ stackNames: 'Staging-DrVault', stackRegions: { 'Staging-DrVault': 'eu-west-1' } })).toEqual([
      'stackNames = "Staging-DrVault" is not a non-empty list of stack names',
      'stackRegions.Staging-DrVault names a stack not in stackNames',
    ]);
  });

  it.each([
    'arn:aws:iam::222222222222:role/check',
    'arn:aws-cn:iam::222222222222:role/path/to/check',
    'arn:aws-us-gov:iam::222222222222:role/a+b=c,d.e@f_g-h',
  ])('accepts the role ARN %s', (roleArn) => {
    expect(accept({ roleArn }).roleArn).toBe(roleArn);
  });

  it.each([
    'arn:aws:iam::22222222222:role/check',
    'arn:aws:iam::222222222222:user/check',
    'arn:aws:iam::222222222222:role/',
    'arn:aws:iam::222222222222:role/check name',
    'xarn:aws:iam::222222222222:role/check',
    'arn:aws:iam::222222222222:role/check\n',
  ])('rejects the role ARN %j', (roleArn) => {
    expect(reject({ roleArn })).toEqual([`roleArn = ${JSON.stringify(roleArn)} is not an IAM role ARN`]);
  });

  it('lets a caller that runs with its own credentials leave the role out, but still checks one given', () => {
    const own = { requireRole: false, requireDr: false };
    expect(parseCheckParameters({ ...PARAMS, roleArn: undefined }, own).roleArn).toBeUndefined();
    expect(() => parseCheckParameters({ ...PARAMS, roleArn: 'role' }, own)).toThrow(
      'roleArn = "role" is not an IAM role ARN',
    );
  });

  it('accepts termination protection as true or false only, and leaves it out when absent', () => {
    expect(accept({ terminationProtection: true }).terminationProtection).toBe(true);
    expect(accept({ terminationProtection: false }).terminationProtection).toBe(false);
    expect(accept({})).not.toHaveProperty('terminationProtection');
    expect(reject({ terminationProtection: 'yes' })).toEqual(['terminationProtection = "yes" is not true or false']);
  });

  it('leaves the journey out when the stage has none, and names one that is not an object', () => {
    expect(accept({})).not.toHaveProperty('journey');
    expect(reject({ journey: true })).toEqual(['journey is not an object']);
    expect(reject({ journey: { timeoutMinutes: 61 } })).toEqual([
      'journey.readOnly = undefined is not true or false',
      'journey.timeoutMinutes = 61 is not a whole number from 1 to 60',
    ]);
  });

  it('accepts the journey timeout from 1 to 60 minutes', () => {
    expect(accept({ journey: { readOnly: true, timeoutMinutes: 1 } }).journey).toEqual({
      readOnly: true,
      timeoutMinutes: 1,
    });
    expect(accept({ journey: { readOnly: true, timeoutMinutes: 60 } }).journey!.timeoutMinutes).toBe(60);
  });

  it('reads an already parsed object as well as a JSON string', () => {
    expect(parse(PARAMS, true)).toEqual(PARAMS);
  });

  it('quotes at most 80 characters of text that is not JSON', () => {
    expect(problemsOf(`{${'x'.repeat(100)}`)).toEqual([`not JSON: {${'x'.repeat(79)}`]);
  });

  it.each([['null'], ['"staging"'], ['7']])('rejects %s, which is JSON but not an object', (raw) => {
    expect(problemsOf(raw)).toEqual(['expected a JSON object with stage, region and stackNames']);
  });

  it('reports every problem at once, in the error message too', () => {
    expect(() => parse({ ...PARAMS, stage: 'X', region: 'y' })).toThrow(
      new InvalidParametersError([
        'stage = "X" is not a stage name such as staging',
        'region = "y" is not an AWS region such as eu-west-2',
      ]),
    );
    expect(() => parse({ ...PARAMS, stage: 'X', region: 'y' })).toThrow(
      'Invalid user parameters: stage = "X" is not a stage name such as staging; region = "y" is not an AWS region such as eu-west-2',
    );
  });
});

describe('The DR policy in the check user parameters', () => {
  const rejectDr = (over: Record<string, unknown>) => problemsOf({ ...PARAMS, dr: { ...DR_POLICY, ...over } }, true);
  const acceptDr = (over: Record<string, unknown>) => parse({ ...PARAMS, dr: { ...DR_POLICY, ...over } }, true).dr!;

  it.each([
    ['dailyRetentionDays', 1, 36500],
    ['weeklyRetentionDays', 1, 36500],
    ['weeklyColdStorageAfterDays', 0, 36500],
    ['recoveryPointMaxAgeHours', 1, 720],
    ['newStageGraceHours', 0, 720],
    ['restoreJobMaxAgeDays', 1, 365],
  ])('accepts %s from %i to %i and nothing outside', (key, min, max) => {
    expect(acceptDr({ [key]: min })).toMatchObject({ [key]: min });
    expect(acceptDr({ [key]: max })).toMatchObject({ [key]: max });
    const problem = (v: unknown) => `dr.${key} = ${JSON.stringify(v)} is not a whole number from ${min} to ${max}`;
    expect(rejectDr({ [key]: min - 1 })).toEqual([problem(min - 1)]);
    expect(rejectDr({ [key]: max + 1 })).toEqual([problem(max + 1)]);
    expect(rejectDr({ [key]: min + 0.5 })).toEqual([problem(min + 0.5)]);
    expect(rejectDr({ [key]: String(min) })).toEqual([problem(String(min))]);
  });

  it('names a missing number as undefined', () => {
    expect(rejectDr({ dailyRetentionDays: undefined })).toEqual([
      'dr.dailyRetentionDays = undefined is not a whole number from 1 to 36500',
    ]);
  });

  it('names a missing restore-testing switch as undefined', () => {
    expect(rejectDr({ restoreTesting: undefined })).toEqual(['dr.restoreTesting = undefined is not true or false']);
  });

  it('requires no restore job when the policy gives no maximum age', () => {
    expect(acceptDr({ restoreJobMaxAgeDays: undefined }).restoreJobMaxAgeDays).toBeUndefined();
  });

  it('names a bad DR region', () => {
    expect(rejectDr({ drRegion: 'ireland' })).toEqual(['dr.drRegion = "ireland" is not an AWS region']);
  });

  it.each(['off', 'governance', 'compliance'])('accepts the Vault Lock mode %s', (vaultLock) => {
    expect(acceptDr({ vaultLock }).vaultLock).toBe(vaultLock);
  });

  it('accepts restore testing off', () => {
    expect(acceptDr({ restoreTesting: false }).restoreTesting).toBe(false);
  });

  it('names a DR policy that is not an object', () => {
    expect(problemsOf({ ...PARAMS, dr: 'daily' })).toEqual(['dr is not an object']);
  });

  it('leaves the DR policy out when the check does not need it', () => {
    expect(parse({ ...PARAMS, dr: undefined }).dr).toBeUndefined();
  });

  it.each([
    ['minRetentionDays', 7, 36500],
    ['maxRetentionDays', 7, 36500],
    ['copyDelayHours', 0, 168],
  ])('accepts the isolated copy %s from %i to %i and nothing outside', (key, min, max) => {
    const copy = (v: number) => ({ isolatedCopy: { ...ISOLATED_COPY, [key]: v } });
    expect(acceptDr(copy(min)).isolatedCopy).toMatchObject({ [key]: min });
    expect(acceptDr(copy(max)).isolatedCopy).toMatchObject({ [key]: max });
    expect(rejectDr(copy(min - 1))).toEqual([
      `dr.isolatedCopy.${key} = ${min - 1} is not a whole number from ${min} to ${max}`,
    ]);
    expect(rejectDr(copy(max + 1))).toEqual([
      `dr.isolatedCopy.${key} = ${max + 1} is not a whole number from ${min} to ${max}`,
    ]);
  });
});

describe('The bake parameters, field by field', () => {
  const BAKE = {
    stage: 'prod',
    region: 'eu-west-2',
    roleArn: 'arn:aws:iam::333333333333:role/uk-home-improvement-prod-pipeline-check',
    alarmName: 'uk-home-improvement-prod-stage-unhealthy',
    minutes: 30,
  };
  const bakeProblems = (raw: unknown): string[] => {
    try {
      parseBakeParameters(raw);
    } catch (error) {
      if (error instanceof InvalidParametersError) return [...error.problems];
      throw error;
    }
    throw new Error('expected the parameters to be rejected');
  };

  it('accepts an already parsed object, a bake of 1 to 120 minutes and a 255-character alarm name', () => {
    expect(parseBakeParameters({ ...BAKE, minutes: 1 }).minutes).toBe(1);
    expect(parseBakeParameters({ ...BAKE, minutes: 120 }).minutes).toBe(120);
    expect(parseBakeParameters({ ...BAKE, alarmName: 'a'.repeat(255) }).alarmName).toHaveLength(255);
    expect(parseBakeParameters({ ...BAKE, alarmName: 'Stage unhealthy: prod (eu-west-2) ✓' }).alarmName).toBe(
      'Stage unhealthy: prod (eu-west-2) ✓',
    );
  });

  it('names a bake of 0 minutes, an empty alarm name and one of 256 characters', () => {
    expect(bakeProblems({ ...BAKE, minutes: 0, alarmName: '' })).toEqual([
      'alarmName = "" is not a CloudWatch alarm name',
      'minutes = 0 is not a whole number from 1 to 120',
    ]);
    expect(bakeProblems({ ...BAKE, alarmName: 'a'.repeat(256) })).toEqual([
      `alarmName = "${'a'.repeat(256)}" is not a CloudWatch alarm name`,
    ]);
  });

  it('names a bad stage and region', () => {
    expect(bakeProblems({ ...BAKE, stage: 'Prod', region: 'london' })).toEqual([
      'stage = "Prod" is not a stage name such as staging',
      'region = "london" is not an AWS region such as eu-west-2',
    ]);
  });

  it('rejects text that is not JSON, and JSON that is not an object', () => {
    expect(bakeProblems(`{${'m'.repeat(100)}`)).toEqual([`not JSON: {${'m'.repeat(79)}`]);
    expect(bakeProblems('[1]')).toEqual(['expected a JSON object with stage, region, roleArn, alarmName and minutes']);
  });
});

describe('The bake parameters', () => {
  const BAKE = {
    stage: 'prod',
    region: 'eu-west-2',
    roleArn: 'arn:aws:iam::333333333333:role/uk-home-improvement-prod-pipeline-check',
    alarmName: 'uk-home-improvement-prod-stage-unhealthy',
    minutes: 30,
  };

  it('accepts what the pipeline passes', () => {
    expect(parseBakeParameters(JSON.stringify(BAKE))).toEqual(BAKE);
  });

  it('names every bad field, its value and what is accepted', () => {
    expect(() => parseBakeParameters({ ...BAKE, alarmName: 'a\nb', minutes: 121, roleArn: undefined })).toThrow(
      'Invalid user parameters: roleArn = undefined is not an IAM role ARN; alarmName = "a\\nb" is not a CloudWatch alarm name; minutes = 121 is not a whole number from 1 to 120',
    );
  });
});
