import { reviewRegions } from '../../../../contracts/change-review-parameters';
import { parseChangeReviewParameters } from '../../../../lambda/pipeline/private/change-review/change-review-parameters';

const lookup = (region: string) => `arn:aws:iam::333333333333:role/cdk-hnb659fds-lookup-role-333333333333-${region}`;
const base = {
  stage: 'prod',
  account: '333333333333',
  region: 'eu-west-2',
  stackNames: ['Prod-Stateful', 'Prod-EdgeSecurity'],
  stackRegions: { 'Prod-EdgeSecurity': 'us-east-1' },
  stageStacks: {
    namePrefix: 'Prod-',
    tags: { 'uk-home-improvement:stage': 'prod' },
    regions: ['eu-west-2', 'eu-west-1', 'us-east-1'],
  },
  pipelineAccount: '999999999999',
  policy: { allowReplace: [], failOnDrift: true },
};

describe('The change review parameters', () => {
  it('read every region a stack of the stage lives in, and every region searched for stacks it left, the primary region first', () => {
    expect(reviewRegions(base)).toEqual(['eu-west-2', 'us-east-1', 'eu-west-1']);
    expect(reviewRegions({ region: 'eu-west-2', stackRegions: { 'Prod-EdgeSecurity': 'us-east-1' } })).toEqual([
      'eu-west-2',
      'us-east-1',
    ]);
  });

  it('carry one role per region and the pipeline account', () => {
    const roleArns = {
      'eu-west-2': lookup('eu-west-2'),
      'us-east-1': lookup('us-east-1'),
      'eu-west-1': lookup('eu-west-1'),
    };
    expect(parseChangeReviewParameters({ ...base, roleArns })).toEqual({ ...base, roleArns });
  });

  it('refuse roles that leave a region of the stage without one, naming the region', () => {
    // Without a role, the review would read us-east-1 with the step's own credentials, in the pipeline account.
    expect(() =>
      parseChangeReviewParameters({
        ...base,
        roleArns: { 'eu-west-2': lookup('eu-west-2'), 'us-east-1': lookup('us-east-1') },
      }),
    ).toThrow(
      `has no role for eu-west-1; expected one for every region a stack of the stage lives in or may have been left in`,
    );
  });

  it.each([
    [undefined, 'stageStacks = undefined is not an object { namePrefix'],
    [{ namePrefix: 'Prod', tags: { k: 'prod' }, regions: ['eu-west-2'] }, 'stageStacks = {"namePrefix":"Prod"'],
    [{ namePrefix: 'Prod-', tags: {}, regions: ['eu-west-2'] }, 'stageStacks = {"namePrefix":"Prod-","tags":{}'],
    [{ namePrefix: 'Prod-', tags: { k: 'prod' }, regions: [] }, '"regions":[]} is not an object'],
  ])("refuse a stage identity %j that could match another stage's stacks or search nowhere", (stageStacks, message) => {
    expect(() => parseChangeReviewParameters({ ...base, stageStacks })).toThrow(message);
  });

  it('refuse a role that is not an IAM role ARN, and a pipeline account that is not an account id', () => {
    expect(() =>
      parseChangeReviewParameters({
        ...base,
        roleArns: { 'eu-west-2': 'lookup-role', 'us-east-1': lookup('us-east-1') },
        pipelineAccount: '9999',
      }),
    ).toThrow(
      'Invalid change review parameters: pipelineAccount = "9999" is not a 12-digit account id; roleArns = {"eu-west-2":"lookup-role",',
    );
  });

  it('need no role when the caller reads with its own credentials', () => {
    expect(parseChangeReviewParameters(base).roleArns).toBeUndefined();
  });
});

