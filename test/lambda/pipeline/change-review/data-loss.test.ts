import { parseChangeReviewPolicy } from '../../../../contracts/change-review-policy';
import { describeFinding, findDataLoss } from '../../../../lambda/pipeline/private/change-review/data-loss';
import { diffStack } from '../../../../lambda/pipeline/private/change-review/diff-stacks';
import type { LeftoverStack } from '../../../../lambda/pipeline/private/change-review/leftover-stacks';
import { BUCKET, queue, table, template } from './fixtures/templates';

const NO_EXCEPTIONS = { allowReplace: [], failOnDrift: true };
const stateful = (deployed: ReturnType<typeof template>, synthesized: ReturnType<typeof template>) =>
  diffStack({ stackName: 'Prod-Stateful', region: 'eu-west-2', deployed, synthesized });
const allow = (...entries: [string, string][]) =>
  parseChangeReviewPolicy({
    failOnDrift: true,
    allowReplace: entries.map(([logicalId, reason]) => ({ logicalId, reason })),
  });

/** An RDS instance (it holds databases) on `engine`; a change of engine may replace it (conditional replacement). */
const database = (engine: string, policy?: string) => ({
  Type: 'AWS::RDS::DBInstance',
  ...(policy ? { DeletionPolicy: policy, UpdateReplacePolicy: policy } : {}),
  Properties: { Engine: engine, DBInstanceClass: 'db.t4g.micro', AllocatedStorage: '20' },
});

