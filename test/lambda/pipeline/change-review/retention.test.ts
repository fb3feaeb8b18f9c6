import {
  deletionPolicyOf,
  retainedBecause,
  weakenedRetention,
} from '../../../../lambda/pipeline/private/change-review/retention';

describe('deletionPolicyOf', () => {
  // The defaults: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
  // ("the default policy is Snapshot for AWS::RDS::DBCluster resources and for AWS::RDS::DBInstance resources that
  // don't specify the DBClusterIdentifier property").
  it.each([
    ['an Aurora cluster', { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql' } }, 'Snapshot'],
    ['a stand-alone database instance', { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'mysql' } }, 'Snapshot'],
    [
      'a database instance of a cluster',
      { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'Cluster' } } },
      'Delete',
    ],
    ['a bucket', { Type: 'AWS::S3::Bucket' }, 'Delete'],
    ['an explicit policy', { Type: 'AWS::RDS::DBCluster', DeletionPolicy: 'Retain' }, 'Retain'],
  ])('applies CloudFormation’s default for %s', (_, resource, policy) => {
    expect(deletionPolicyOf(resource)).toBe(policy);
  });
});

describe('retainedBecause', () => {
  const queue = { Type: 'AWS::SQS::Queue', Properties: {} };

  it.each([
    ['UpdateReplacePolicy Retain', { ...queue, DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Retain' }],
    ['UpdateReplacePolicy Snapshot', { ...queue, UpdateReplacePolicy: 'Snapshot' }],
    ['DeletionPolicy RetainExceptOnCreate', { ...queue, DeletionPolicy: 'RetainExceptOnCreate' }],
  ])('names %s of a resource that holds no data', (because, resource) => {
    expect(retainedBecause(resource)).toBe(because);
  });

  it('retains nothing that neither a policy nor its type keeps', () => {
    expect(retainedBecause({ ...queue, DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' })).toBeUndefined();
  });
});

describe('weakenedRetention', () => {
  it('weakens an RDS cluster whose default Snapshot DeletionPolicy becomes Delete', () => {
    const cluster = { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql' } };
    expect(weakenedRetention(cluster, { ...cluster, DeletionPolicy: 'Delete' })).toEqual([
      'DeletionPolicy Snapshot -> Delete',
    ]);
  });

  it('does not weaken a database instance of a cluster given an explicit Delete: its default is Delete too', () => {
    const instance = { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'Cluster' } } };
    expect(weakenedRetention(instance, { ...instance, DeletionPolicy: 'Delete' })).toEqual([]);
  });
});
