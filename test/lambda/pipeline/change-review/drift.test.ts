import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { detectStackDrift } from '../../../../lambda/pipeline/private/change-review/drift';

const cfn = mockClient(CloudFormationClient);
const client = new CloudFormationClient({ region: 'eu-west-2' });
const status = (DetectionStatus: string, StackDriftStatus?: string) =>
  ({ DetectionStatus, StackDriftStatus, StackId: 's', StackDriftDetectionId: 'd', Timestamp: new Date() }) as never;
beforeEach(() => {
  cfn.reset();
  cfn.on(DetectStackDriftCommand).resolves({ StackDriftDetectionId: 'd' });
});

describe('detectStackDrift', () => {
  it('waits for detection and lists drifted resources across pages', async () => {
    cfn
      .on(DescribeStackDriftDetectionStatusCommand)
      .resolvesOnce(status('DETECTION_IN_PROGRESS'))
      .resolves(status('DETECTION_COMPLETE', 'DRIFTED'));
    cfn
      .on(DescribeStackResourceDriftsCommand)
      .resolvesOnce({
        StackResourceDrifts: [
          {
            StackId: 's',
            LogicalResourceId: 'A',
            ResourceType: 'AWS::SQS::Queue',
            StackResourceDriftStatus: 'MODIFIED',
            Timestamp: new Date(),
          },
        ],
        NextToken: 't',
      })
      .resolves({
        StackResourceDrifts: [
          {
            StackId: 's',
            LogicalResourceId: 'B',
            ResourceType: 'AWS::SNS::Topic',
            StackResourceDriftStatus: 'DELETED',
            Timestamp: new Date(),
          },
        ],
      });
    const drift = await detectStackDrift(client, 'Prod-Service', { sleep: async () => undefined });
    expect(drift).toEqual({
      stackName: 'Prod-Service',
      status: 'DRIFTED',
      drifted: [
        expect.objectContaining({ logicalId: 'A', status: 'MODIFIED' }),
        expect.objectContaining({ logicalId: 'B', status: 'DELETED' }),
      ],
    });
    expect(
      cfn.commandCalls(DescribeStackResourceDriftsCommand)[0].args[0].input.StackResourceDriftStatusFilters,
    ).toEqual(['MODIFIED', 'DELETED']);
  });

  it('fails when detection does not finish in time', async () => {
    cfn.on(DescribeStackDriftDetectionStatusCommand).resolves(status('DETECTION_IN_PROGRESS'));
    let now = 0;
    await expect(
      detectStackDrift(client, 'Prod-Service', {
        sleep: async (ms) => {
          now += ms;
        },
        now: () => now,
        pollIntervalMs: 5000,
        timeoutMs: 20_000,
      }),
    ).rejects.toThrow('drift detection of Prod-Service did not finish within 20 s');
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  cfn.restore();
});
