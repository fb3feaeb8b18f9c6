import {
  referencedIds,
  replacementRule,
  replacements,
} from '../../../../lambda/pipeline/private/change-review/replacement';
import { diffStack } from '../../../../lambda/pipeline/private/change-review/diff-stacks';
import { findDataLoss } from '../../../../lambda/pipeline/private/change-review/data-loss';
import { table, template } from './fixtures/templates';

/** A function, and the retained log group CDK gives it (its name is built from the function's physical name). */
function functionWithLogs(functionName?: string) {
  return template({
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        ...(functionName ? { FunctionName: functionName } : {}),
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
      },
    },
    FnLogs: {
      Type: 'AWS::Logs::LogGroup',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { LogGroupName: { 'Fn::Join': ['', ['/aws/lambda/', { Ref: 'Fn' }]] }, RetentionInDays: 365 },
    },
  });
}

describe('replacementRule (the resource specification the diff engine ships)', () => {
  it.each([
    ['AWS::DynamoDB::Table', 'KeySchema', 'yes'],
    ['AWS::DynamoDB::Table', 'BillingMode', 'no'],
    ['AWS::RDS::DBInstance', 'Engine', 'maybe'],
    ['AWS::DynamoDB::Table', 'NotAProperty', 'unknown'],
    ['Custom::Seed', 'Anything', 'unknown'],
  ])('%s.%s replaces it: %s', (type, property, rule) => {
    expect(replacementRule(type, property)).toBe(rule);
  });
});

describe('referencedIds', () => {
  it('finds Ref, both forms of Fn::GetAtt and Fn::Sub references, but not pseudo parameters or Sub variables', () => {
    const value = {
      'Fn::Join': [
        '',
        [
          { Ref: 'A' },
          { Ref: 'AWS::Region' },
          { 'Fn::GetAtt': ['B', 'Arn'] },
          { 'Fn::GetAtt': 'C.Arn' },
          { 'Fn::Sub': ['${D}-${E.Arn}-${Own}-${!Literal}-${AWS::AccountId}', { Own: { Ref: 'F' } }] },
        ],
      ],
    };
    expect([...referencedIds(value)].sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
  });
});

describe('replacements: what CloudFormation replaces, beyond the diff engine flags', () => {
  it('replaces a resource whose template is unchanged when an immutable property refers to a replaced resource', () => {
    // GIVEN a function renamed (FunctionName replaces it): its log group's name is built from the function's name
    const before = functionWithLogs('quotes-v1');
    const after = functionWithLogs('quotes-v2');
    expect(replacements(before, after).get('FnLogs')).toEqual({
      kind: 'replaced',
      causes: ['LogGroupName (refers to Fn)'],
    });
    // The diff engine itself sees no change to the log group: only the review's rule finds it.
    const changes = diffStack({ stackName: 'Prod-Service', region: 'eu-west-2', deployed: before, synthesized: after });
    expect(changes.resources.find((r) => r.logicalId === 'FnLogs')).toEqual(
      expect.objectContaining({
        kind: 'replaced',
        impact: 'NO_CHANGE',
        replacingProperties: ['LogGroupName (refers to Fn)'],
      }),
    );
    expect(findDataLoss([changes], [], { allowReplace: [], failOnDrift: true }).blocked).toEqual([
      expect.objectContaining({ logicalId: 'FnLogs', kind: 'replaced', retainedBecause: 'DeletionPolicy Retain' }),
    ]);
  });

  it('does not replace a resource that refers to a replaced one through a property it updates in place', () => {
    const t = (queueName: string) =>
      template({
        Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: queueName } },
        Users: {
          ...table('pk'),
          Properties: { ...(table('pk').Properties as object), Tags: [{ Key: 'queue', Value: { Ref: 'Queue' } }] },
        },
      });
    expect(replacements(t('a'), t('b')).has('Users')).toBe(false);
  });

  it('replaces a resource whose type changes', () => {
    const before = template({ Store: table('pk') });
    const after = template({ Store: { Type: 'AWS::DynamoDB::GlobalTable', Properties: {} } });
    expect(replacements(before, after).get('Store')).toEqual({
      kind: 'replaced',
      causes: ['Type (AWS::DynamoDB::Table -> AWS::DynamoDB::GlobalTable)'],
    });
  });

  it('may replace a resource when a property the specification does not know changes, or its Condition changes', () => {
    const before = template({
      Users: { ...table('pk'), Properties: { ...(table('pk').Properties as object), NewThing: 1 } },
    });
    const after = template({
      Users: {
        ...table('pk'),
        Condition: 'IsProd',
        Properties: { ...(table('pk').Properties as object), NewThing: 2 },
      },
    });
    expect(replacements(before, after).get('Users')).toEqual({
      kind: 'may-replace',
      causes: ['NewThing (not in the resource specification)', 'Condition'],
    });
  });

  it('replaces nothing when only in-place properties change', () => {
    const before = template({ Users: table('pk') });
    const after = template({
      Users: {
        ...table('pk'),
        Properties: { ...(table('pk').Properties as object), TableClass: 'STANDARD_INFREQUENT_ACCESS' },
      },
    });
    expect(replacements(before, after).size).toBe(0);
  });
});

