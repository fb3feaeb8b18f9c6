import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { detectStackDrift } from '../../../../lambda/pipeline/private/change-review/drift';
import { awsError } from '../../../support/aws-error';

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
  it('polls until the deadline, the last poll at the deadline itself', async () => {
    cfn.on(DescribeStackDriftDetectionStatusCommand).resolves(status('DETECTION_IN_PROGRESS'));
    let now = 0;
    const waits: number[] = [];
    await expect(
      detectStackDrift(client, 'Prod-Service', {
        sleep: async (ms) => {
          waits.push(ms);
          now += ms;
        },
        now: () => now,
        pollIntervalMs: 5000,
        timeoutMs: 20_000,
      }),
    ).rejects.toThrow('did not finish within 20 s');
    // Polls at 0, 5, 10, 15 and 20 s: four waits of the poll interval between them.
    expect(cfn.commandCalls(DescribeStackDriftDetectionStatusCommand)).toHaveLength(5);
    expect(waits).toEqual([5000, 5000, 5000, 5000]);
  });

  it("fails with CloudFormation's reason when detection fails, and says when it gave none", async () => {
    cfn.on(DescribeStackDriftDetectionStatusCommand).resolvesOnce({
      ...(status('DETECTION_FAILED') as object),
      DetectionStatusReason: 'Failed to detect drift on resource [Jobs]',
    });
    await expect(detectStackDrift(client, 'Prod-Service', { sleep: async () => undefined })).rejects.toThrow(
      'drift detection of Prod-Service failed: Failed to detect drift on resource [Jobs]',
    );
    cfn.on(DescribeStackDriftDetectionStatusCommand).resolves(status('DETECTION_FAILED'));
    await expect(detectStackDrift(client, 'Prod-Service', { sleep: async () => undefined })).rejects.toThrow(
      'drift detection of Prod-Service failed: no reason given',
    );
    expect(cfn.commandCalls(DescribeStackResourceDriftsCommand)).toHaveLength(0);
  });

  it('fails when DetectStackDrift returns no detection id', async () => {
    cfn.on(DetectStackDriftCommand).resolves({});
    await expect(detectStackDrift(client, 'Prod-Service')).rejects.toThrow(
      'DetectStackDrift Prod-Service returned no detection id',
    );
  });

  it('is in sync without listing resources when detection says IN_SYNC', async () => {
    cfn.on(DescribeStackDriftDetectionStatusCommand).resolves(status('DETECTION_COMPLETE', 'IN_SYNC'));
    expect(await detectStackDrift(client, 'Prod-Service')).toEqual({
      stackName: 'Prod-Service',
      status: 'IN_SYNC',
      drifted: [],
    });
    expect(cfn.commandCalls(DescribeStackResourceDriftsCommand)).toHaveLength(0);
    expect(cfn.commandCalls(DetectStackDriftCommand)[0].args[0].input).toEqual({ StackName: 'Prod-Service' });
  });

  it('lists each drifted property with its difference, and is in sync when no resource is listed', async () => {
    cfn.on(DescribeStackDriftDetectionStatusCommand).resolves(status('DETECTION_COMPLETE', 'DRIFTED'));
    cfn.on(DescribeStackResourceDriftsCommand).resolvesOnce({
      StackResourceDrifts: [
        {
          StackId: 's',
          LogicalResourceId: 'Jobs',
          ResourceType: 'AWS::SQS::Queue',
          StackResourceDriftStatus: 'MODIFIED',
          PropertyDifferences: [
            { PropertyPath: '/VisibilityTimeout', DifferenceType: 'NOT_EQUAL', ExpectedValue: '30', ActualValue: '60' },
          ],
          Timestamp: new Date(),
        },
      ],
    });
    expect((await detectStackDrift(client, 'Prod-Service')).drifted).toEqual([
      {
        stackName: 'Prod-Service',
        logicalId: 'Jobs',
        type: 'AWS::SQS::Queue',
        status: 'MODIFIED',
        properties: [{ path: '/VisibilityTimeout', difference: 'NOT_EQUAL' }],
      },
    ]);
    cfn.on(DescribeStackResourceDriftsCommand).resolves({ StackResourceDrifts: [] });
    expect(await detectStackDrift(client, 'Prod-Service')).toEqual({
      stackName: 'Prod-Service',
      status: 'IN_SYNC',
      drifted: [],
    });
  });

  it('gives a deleted resource no drifted property, and bounds every call with an abort signal', async () => {
    cfn.on(DescribeStackDriftDetectionStatusCommand).resolves(status('DETECTION_COMPLETE', 'DRIFTED'));
    // CloudFormation lists property differences only for MODIFIED resources:
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_PropertyDifference.html
    cfn.on(DescribeStackResourceDriftsCommand).resolves({
      StackResourceDrifts: [
        {
          StackId: 's',
          LogicalResourceId: 'Jobs',
          ResourceType: 'AWS::SQS::Queue',
          StackResourceDriftStatus: 'DELETED',
          Timestamp: new Date(),
        },
      ],
    });
    expect((await detectStackDrift(client, 'Prod-Service')).drifted).toEqual([
      { stackName: 'Prod-Service', logicalId: 'Jobs', type: 'AWS::SQS::Queue', status: 'DELETED', properties: [] },
    ]);
    expect(cfn.calls()).toHaveLength(3);
    for (const c of cfn.calls()) expect((c.args as unknown[])[1]).toEqual({ abortSignal: expect.any(AbortSignal) });
  });

  it('names what a drift answer leaves out as unknown, and is in sync when the answer lists nothing', async () => {
    // Every member of an SDK answer is optional in its types.
    cfn.on(DescribeStackDriftDetectionStatusCommand).resolves(status('DETECTION_COMPLETE', 'DRIFTED'));
    cfn
      .on(DescribeStackResourceDriftsCommand)
      .resolvesOnce({ StackResourceDrifts: [{ PropertyDifferences: [{}] } as never] })
      .resolves({});
    expect((await detectStackDrift(client, 'Prod-Service')).drifted).toEqual([
      {
        stackName: 'Prod-Service',
        logicalId: '(unknown)',
        type: '(unknown)',
        status: 'MODIFIED',
        properties: [{ path: '', difference: '' }],
      },
    ]);
    expect(await detectStackDrift(client, 'Prod-Service')).toEqual({
      stackName: 'Prod-Service',
      status: 'IN_SYNC',
      drifted: [],
    });
  });

  it.each([
    ['DescribeStackDriftDetectionStatus', DescribeStackDriftDetectionStatusCommand],
    ['DescribeStackResourceDrifts', DescribeStackResourceDriftsCommand],
  ])('fails naming the stack when %s is refused', async (name, command) => {
    cfn.on(DescribeStackDriftDetectionStatusCommand).resolves(status('DETECTION_COMPLETE', 'DRIFTED'));
    cfn.on(command as typeof DescribeStackResourceDriftsCommand).rejects(awsError('AccessDenied', 403));
    await expect(detectStackDrift(client, 'Prod-Service')).rejects.toThrow(
      `${name} Prod-Service failed: access denied`,
    );
  });

  it('waits the interval asked between polls, 5 s when none is asked', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    cfn
      .on(DescribeStackDriftDetectionStatusCommand)
      .resolvesOnce(status('DETECTION_IN_PROGRESS'))
      .resolvesOnce(status('DETECTION_COMPLETE', 'IN_SYNC'))
      .resolvesOnce(status('DETECTION_IN_PROGRESS'))
      .resolves(status('DETECTION_COMPLETE', 'IN_SYNC'));
    await detectStackDrift(client, 'Prod-Service', { sleep, pollIntervalMs: 1000 });
    await detectStackDrift(client, 'Prod-Service', { sleep });
    expect(waits).toEqual([1000, 5000]);
  });

  it('sleeps between polls on a timer when no sleep is given', async () => {
    jest.useFakeTimers();
    try {
      cfn
        .on(DescribeStackDriftDetectionStatusCommand)
        .resolvesOnce(status('DETECTION_IN_PROGRESS'))
        .resolves(status('DETECTION_COMPLETE', 'IN_SYNC'));
      let drift: unknown;
      void detectStackDrift(client, 'Prod-Service', { pollIntervalMs: 2000 }).then((d) => (drift = d));
      await jest.advanceTimersByTimeAsync(1999);
      expect(drift).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      expect(drift).toEqual({ stackName: 'Prod-Service', status: 'IN_SYNC', drifted: [] });
    } finally {
      jest.useRealTimers();
    }
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  cfn.restore();
});
