import { countByKind, diffStack } from '../../../../lambda/pipeline/private/change-review/diff-stacks';
import { retainedBecause } from '../../../../lambda/pipeline/private/change-review/retention';
import { BUCKET, queue, role, table, template } from './fixtures/templates';

const diff = (deployed: ReturnType<typeof template> | undefined, synthesized: ReturnType<typeof template>) =>
  diffStack({ stackName: 'Prod-Stateful', region: 'eu-west-2', deployed, synthesized });

describe('diffStack', () => {
  it('reports an added and a removed resource with their CloudFormation impact', () => {
    const changes = diff(template({ Old: queue() }), template({ New: queue() }));
    expect(changes.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ logicalId: 'Old', type: 'AWS::SQS::Queue', kind: 'removed', impact: 'WILL_DESTROY' }),
        expect.objectContaining({ logicalId: 'New', type: 'AWS::SQS::Queue', kind: 'added', impact: 'WILL_CREATE' }),
      ]),
    );
    expect(changes.resources).toHaveLength(2);
  });

  it('reports a key schema change of a retained table as a replacement by KeySchema', () => {
    const changes = diff(template({ Users: table('pk') }), template({ Users: table('userId') }));
    expect(changes.resources).toEqual([
      expect.objectContaining({
        logicalId: 'Users',
        kind: 'replaced',
        impact: 'WILL_REPLACE',
        replacingProperties: ['KeySchema'],
        retainedBecause: 'DeletionPolicy Retain',
      }),
    ]);
  });

  it('reports a removed retained bucket as removed (orphaned by its DeletionPolicy)', () => {
    const changes = diff(template({ Files: BUCKET, Q: queue() }), template({ Q: queue() }));
    expect(changes.resources).toEqual([
      expect.objectContaining({
        logicalId: 'Files',
        kind: 'removed',
        impact: 'WILL_ORPHAN',
        retainedBecause: 'DeletionPolicy Retain',
      }),
    ]);
  });

  it('reports an in-place property change as modified, with the property', () => {
    const changes = diff(
      template({ Q: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } } }),
      template({ Q: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60 } } }),
    );
    expect(changes.resources).toEqual([
      expect.objectContaining({
        logicalId: 'Q',
        kind: 'modified',
        changedProperties: ['VisibilityTimeout'],
        replacingProperties: [],
      }),
    ]);
  });

  it('reports IAM statements added and removed', () => {
    const changes = diff(
      template({ Fn: role(['s3:GetObject']) }),
      template({ Fn: role(['s3:GetObject', 's3:DeleteObject']) }),
    );
    expect(changes.iam).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          change: 'added',
          effect: 'Allow',
          actions: expect.stringContaining('s3:DeleteObject'),
          resources: 'arn:aws:s3:::files/*',
        }),
        expect.objectContaining({ change: 'removed', actions: 's3:GetObject' }),
      ]),
    );
  });

  it('reports security group ingress rules added', () => {
    const sg = (cidrs: string[]) => ({
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'api',
        SecurityGroupIngress: cidrs.map((CidrIp) => ({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp })),
      },
    });
    const changes = diff(template({ Sg: sg([]) }), template({ Sg: sg(['0.0.0.0/0']) }));
    expect(changes.securityGroups).toEqual([
      expect.objectContaining({ change: 'added', direction: 'ingress', protocol: 'TCP 443', peer: 'Everyone (IPv4)' }),
    ]);
  });

  it('reports outputs that change', () => {
    const changes = diff(
      template({ Q: queue() }, { Url: { Value: 'a' }, Gone: { Value: 'x' } }),
      template({ Q: queue() }, { Url: { Value: 'b' }, New: { Value: 'y' } }),
    );
    expect(changes.outputs).toEqual(
      expect.arrayContaining([
        { name: 'Url', change: 'modified' },
        { name: 'Gone', change: 'removed' },
        { name: 'New', change: 'added' },
      ]),
    );
  });

  it('reports nothing when the templates are the same', () => {
    const t = template({ Users: table('pk'), Files: BUCKET, Fn: role(['s3:GetObject']) }, { Url: { Value: 'a' } });
    const changes = diff(t, structuredClone(t));
    expect(changes).toEqual(
      expect.objectContaining({
        deployed: true,
        resources: [],
        iam: [],
        securityGroups: [],
        parameters: [],
        outputs: [],
      }),
    );
  });

  it('reports everything as added for a stack never deployed', () => {
    const changes = diff(undefined, template({ Users: table('pk'), Files: BUCKET }));
    expect(changes.deployed).toBe(false);
    expect(changes.resources.map((r) => r.kind)).toEqual(['added', 'added']);
  });
});

