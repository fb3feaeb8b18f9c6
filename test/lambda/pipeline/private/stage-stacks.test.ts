import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { CheckFailure } from '../../../../lambda/pipeline/private/aws-call';
import type { StageStack } from '../../../../lambda/pipeline/private/stage-stacks';
import { describeStageStacks, StageOutputs } from '../../../../lambda/pipeline/private/stage-stacks';
import { testContext } from '../../../support/check-test-context';

const cfn = mockClient(CloudFormationClient);
beforeEach(() => cfn.reset());
afterAll(() => cfn.restore());

const ctx = (stackNames: string[], stackRegions?: Record<string, string>) =>
  testContext({ params: { stackNames, stackRegions } });
const regionOf = (call: { thisValue: unknown }) =>
  (call.thisValue as { config: { region: () => Promise<string> } }).config.region();

describe("Reading a stage's stacks", () => {
  it('reads status, reason, creation time, termination protection and the outputs that have a key and value', async () => {
    const created = new Date('2026-01-01T00:00:00Z');
    cfn.on(DescribeStacksCommand, { StackName: 'Staging-Service' }).resolves({
      Stacks: [
        {
          StackName: 'Staging-Service',
          StackStatus: 'UPDATE_ROLLBACK_COMPLETE',
          StackStatusReason: 'Resource Api failed',
          CreationTime: created,
          EnableTerminationProtection: true,
          Outputs: [
            { OutputKey: 'HealthUrl', OutputValue: 'https://api.example.com/prod/health' },
            { OutputKey: 'Empty', OutputValue: '' },
            { OutputKey: 'NoValue' },
            { OutputValue: 'no key' },
          ],
        },
      ],
    });
    // toStrictEqual: an output without a value must not appear at all, not even as undefined.
    await expect(describeStageStacks(ctx(['Staging-Service']))).resolves.toStrictEqual([
      {
        name: 'Staging-Service',
        status: 'UPDATE_ROLLBACK_COMPLETE',
        statusReason: 'Resource Api failed',
        createdAt: created,
        terminationProtection: true,
        outputs: { HealthUrl: 'https://api.example.com/prod/health', Empty: '' },
      },
    ]);
  });

  it('reads a stack without outputs', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ StackName: 'A', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date() }] });
    expect((await describeStageStacks(ctx(['A'])))[0].outputs).toEqual({});
  });

  it('reads each stack in its own region, and the others in the primary region', async () => {
    cfn.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => ({
      Stacks: [{ StackName: input.StackName, StackStatus: 'CREATE_COMPLETE', CreationTime: new Date() }],
    }));
    await describeStageStacks(
      ctx(['Staging-Edge', 'Staging-Service', 'Staging-DrVault'], {
        'Staging-Edge': 'us-east-1',
        'Staging-DrVault': 'eu-west-2',
      }),
    );
    const byStack = Object.fromEntries(
      await Promise.all(
        cfn.commandCalls(DescribeStacksCommand).map(async (c) => [c.args[0].input.StackName, await regionOf(c)]),
      ),
    );
    expect(byStack).toEqual({
      'Staging-Edge': 'us-east-1',
      'Staging-Service': 'eu-west-2',
      'Staging-DrVault': 'eu-west-2',
    });
  });

  it('fails naming the stack and its region when CloudFormation says it does not exist', async () => {
    cfn.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Stack with id Staging-Edge does not exist'), {
        name: 'ValidationError',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(describeStageStacks(ctx(['Staging-Edge'], { 'Staging-Edge': 'us-east-1' }))).rejects.toThrow(
      new CheckFailure('stack Staging-Edge does not exist in us-east-1'),
    );
  });

  it('passes on any other error as it is', async () => {
    cfn.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('User is not authorized to perform cloudformation:DescribeStacks'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    await expect(describeStageStacks(ctx(['Staging-Service']))).rejects.toThrow(
      /^DescribeStacks Staging-Service failed: access denied \(AccessDenied: User is not authorized/,
    );
  });

  it.each([
    ['no stack', {}],
    ['a stack without a status', { Stacks: [{ StackName: 'Staging-Service', CreationTime: new Date() }] }],
  ])('fails when CloudFormation answers with %s', async (_label, answer) => {
    cfn.on(DescribeStacksCommand).resolves(answer as never);
    await expect(describeStageStacks(ctx(['Staging-Service']))).rejects.toThrow(
      new CheckFailure('DescribeStacks Staging-Service returned no stack status'),
    );
  });
});

describe("A stage's outputs", () => {
  const stack = (name: string, outputs: Record<string, string>, createdAt?: Date): StageStack => ({
    name,
    status: 'UPDATE_COMPLETE',
    outputs,
    createdAt,
  });

  it('finds an output in whichever stack publishes it', () => {
    const outputs = new StageOutputs([stack('A', { One: '1' }), stack('B', { Two: '2' })]);
    expect(outputs.find('Two')).toBe('2');
    expect(outputs.require('One')).toBe('1');
    expect(outputs.find('Three')).toBeUndefined();
  });

  it('fails naming the output and the stacks searched when no stack has it, or it is empty', () => {
    const outputs = new StageOutputs([stack('A', { Empty: '' }), stack('B', {})]);
    expect(() => outputs.require('HealthUrl')).toThrow(new CheckFailure('output HealthUrl not found in stacks A, B'));
    expect(() => outputs.require('Empty')).toThrow(new CheckFailure('output Empty not found in stacks A, B'));
  });

  it('dates the first deploy by the oldest stack, ignoring stacks without a creation time', () => {
    const older = new Date('2026-01-01T00:00:00Z');
    const outputs = new StageOutputs([
      stack('A', {}, new Date('2026-03-01T00:00:00Z')),
      stack('B', {}),
      stack('C', {}, older),
    ]);
    expect(outputs.firstDeployedAt()).toEqual(older);
    expect(new StageOutputs([stack('A', {})]).firstDeployedAt()).toBeUndefined();
  });
});