describe('findDataLoss', () => {
  it('blocks a property change that replaces a retained table, naming stack, logical id and type', () => {
    const result = findDataLoss(
      [stateful(template({ UsersTable: table('pk') }), template({ UsersTable: table('userId') }))],
      [],
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

  it('blocks a retained resource that MAY be replaced (a conditional replacement): the review cannot prove it stays', () => {
    // GIVEN a retained database whose engine changes: CloudFormation's rule for Engine is "Replacement: Conditional"
    const result = findDataLoss(
      [
        stateful(
          template({ Orders: database('mysql', 'Retain') }),
          template({ Orders: database('postgres', 'Retain') }),
        ),
      ],
      [],
      NO_EXCEPTIONS,
    );
    expect(result.blocked).toEqual([
      expect.objectContaining({ logicalId: 'Orders', kind: 'may-replace', retainedBecause: 'DeletionPolicy Retain' }),
    ]);
    expect(describeFinding(result.blocked[0])).toBe(
      'Prod-Stateful/Orders (AWS::RDS::DBInstance) may be replaced (by a change to Engine (replacement: conditional)); it is retained (DeletionPolicy Retain)',
    );
  });

  it('blocks the removal of a retained bucket', () => {
    const result = findDataLoss([stateful(template({ Files: BUCKET }), template({}))], [], NO_EXCEPTIONS);
    expect(result.blocked).toEqual([
      expect.objectContaining({ logicalId: 'Files', type: 'AWS::S3::Bucket', kind: 'removed' }),
    ]);
    expect(describeFinding(result.blocked[0])).toBe(
      'Prod-Stateful/Files (AWS::S3::Bucket) would be removed; it is retained (DeletionPolicy Retain)',
    );
  });

  it('names every property whose change replaces a retained table', () => {
    const named = (hashKey: string, tableName: string) => ({
      ...table(hashKey),
      Properties: { ...(table(hashKey).Properties as object), TableName: tableName },
    });
    const result = findDataLoss(
      [stateful(template({ Users: named('pk', 'users-v1') }), template({ Users: named('id', 'users-v2') }))],
      [],
      NO_EXCEPTIONS,
    );
    expect(describeFinding(result.blocked[0])).toContain('would be replaced (by a change to KeySchema, TableName);');
  });

  it('blocks replacing a resource that holds no data but is kept by its UpdateReplacePolicy alone', () => {
    // GIVEN a queue (no data-holding type) whose DeletionPolicy is Delete but whose UpdateReplacePolicy is Retain
    const kept = (name: string) => ({ ...queue(name), DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Retain' });
    const result = findDataLoss([stateful(template({ Q: kept('a') }), template({ Q: kept('b') }))], [], NO_EXCEPTIONS);
    expect(result.blocked).toEqual([
      expect.objectContaining({ logicalId: 'Q', kind: 'replaced', retainedBecause: 'UpdateReplacePolicy Retain' }),
    ]);
  });

  it('blocks a retained bucket whose logical id is renamed: a delete (orphan) and a create of a new, empty one', () => {
    const result = findDataLoss(
      [stateful(template({ Files: BUCKET }), template({ Files2: BUCKET }))],
      [],
      NO_EXCEPTIONS,
    );
    expect(result.blocked).toEqual([expect.objectContaining({ logicalId: 'Files', kind: 'removed' })]);
  });

  it('blocks a table replaced even when its DeletionPolicy is Delete: a table holds data whatever its policy', () => {
    const result = findDataLoss(
      [stateful(template({ T: table('pk', 'Delete') }), template({ T: table('id', 'Delete') }))],
      [],
      NO_EXCEPTIONS,
    );
    expect(result.blocked).toEqual([
      expect.objectContaining({ logicalId: 'T', retainedBecause: 'AWS::DynamoDB::Table holds its items' }),
    ]);
  });

  it('lets an allowed exception through with its reason, and lists exceptions that matched nothing', () => {
    const policy = allow(
      ['Prod-Stateful/UsersTable', 'Table is rebuilt from the import job after the key change'],
      ['Stale', 'Left over from an earlier migration'],
    );
    const result = findDataLoss(
      [stateful(template({ UsersTable: table('pk') }), template({ UsersTable: table('userId') }))],
      [],
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

  it('lets through only the resource an exception names: another retained resource of the same stack stays blocked', () => {
    // GIVEN two retained tables of one stack replaced, and an exception for one of them
    const result = findDataLoss(
      [
        stateful(
          template({ UsersTable: table('pk'), QuotesTable: table('pk') }),
          template({ UsersTable: table('userId'), QuotesTable: table('quoteId') }),
        ),
      ],
      [],
      allow(['Prod-Stateful/UsersTable', 'Users are re-imported after the key change']),
    );
    expect(result.allowed.map((f) => f.logicalId)).toEqual(['UsersTable']);
    expect(result.blocked.map((f) => f.logicalId)).toEqual(['QuotesTable']);
  });

  it('does not let an exception for another stack through', () => {
    const result = findDataLoss(
      [stateful(template({ UsersTable: table('pk') }), template({ UsersTable: table('userId') }))],
      [],
      allow(['Prod-Service/UsersTable', 'Only meant for the service stack']),
    );
    expect(result.blocked).toHaveLength(1);
  });

  it('does not block replacing or removing a resource the stage does not retain', () => {
    const result = findDataLoss(
      [stateful(template({ Q: queue('a'), Gone: queue() }), template({ Q: queue('b') }))],
      [],
      NO_EXCEPTIONS,
    );
    expect(result.blocked).toEqual([]);
  });

  it('finds nothing when nothing changes', () => {
    const t = template({ UsersTable: table('pk'), Files: BUCKET });
    expect(findDataLoss([stateful(t, structuredClone(t))], [], NO_EXCEPTIONS)).toEqual({
      blocked: [],
      allowed: [],
      unusedExceptions: [],
    });
  });
});

describe('findDataLoss on weakened retention', () => {
  const bucket = (deletion?: string, replace?: string) => ({
    ...BUCKET,
    DeletionPolicy: deletion,
    UpdateReplacePolicy: replace,
  });

  it.each([
    [
      'DeletionPolicy Retain to Delete',
      bucket('Retain', 'Retain'),
      bucket('Delete', 'Retain'),
      'DeletionPolicy Retain -> Delete',
    ],
    [
      'DeletionPolicy Retain to absent',
      bucket('Retain', 'Retain'),
      bucket(undefined, 'Retain'),
      'DeletionPolicy Retain -> Delete',
    ],
    [
      'UpdateReplacePolicy Retain to absent',
      bucket('Retain', 'Retain'),
      bucket('Retain'),
      'UpdateReplacePolicy Retain -> Delete',
    ],
    [
      'DeletionPolicy RetainExceptOnCreate to Delete',
      bucket('RetainExceptOnCreate'),
      bucket('Delete'),
      'DeletionPolicy RetainExceptOnCreate -> Delete',
    ],
    ['DeletionPolicy Retain to Snapshot', bucket('Retain'), bucket('Snapshot'), 'DeletionPolicy Retain -> Snapshot'],
  ])('blocks %s of a retained bucket, although the update itself deletes nothing', (_, before, after, weakened) => {
    const result = findDataLoss([stateful(template({ Files: before }), template({ Files: after }))], [], NO_EXCEPTIONS);
    expect(result.blocked).toEqual([
      expect.objectContaining({
        logicalId: 'Files',
        kind: 'weakened',
        replacingProperties: [],
        weakenedRetention: [weakened],
      }),
    ]);
    expect(describeFinding(result.blocked[0])).toContain(
      `Prod-Stateful/Files (AWS::S3::Bucket) would keep less when deleted or replaced (${weakened}): its next removal or replacement deletes it`,
    );
  });

  it('blocks a database whose default Snapshot DeletionPolicy becomes Delete', () => {
    const result = findDataLoss(
      [stateful(template({ Orders: database('mysql') }), template({ Orders: database('mysql', 'Delete') }))],
      [],
      NO_EXCEPTIONS,
    );
    expect(result.blocked).toEqual([
      expect.objectContaining({ kind: 'weakened', weakenedRetention: ['DeletionPolicy Snapshot -> Delete'] }),
    ]);
  });

  it.each([
    ['Retain to RetainExceptOnCreate', bucket('Retain', 'Retain'), bucket('RetainExceptOnCreate', 'Retain')],
    ['Delete to Retain', bucket('Delete', 'Delete'), bucket('Retain', 'Retain')],
    ['unchanged', bucket('Retain', 'Retain'), { ...bucket('Retain', 'Retain'), Properties: {} }],
  ])('does not block a policy change that keeps as much (%s)', (_, before, after) => {
    const result = findDataLoss([stateful(template({ Files: before }), template({ Files: after }))], [], NO_EXCEPTIONS);
    expect(result.blocked).toEqual([]);
  });

  it('lets a weakening through when the stage allows that resource', () => {
    const result = findDataLoss(
      [stateful(template({ Files: bucket('Retain', 'Retain') }), template({ Files: bucket('Delete', 'Delete') }))],
      [],
      allow(['Prod-Stateful/Files', 'The bucket is emptied and dropped in the next release']),
    );
    expect(result.blocked).toEqual([]);
    expect(result.allowed).toEqual([
      expect.objectContaining({
        kind: 'weakened',
        weakenedRetention: ['DeletionPolicy Retain -> Delete', 'UpdateReplacePolicy Retain -> Delete'],
      }),
    ]);
    expect(describeFinding(result.allowed[0])).toContain(
      '(DeletionPolicy Retain -> Delete, UpdateReplacePolicy Retain -> Delete)',
    );
  });
});

describe('findDataLoss on stacks no longer in the assembly', () => {
  const vaultStack: LeftoverStack = {
    stackName: 'Prod-DrVault',
    stackId: 'arn:aws:cloudformation:eu-west-1:333333333333:stack/Prod-DrVault/1',
    region: 'eu-west-1',
    status: 'UPDATE_COMPLETE',
    terminationProtection: true,
    retained: [
      {
        logicalId: 'Vault23237E5B',
        type: 'AWS::Backup::BackupVault',
        physicalId: 'uk-home-improvement-prod-dr-vault',
        retainedBecause: 'DeletionPolicy Retain',
      },
      { logicalId: 'VaultKey6B75F33E', type: 'AWS::KMS::Key', retainedBecause: 'DeletionPolicy Retain' },
    ],
  };
  const edgeStack: LeftoverStack = { ...vaultStack, stackName: 'Prod-EdgeSecurity', region: 'us-east-1', retained: [] };

  it('blocks every retained resource a stack left deployed holds, and nothing for a stack that holds none', () => {
    const result = findDataLoss([], [vaultStack, edgeStack], NO_EXCEPTIONS);
    expect(result.blocked.map((f) => [f.stackName, f.logicalId, f.kind])).toEqual([
      ['Prod-DrVault', 'Vault23237E5B', 'left-deployed'],
      ['Prod-DrVault', 'VaultKey6B75F33E', 'left-deployed'],
    ]);
    expect(result.blocked[0]).toEqual(expect.objectContaining({ region: 'eu-west-1', replacingProperties: [] }));
    expect(describeFinding(result.blocked[0])).toBe(
      'Prod-DrVault/Vault23237E5B (AWS::Backup::BackupVault) uk-home-improvement-prod-dr-vault stays deployed in eu-west-1, unmanaged: Prod-DrVault is no longer in the assembly and CDK Pipelines never deletes it; it is retained (DeletionPolicy Retain)',
    );
    // A resource without a physical id is named by its logical id alone.
    expect(describeFinding(result.blocked[1])).toBe(
      'Prod-DrVault/VaultKey6B75F33E (AWS::KMS::Key) stays deployed in eu-west-1, unmanaged: Prod-DrVault is no longer in the assembly and CDK Pipelines never deletes it; it is retained (DeletionPolicy Retain)',
    );
  });

  it('lets through only the resources the stage allows by name', () => {
    const result = findDataLoss(
      [],
      [vaultStack],
      allow(['Prod-DrVault/Vault23237E5B', 'Backup moves to the organisation vault; this one is kept for a year']),
    );
    expect(result.allowed.map((f) => f.logicalId)).toEqual(['Vault23237E5B']);
    expect(result.blocked.map((f) => f.logicalId)).toEqual(['VaultKey6B75F33E']);
  });
});

describe('findDataLoss in nested stacks', () => {
  const nested = (hashKey: string, nestedPath = ['Search']) =>
    diffStack({
      stackName: 'Prod-Service',
      nestedPath,
      region: 'eu-west-2',
      deployed: template({ IndexTable: table('pk') }),
      synthesized: template({ IndexTable: table(hashKey) }),
    });

  it('names a nested stack resource by its path from the top-level stack', () => {
    const result = findDataLoss([nested('id')], [], NO_EXCEPTIONS);
    expect(result.blocked).toEqual([
      expect.objectContaining({ stackName: 'Prod-Service', logicalId: 'Search/IndexTable', kind: 'replaced' }),
    ]);
    expect(describeFinding(result.blocked[0])).toMatch(/^Prod-Service\/Search\/IndexTable \(AWS::DynamoDB::Table\)/);
  });

  it('names a resource two nested stacks deep by the whole path, as an exception names it', () => {
    const changes = nested('id', ['Search', 'Index']);
    expect(findDataLoss([changes], [], NO_EXCEPTIONS).blocked).toEqual([
      expect.objectContaining({ logicalId: 'Search/Index/IndexTable' }),
    ]);
    expect(
      findDataLoss(
        [changes],
        [],
        allow(['Prod-Service/Search/Index/IndexTable', 'The index is rebuilt from the tables']),
      ).blocked,
    ).toEqual([]);
  });

  it('takes an exception that names the nested path, and not one that names only the logical id in the parent', () => {
    expect(
      findDataLoss(
        [nested('id')],
        [],
        allow(['Prod-Service/Search/IndexTable', 'The index is rebuilt from the tables']),
      ).blocked,
    ).toEqual([]);
    expect(
      findDataLoss([nested('id')], [], allow(['Prod-Service/IndexTable', 'The index is rebuilt from the tables']))
        .blocked,
    ).toHaveLength(1);
  });
});

describe('describeFinding of a finding without its optional details', () => {
  const finding = {
    stackName: 'Prod-DrVault',
    logicalId: 'Vault',
    type: 'AWS::Backup::BackupVault',
    retainedBecause: 'DeletionPolicy Retain',
    replacingProperties: [],
  };

  it('names no weakened policy it was not given', () => {
    expect(describeFinding({ ...finding, kind: 'weakened' })).toBe(
      'Prod-DrVault/Vault (AWS::Backup::BackupVault) would keep less when deleted or replaced (): its next removal or replacement deletes it; it is retained (DeletionPolicy Retain)',
    );
  });

  it('says "its region" for a stack left deployed whose region is unknown', () => {
    expect(describeFinding({ ...finding, kind: 'left-deployed' })).toContain(
      'Prod-DrVault/Vault (AWS::Backup::BackupVault) stays deployed in its region, unmanaged:',
    );
  });
});

describe('parseChangeReviewPolicy', () => {
  it('reads a nested stack resource as its top-level stack and its path', () => {
    expect(
      parseChangeReviewPolicy({
        failOnDrift: true,
        allowReplace: [{ logicalId: 'Prod-Service/Search/IndexTable', reason: 'a good enough reason' }],
      }).allowReplace,
    ).toEqual([{ stack: 'Prod-Service', logicalId: 'Search/IndexTable', reason: 'a good enough reason' }]);
  });

  it.each([
    [{ failOnDrift: 'yes' }, 'changeReview.failOnDrift = "yes" is not true or false'],
    [{ failOnDrift: true, allowReplace: {} }, 'changeReview.allowReplace = {} is not a list'],
    [
      { failOnDrift: true, allowReplace: [{ logicalId: 'A B', reason: 'long enough reason' }] },
      'changeReview.allowReplace[0].logicalId = "A B" is not a CloudFormation logical id',
    ],
    [
      { failOnDrift: true, allowReplace: [{ logicalId: 'Prod-Service//Id', reason: 'long enough reason' }] },
      'changeReview.allowReplace[0].logicalId = "Prod-Service//Id" is not a CloudFormation logical id',
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
