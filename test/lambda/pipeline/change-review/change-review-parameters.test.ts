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
