import { parseChangeReviewPolicy } from '../../../../contracts/change-review-policy';
import { describeFinding, findDataLoss } from '../../../../lambda/pipeline/private/change-review/data-loss';
import { diffStack } from '../../../../lambda/pipeline/private/change-review/diff-stacks';
import { BUCKET, queue, table, template } from './fixtures/templates';

const NO_EXCEPTIONS = { allowReplace: [], failOnDrift: true };
const stateful = (deployed: ReturnType<typeof template>, synthesized: ReturnType<typeof template>) =>
  diffStack({ stackName: 'Prod-Stateful', region: 'eu-west-2', deployed, synthesized });

describe('findDataLoss', () => {
  it('blocks a property change that replaces a retained table, naming stack, logical id and type', () => {
    const result = findDataLoss(
      [stateful(template({ UsersTable: table('pk') }), template({ UsersTable: table('userId') }))],
      NO_EXCEPTIONS,
    );
    expect(result.blocked).toEqual([
      expect.objectContaining({
        stackName: 'Prod-Stateful',
        logicalId: 'UsersTable',
        type: 'AWS::DynamoDB::Table',
        kind: 'replaced',
      }),
    ]);
    expect(describeFinding(result.blocked[0])).toBe(
      'Prod-Stateful/UsersTable (AWS::DynamoDB::Table) would be replaced (by a change to KeySchema); it is retained (DeletionPolicy Retain)',
    );
  });

  it('blocks the removal of a retained bucket', () => {
    const result = findDataLoss([stateful(template({ Files: BUCKET }), template({}))], NO_EXCEPTIONS);
    expect(result.blocked).toEqual([
      expect.objectContaining({ logicalId: 'Files', type: 'AWS::S3::Bucket', kind: 'removed' }),
    ]);
  });

  it('blocks a table replaced even when its DeletionPolicy is Delete: tables are retained by type', () => {
    const result = findDataLoss(
      [stateful(template({ T: table('pk', 'Delete') }), template({ T: table('id', 'Delete') }))],
      NO_EXCEPTIONS,
    );
    expect(result.blocked).toEqual([
      expect.objectContaining({ logicalId: 'T', retainedBecause: 'a AWS::DynamoDB::Table' }),
    ]);
  });

  it('lets an allowed exception through with its reason, and lists exceptions that matched nothing', () => {
    const policy = parseChangeReviewPolicy({
      failOnDrift: true,
      allowReplace: [
        { logicalId: 'Prod-Stateful/UsersTable', reason: 'Table is rebuilt from the import job after the key change' },
        { logicalId: 'Stale', reason: 'Left over from an earlier migration' },
      ],
    });
    const result = findDataLoss(
      [stateful(template({ UsersTable: table('pk') }), template({ UsersTable: table('userId') }))],
      policy,
    );
    expect(result.blocked).toEqual([]);
    expect(result.allowed).toEqual([
      expect.objectContaining({
        logicalId: 'UsersTable',
        allowedBy: expect.objectContaining({ reason: 'Table is rebuilt from the import job after the key change' }),
      }),
    ]);
    expect(result.unusedExceptions).toEqual([expect.objectContaining({ logicalId: 'Stale' })]);
  });

  it('does not let an exception for another stack through', () => {
    const policy = parseChangeReviewPolicy({
      failOnDrift: false,
      allowReplace: [{ logicalId: 'Prod-Service/UsersTable', reason: 'Only meant for the service stack' }],
    });
    const result = findDataLoss(
      [stateful(template({ UsersTable: table('pk') }), template({ UsersTable: table('userId') }))],
      policy,
    );
    expect(result.blocked).toHaveLength(1);
  });

  it('does not block replacing or removing a resource the stage does not retain', () => {
    const result = findDataLoss(
      [stateful(template({ Q: queue('a'), Gone: queue() }), template({ Q: queue('b') }))],
      NO_EXCEPTIONS,
    );
    expect(result.blocked).toEqual([]);
  });

  it('finds nothing when nothing changes', () => {
    const t = template({ UsersTable: table('pk'), Files: BUCKET });
    expect(findDataLoss([stateful(t, structuredClone(t))], NO_EXCEPTIONS)).toEqual({
      blocked: [],
      allowed: [],
      unusedExceptions: [],
    });
  });
});

describe('parseChangeReviewPolicy', () => {
  it.each([
    [{ failOnDrift: 'yes' }, 'changeReview.failOnDrift = "yes" is not true or false'],
    [{ failOnDrift: true, allowReplace: {} }, 'changeReview.allowReplace = {} is not a list'],
    [
      { failOnDrift: true, allowReplace: [{ logicalId: 'A B', reason: 'long enough reason' }] },
      'changeReview.allowReplace[0].logicalId = "A B" is not a CloudFormation logical id',
    ],
    [
      { failOnDrift: true, allowReplace: [{ logicalId: 'Users' }] },
      'changeReview.allowReplace[0].reason = undefined is not a reason of at least 10 characters',
    ],
    [
      { failOnDrift: true, allowReplace: [{ logicalId: 'Users', reason: 'a good enough reason', ticket: 1 }] },
      'unknown keys ticket',
    ],
    [
      {
        failOnDrift: true,
        allowReplace: [
          { logicalId: 'U', reason: 'a good enough reason' },
          { logicalId: 'U', reason: 'another good reason' },
        ],
      },
      'lists U twice',
    ],
  ])('rejects %j naming the key and what is accepted', (raw, message) => {
    expect(() => parseChangeReviewPolicy(raw)).toThrow(message);
  });
});
