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
