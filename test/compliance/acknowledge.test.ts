import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledge, acknowledgeAt } from '../../lib/compliance/acknowledge';
import { collectAcknowledgements, groupAcknowledgements } from '../../scripts/collect-acknowledgements';

const REASON = 'A reason a security reviewer would accept.';

describe('acknowledge()', () => {
  const setup = () => {
    const stack = new Stack(new App(), 'S');
    return { stack, bucket: new s3.Bucket(stack, 'Files') };
  };

  it('records each finding with its reason on the construct', () => {
    const { bucket } = setup();
    acknowledge(bucket, [
      { id: 'AwsSolutions-S1', reason: REASON },
      { id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason: REASON },
    ]);
    const data = bucket.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => m.data);
    expect(data).toEqual([
      { 'AwsSolutions::AwsSolutions-S1': REASON },
      { 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check': REASON },
    ]);
  });

  it('refuses a whole stack', () => {
    const { stack } = setup();
    expect(() => acknowledge(stack, [{ id: 'AwsSolutions-S1', reason: REASON }])).toThrow(
      'S: acknowledge findings on the resource they concern, not on a whole stack.',
    );
  });

  it('refuses an id that is not a finding id', () => {
    const { bucket } = setup();
    expect(() => acknowledge(bucket, [{ id: 'S1', reason: REASON }])).toThrow(/S\/Files: 'S1' is not a finding id/);
  });

  it('refuses a reason too short to review', () => {
    const { bucket } = setup();
    expect(() => acknowledge(bucket, [{ id: 'AwsSolutions-IAM5[Action::s3:GetObject*]', reason: 'ok' }])).toThrow(
      /S\/Files: the reason for AwsSolutions-IAM5\[Action::s3:GetObject\*\] must say why/,
    );
  });
});

describe('acknowledgeAt()', () => {
  const setup = () => {
    const stack = new Stack(new App(), 'S');
    return { stack, bucket: new s3.Bucket(stack, 'Files') };
  };

  it('acknowledges on the construct at the path below the scope', () => {
    const { bucket } = setup();
    acknowledgeAt(bucket, 'Resource', [{ id: 'AwsSolutions-S1', reason: REASON }]);
    expect(collectAcknowledgements(bucket)).toEqual([
      { id: 'AwsSolutions-S1', path: 'S/Files/Resource', reason: REASON },
    ]);
  });

  it('throws naming the full path and what is there when the target is missing, instead of skipping it', () => {
    const { stack } = setup();
    expect(() => acknowledgeAt(stack, 'Files/Policy/Resource', [{ id: 'AwsSolutions-S1', reason: REASON }])).toThrow(
      "S/Files/Policy/Resource: no construct 'Policy' below S/Files (children: Resource)",
    );
    expect(collectAcknowledgements(stack)).toEqual([]);
  });
});

describe('The acknowledgement report', () => {
  it('groups acknowledgements by finding id, then by reason, with every construct', () => {
    const stack = new Stack(new App(), 'S');
    for (const id of ['A', 'B']) acknowledge(new s3.Bucket(stack, id), [{ id: 'AwsSolutions-S1', reason: REASON }]);
    acknowledge(stack.node.findChild('A'), [{ id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: REASON }]);

    const grouped = groupAcknowledgements(collectAcknowledgements(stack));

    expect([...grouped.keys()]).toEqual(['AwsSolutions-S1', 'NIST.800.53.R5-S3BucketLoggingEnabled']);
    expect(grouped.get('AwsSolutions-S1')).toEqual(new Map([[REASON, ['S/A', 'S/B']]]));
  });
});
