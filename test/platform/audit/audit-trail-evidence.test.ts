import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { AuditTrailProps } from '../../../lib/platform/audit/audit-trail';
import { AuditTrail } from '../../../lib/platform/audit/audit-trail';

const BUCKET = 'arn:aws:s3:::files-example';
const TABLES = [
  'arn:aws:dynamodb:eu-west-2:111111111111:table/users',
  'arn:aws:dynamodb:eu-west-2:111111111111:table/quotes',
];

/** GIVEN an audit trail with explicit props in a bare stack of account 111111111111. */
function audit(props: Partial<AuditTrailProps> = {}) {
  const stack = new Stack(new App({ context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true } }), 'Audit', {
    env: { account: '111111111111', region: 'eu-west-2' },
  });
  new AuditTrail(stack, 'AuditTrail', {
    retentionDays: 400,
    removalPolicy: RemovalPolicy.RETAIN,
    keyAliasName: 'alias/test-cloudtrail',
    objectLockMode: 'COMPLIANCE',
    personalData: { bucketArns: [BUCKET], tableArns: TABLES },
    ...props,
  });
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
  const [trail] = Object.values(resources).filter((r) => r.Type === 'AWS::CloudTrail::Trail');
  const bucket = (id: string) => Object.entries(resources).find(([lid]) => lid.startsWith(id))![1];
  return { trail, resources, bucket };
}

describe('The audit trail keeps evidence out of reach', () => {
  it('delivers to a bucket with Object Lock in the given mode for the log retention, kept when the stack goes', () => {
    const { trail, bucket } = audit();
    const locked = bucket('AuditTrailLockedBucket');
    expect(trail.Properties.S3BucketName).toEqual({ Ref: expect.stringMatching(/^AuditTrailLockedBucket/) });
    expect(locked.Properties.ObjectLockEnabled).toBe(true);
    expect(locked.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } },
    });
    expect(locked.DeletionPolicy).toBe('Retain');
    expect(
      audit({ objectLockMode: 'GOVERNANCE' }).bucket('AuditTrailLockedBucket').Properties.ObjectLockConfiguration.Rule,
    ).toEqual({ DefaultRetention: { Mode: 'GOVERNANCE', Days: 400 } });
  });

  it('with keepEarlierBucket, keeps the earlier, unlocked bucket under its logical id, so that no log file already delivered is lost', () => {
    const earlier = audit({ keepEarlierBucket: true }).bucket('AuditTrailBucket');
    expect(earlier.Properties.ObjectLockEnabled).toBeUndefined();
    expect(earlier.DeletionPolicy).toBe('Retain');
  });

  it('without keepEarlierBucket, has no bucket without Object Lock but the access log bucket', () => {
    const { resources } = audit();
    const buckets = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::S3::Bucket');
    expect(buckets.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'AuditTrailAccessLogs',
      'AuditTrailLockedBucket',
    ]);
  });

  it('records management events, and writes and deletes of the personal data buckets and tables', () => {
    const { trail } = audit();
    expect(trail.Properties.EventSelectors).toBeUndefined();
    expect(trail.Properties.AdvancedEventSelectors).toEqual([
      { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
      {
        Name: 'Writes and deletes of personal data objects',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          { Field: 'readOnly', Equals: ['false'] },
          { Field: 'resources.ARN', StartsWith: [`${BUCKET}/`] },
        ],
      },
      {
        Name: 'Writes and deletes of personal data items',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
          { Field: 'readOnly', Equals: ['false'] },
          { Field: 'resources.ARN', Equals: TABLES },
        ],
      },
    ]);
  });

  it('records management events only, with basic selectors, when no personal data is named', () => {
    const { trail } = audit({ personalData: undefined });
    expect(trail.Properties.AdvancedEventSelectors).toBeUndefined();
  });
});