describe('diffStack, what an operator reads per change', () => {
  const withManaged = (arns: string[]) => ({
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      ManagedPolicyArns: arns,
    },
  });

  it('reports managed policy attachments added and removed, marked as managed policies', () => {
    const changes = diff(
      template({ Fn: withManaged(['arn:aws:iam::aws:policy/ReadOnlyAccess']) }),
      template({ Fn: withManaged(['arn:aws:iam::aws:policy/AdministratorAccess']) }),
    );
    const managed = changes.iam.map(({ change, effect, actions, resources, managedPolicy }) => ({
      change,
      effect,
      actions,
      resources,
      managedPolicy,
    }));
    expect(managed).toEqual([
      {
        change: 'added',
        effect: 'Allow',
        actions: '(managed policy)',
        resources: '',
        managedPolicy: 'arn:aws:iam::aws:policy/AdministratorAccess',
      },
      {
        change: 'removed',
        effect: 'Allow',
        actions: '(managed policy)',
        resources: '',
        managedPolicy: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      },
    ]);
    expect(changes.iam[0].principals).toContain('Fn');
  });

  it('reports security group egress rules removed', () => {
    const sg = (cidrs: string[]) => ({
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'api',
        SecurityGroupEgress: cidrs.map((CidrIp) => ({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp })),
      },
    });
    const changes = diff(template({ Sg: sg(['10.0.0.0/8']) }), template({ Sg: sg([]) }));
    expect(changes.securityGroups).toEqual([
      expect.objectContaining({ change: 'removed', direction: 'egress', protocol: 'TCP 443', peer: '10.0.0.0/8' }),
    ]);
  });

  it('reports a changed resource type as a replacement, naming both types', () => {
    const changes = diff(template({ Q: queue() }), template({ Q: { Type: 'AWS::SNS::Topic', Properties: {} } }));
    expect(changes.resources).toEqual([
      expect.objectContaining({ logicalId: 'Q', type: 'AWS::SQS::Queue -> AWS::SNS::Topic', kind: 'replaced' }),
    ]);
  });

  it('names the condition of an IAM statement that changes', () => {
    const conditioned = (actions: string[]) => {
      const r = role(actions) as { Properties: { Policies: { PolicyDocument: { Statement: object[] } }[] } };
      const [statement] = r.Properties.Policies[0].PolicyDocument.Statement;
      r.Properties.Policies[0].PolicyDocument.Statement = [
        { ...statement, Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
      ];
      return r;
    };
    const changes = diff(
      template({ Fn: conditioned(['s3:GetObject']) }),
      template({ Fn: conditioned(['s3:PutObject']) }),
    );
    expect(changes.iam.map((c) => [c.change, c.actions, c.condition])).toEqual([
      ['added', 's3:PutObject', expect.stringContaining('aws:SecureTransport')],
      ['removed', 's3:GetObject', expect.stringContaining('aws:SecureTransport')],
    ]);
  });

  it('names the type unknown for a resource whose template declares none', () => {
    const changes = diff(template({ X: { Properties: { Size: 1 } } }), template({ X: { Properties: { Size: 2 } } }));
    expect(changes.resources.map((r) => [r.logicalId, r.type, r.kind])).toEqual([['X', 'unknown', 'may-replace']]);
  });

  // The diff engine counts any `Fn::` whose first argument names a replaced resource as a reference to it (here a
  // mapping named like the table); the specification rules see no cause. The review keeps the engine's verdict.
  it.each([
    ['replaced', 'AWS::SQS::Queue', 'QueueName'],
    ['may-replace', 'AWS::EC2::Instance', 'InstanceType'],
  ])('reports as %s a resource the diff engine replaces and the rules do not', (kind, Type, property) => {
    const t = (key: string) => ({
      Mappings: { Users: { prod: { value: 'x' } } },
      Resources: {
        Users: table(key),
        Other: { Type, Properties: { [property]: { 'Fn::FindInMap': ['Users', 'prod', 'value'] } } },
      },
    });
    const other = diff(t('pk'), t('id')).resources.find((r) => r.logicalId === 'Other');
    expect(other).toEqual(expect.objectContaining({ kind, replacingProperties: [] }));
  });

  it('claims no weakened retention for a resource added or removed', () => {
    const changes = diff(template({ Files: BUCKET }), template({ Users: table('pk') }));
    expect(changes.resources.map((r) => [r.logicalId, r.kind, r.weakenedRetention])).toEqual([
      ['Files', 'removed', undefined],
      ['Users', 'added', undefined],
    ]);
  });

  it('counts resource changes by kind, zero for kinds that do not occur', () => {
    const changes = diff(
      template({ Files: BUCKET, Users: table('pk'), Q: queue('a') }),
      template({ Users: table('id'), Q: queue('b'), Jobs: queue(), Later: queue() }),
    );
    expect(countByKind(changes)).toEqual({
      added: 2,
      modified: 0,
      replaced: 2,
      'may-replace': 0,
      removed: 1,
      imported: 0,
    });
  });
});

describe('retainedBecause', () => {
  it('names the retention policy or the stateful type, and nothing for other resources', () => {
    expect(retainedBecause({ Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain' })).toBe('DeletionPolicy Retain');
    expect(retainedBecause({ Type: 'AWS::KMS::Key', DeletionPolicy: 'Delete' })).toBe(
      'AWS::KMS::Key holds the key to everything it encrypted',
    );
    expect(retainedBecause({ Type: 'AWS::SQS::Queue' })).toBeUndefined();
  });
});