describe('The change review parameters, checked one key at a time', () => {
  const prefix = 'Invalid change review parameters: ';
  const entry = {
    guard: 'manualApproval',
    key: 'prod.breakGlass.manualApproval',
    weakened: 'prod.delivery.manualApproval = false',
    reason: 'Incident INC-1 needs a fix in prod now',
  };

  it.each([null, [], 'prod', 42])('refuse %j as a whole, saying it is not an object', (raw) => {
    expect(() => parseChangeReviewParameters(raw)).toThrow(
      new Error(`change review parameters = ${JSON.stringify(raw)} is not an object`),
    );
  });

  it.each([
    ['stage', ['prod'], 'a stage name (lower case, e.g. prod)'],
    ['stage', 'Prod', 'a stage name (lower case, e.g. prod)'],
    ['account', 333333333333, 'a 12-digit account id'],
    ['account', '33333333333', 'a 12-digit account id'],
    ['region', ['eu-west-2'], 'an AWS region (e.g. eu-west-2)'],
    ['region', 'london', 'an AWS region (e.g. eu-west-2)'],
    ['stackNames', [], 'a non-empty list of stack names'],
    ['stackNames', 'Prod-Stateful', 'a non-empty list of stack names'],
    ['stackNames', ['Prod-Stateful', 'Prod Edge'], 'a non-empty list of stack names'],
    ['stackNames', [['Prod-Stateful']], 'a non-empty list of stack names'],
    ['pipelineAccount', 999999999999, 'a 12-digit account id'],
    ['stackRegions', [], 'a map of stack name to AWS region'],
    ['stackRegions', { 'Prod-EdgeSecurity': 'virginia' }, 'a map of stack name to AWS region'],
    ['stackRegions', { 'Prod-EdgeSecurity': ['us-east-1'] }, 'a map of stack name to AWS region'],
    [
      'stackRegions',
      { 'Prod-EdgeSecurity': 'us-east-1', 'Prod-Other': 'nowhere' },
      'a map of stack name to AWS region',
    ],
  ])('refuse %s = %j, naming the key, the value and what is accepted', (key, value, accepted) => {
    expect(() => parseChangeReviewParameters({ ...base, [key]: value })).toThrow(
      new Error(`${prefix}${key} = ${JSON.stringify(value)} is not ${accepted}`),
    );
  });

  it('accept parameters without a pipeline account, stack regions, roles or break-glass', () => {
    const minimal = { ...base, pipelineAccount: undefined, stackRegions: undefined };
    expect(parseChangeReviewParameters(minimal)).toEqual({
      stage: 'prod',
      account: '333333333333',
      region: 'eu-west-2',
      stackNames: base.stackNames,
      stageStacks: base.stageStacks,
      policy: base.policy,
    });
  });

  const stageStacksAccepted =
    'an object { namePrefix: "<Stage>-", tags: { <key>: <value> }, regions: [<region>, ...] } naming how the stage\'s stacks are recognised and where they may live';
  it.each([
    null,
    { ...base.stageStacks, namePrefix: ['Prod-'] },
    { ...base.stageStacks, tags: { a: 'prod', b: '' } },
    { ...base.stageStacks, tags: { a: '' } },
    { ...base.stageStacks, tags: { a: ['prod'] } },
    { ...base.stageStacks, regions: ['eu-west-2', 'nowhere'] },
    { ...base.stageStacks, regions: ['nowhere'] },
    { ...base.stageStacks, regions: [['eu-west-2']] },
  ])('refuse the stage identity %j', (stageStacks) => {
    expect(() => parseChangeReviewParameters({ ...base, stageStacks })).toThrow(
      new Error(`${prefix}stageStacks = ${JSON.stringify(stageStacks)} is not ${stageStacksAccepted}`),
    );
  });

  const roles = {
    'eu-west-2': lookup('eu-west-2'),
    'us-east-1': lookup('us-east-1'),
    'eu-west-1': lookup('eu-west-1'),
  };
  it.each([
    { ...roles, nowhere: lookup('eu-west-2') },
    { ...roles, 'eu-west-1': [lookup('eu-west-1')] },
    { ...roles, 'eu-west-1': 'arn:aws:iam::333333333333:user/someone' },
  ])('refuse the roles %j, naming the key', (roleArns) => {
    expect(() => parseChangeReviewParameters({ ...base, roleArns })).toThrow(
      new Error(`${prefix}roleArns = ${JSON.stringify(roleArns)} is not a map of AWS region to IAM role ARN`),
    );
  });

  it('name every region left without a role', () => {
    const roleArns = { 'eu-west-2': lookup('eu-west-2') };
    expect(() => parseChangeReviewParameters({ ...base, roleArns })).toThrow(
      new Error(
        `${prefix}roleArns = ${JSON.stringify(roleArns)} has no role for us-east-1, eu-west-1; expected one for every region a stack of the stage lives in or may have been left in`,
      ),
    );
  });

  it('report only the first problem when the stage itself is invalid, not a missing role derived from it', () => {
    const roleArns = { 'eu-west-2': lookup('eu-west-2') };
    expect(() => parseChangeReviewParameters({ ...base, stage: 'Prod', roleArns })).toThrow(
      new Error(`${prefix}stage = "Prod" is not a stage name (lower case, e.g. prod)`),
    );
  });

  it('carry the break-glass entries in use, and none when the list is empty', () => {
    expect(parseChangeReviewParameters({ ...base, breakGlass: [entry] }).breakGlass).toEqual([entry]);
    expect(parseChangeReviewParameters({ ...base, breakGlass: [] })).not.toHaveProperty('breakGlass');
  });

  it.each([
    'manualApproval',
    [null],
    [{}],
    [entry, { ...entry, reason: '' }],
    ...['guard', 'key', 'weakened', 'reason'].flatMap((field) => [
      [{ ...entry, [field]: '' }],
      [{ ...entry, [field]: 1 }],
      [{ ...entry, [field]: undefined }],
    ]),
  ])('refuse the break-glass list %j', (breakGlass) => {
    expect(() => parseChangeReviewParameters({ ...base, breakGlass })).toThrow(
      new Error(
        `${prefix}breakGlass = ${JSON.stringify(breakGlass)} is not a list of { guard, key, weakened, reason } strings`,
      ),
    );
  });

  it('refuse a missing policy, naming the policy key', () => {
    expect(() => parseChangeReviewParameters({ ...base, policy: undefined })).toThrow(
      new Error(`${prefix}policy = undefined is not an object { allowReplace, failOnDrift }`),
    );
  });
});