describe('replacements: chains, upgrades and what does not count', () => {
  const logGroup = (name: unknown, extra: Record<string, unknown> = {}) => ({
    Type: 'AWS::Logs::LogGroup',
    Properties: { LogGroupName: name, ...extra },
  });
  const namedQueue = (name: string) => ({ Type: 'AWS::SQS::Queue', Properties: { QueueName: name } });
  const seed = (props: Record<string, unknown>) => ({
    Type: 'Custom::Seed',
    Properties: { ServiceToken: 'arn:aws:lambda:eu-west-2:333333333333:function:seed', ...props },
  });
  const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });

  it('follows references until nothing more is replaced, whatever the order of the resources', () => {
    const common = {
      C: logGroup({ Ref: 'B' }),
      B: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::GetAtt': ['A', 'QueueName'] } } },
    };
    const out = replacements(template({ ...common, A: namedQueue('a') }), template({ ...common, A: namedQueue('b') }));
    expect(Object.fromEntries(out)).toEqual({
      A: { kind: 'replaced', causes: ['QueueName'] },
      B: { kind: 'replaced', causes: ['QueueName (refers to A)'] },
      C: { kind: 'replaced', causes: ['LogGroupName (refers to B)'] },
    });
  });

  it('is certain only when an immutable property refers to a resource that is certainly replaced', () => {
    const common = {
      OnMaybe: logGroup({ Ref: 'Maybe' }),
      OnBoth: logGroup(join({ Ref: 'Sure' }, { Ref: 'Maybe' })),
      SeedOnSure: seed({ Queue: { Ref: 'Sure' } }),
      OnUnchanged: logGroup({ Ref: 'Unchanged' }),
      Unchanged: namedQueue('same'),
    };
    const out = replacements(
      template({ ...common, Sure: namedQueue('a'), Maybe: seed({ Size: '1' }) }),
      template({ ...common, Sure: namedQueue('b'), Maybe: seed({ Size: '2' }) }),
    );
    expect(Object.fromEntries(out)).toEqual({
      OnMaybe: { kind: 'may-replace', causes: ['LogGroupName (refers to Maybe)'] },
      OnBoth: { kind: 'replaced', causes: ['LogGroupName (refers to Maybe, Sure)'] },
      SeedOnSure: { kind: 'may-replace', causes: ['Queue (refers to Sure)'] },
      Sure: { kind: 'replaced', causes: ['QueueName'] },
      Maybe: { kind: 'may-replace', causes: ['Size (not in the resource specification)'] },
    });
  });

  it('upgrades a resource that may be replaced to replaced when it refers to a replaced one', () => {
    const out = replacements(
      template({ L: logGroup({ Ref: 'A' }, { NotInSpec: 'x' }), A: namedQueue('a') }),
      template({ L: logGroup({ Ref: 'A' }, { NotInSpec: 'y' }), A: namedQueue('b') }),
    );
    expect(out.get('L')).toEqual({
      kind: 'replaced',
      causes: ['NotInSpec (not in the resource specification)', 'LogGroupName (refers to A)'],
    });
  });

  it('upgrades a resource again when one it refers to is upgraded later in the same pass', () => {
    // GIVEN M refers to L, L refers to A, in that order; M and L may be replaced by their own change, A is replaced
    const own = (v: string) => ({ NotInSpec: v });
    const out = replacements(
      template({ M: logGroup({ Ref: 'L' }, own('x')), L: logGroup({ Ref: 'A' }, own('x')), A: namedQueue('a') }),
      template({ M: logGroup({ Ref: 'L' }, own('y')), L: logGroup({ Ref: 'A' }, own('y')), A: namedQueue('b') }),
    );
    // THEN L becomes replaced through A, and M, whose name is built from L's, becomes replaced in turn
    expect(out.get('M')).toEqual({
      kind: 'replaced',
      causes: ['NotInSpec (not in the resource specification)', 'LogGroupName (refers to L)'],
    });
  });

  it('does not count a reference of a resource to itself as a cause', () => {
    const self = (size: string) => template({ S: seed({ Size: size, Self: { Ref: 'S' } }) });
    expect(replacements(self('1'), self('2')).get('S')).toEqual({
      kind: 'may-replace',
      causes: ['Size (not in the resource specification)'],
    });
  });

  it('reads a template without resources as having none', () => {
    const after = template({ A: namedQueue('a') });
    expect(replacements(undefined, after).size).toBe(0);
    expect(replacements({ Resources: null }, after).size).toBe(0);
  });

  it('compares properties a resource gains or loses, and names a changed Condition', () => {
    const out = replacements(
      template({
        Gains: { Type: 'AWS::SQS::Queue' },
        Loses: namedQueue('a'),
        Cond: { ...namedQueue('c'), Condition: 'IsProd' },
      }),
      template({ Gains: namedQueue('g'), Loses: { Type: 'AWS::SQS::Queue' }, Cond: namedQueue('c') }),
    );
    expect(Object.fromEntries(out)).toEqual({
      Gains: { kind: 'replaced', causes: ['QueueName'] },
      Loses: { kind: 'replaced', causes: ['QueueName'] },
      Cond: { kind: 'may-replace', causes: ['Condition'] },
    });
  });
});

describe('referencedIds, other shapes', () => {
  it('reads the string form of Fn::Sub, multi-letter GetAtt ids, and skips nulls', () => {
    expect([
      ...referencedIds({ a: null, b: { 'Fn::Sub': 'arn:${Topic}:${AWS::Region}' }, c: { 'Fn::GetAtt': 'Bucket.Arn' } }),
    ]).toEqual(['Topic', 'Bucket']);
  });

  it('skips intrinsics whose argument CloudFormation would reject, instead of failing the review', () => {
    const value = {
      a: { Ref: { 'Fn::GetAtt': ['A', 'Arn'] } },
      b: { 'Fn::GetAtt': { Ref: 'B' } },
      c: { 'Fn::GetAtt': [] },
      d: { 'Fn::Sub': [{ Ref: 'D' }] },
    };
    expect([...referencedIds(value)]).toStrictEqual(['A']);
  });
});
