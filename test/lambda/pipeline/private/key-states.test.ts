import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { keyStates } from '../../../../lambda/pipeline/private/key-states';
import type { StageStack } from '../../../../lambda/pipeline/private/stage-stacks';
import { StageOutputs } from '../../../../lambda/pipeline/private/stage-stacks';
import type { StageMocks } from '../../../../support/check-fixtures';
import { KEY_ARN, mockHealthyStage, STACK_OUTPUTS } from '../../../../support/check-fixtures';
import { testContext } from '../../../support/check-test-context';
import { awsError } from '../../../support/aws-error';

/** An error as the AWS SDK throws it for a KMS error answer. */
const regionOf = async (call: { thisValue: unknown }) =>
  (call.thisValue as { config: { region: () => Promise<string> } }).config.region();
const stack = (name: string): StageStack => ({ name, status: 'UPDATE_COMPLETE', outputs: STACK_OUTPUTS[name] });
/** The outputs of the whole stage, Backup and DR vault stacks included. */
const withBackup = () => new StageOutputs(Object.keys(STACK_OUTPUTS).map(stack));
/** The outputs of a stage deployed without the Backup and DR vault stacks. */
const withoutBackup = () => new StageOutputs([stack('Staging-Stateful'), stack('Staging-Service')]);
const names = (outcomes: { name: string }[]) => outcomes.map((o) => o.name);

let mocks: StageMocks;
beforeEach(() => {
  mocks = mockHealthyStage();
});
afterEach(() => mocks.restore());

describe('The key states', () => {
  it('passes every Enabled key, naming its ARN', async () => {
    expect(await keyStates(testContext(), withBackup(), { backup: true })).toEqual([
      { name: 'key data key', status: 'pass', detail: `${KEY_ARN('1111')} Enabled` },
      { name: 'key log key', status: 'pass', detail: `${KEY_ARN('2222')} Enabled` },
      { name: 'key backup vault key', status: 'pass', detail: `${KEY_ARN('3333')} Enabled` },
      { name: 'key DR vault key', status: 'pass', detail: `${KEY_ARN('4444', 'eu-west-1')} Enabled` },
    ]);
  });

  it('checks the backup keys (health check) only when the stage publishes the Backup stack outputs', async () => {
    expect(names(await keyStates(testContext(), withBackup()))).toEqual([
      'key data key',
      'key log key',
      'key backup vault key',
      'key DR vault key',
    ]);
    expect(names(await keyStates(testContext(), withoutBackup()))).toEqual(['key data key', 'key log key']);
    expect(names(await keyStates(testContext(), withBackup(), { backup: false }))).toEqual([
      'key data key',
      'key log key',
    ]);
  });

  it("calls each key in its own region: the stage's region, or the one its ARN names", async () => {
    await keyStates(testContext(), withBackup(), { backup: true });
    const regions = await Promise.all(
      [KEY_ARN('1111'), KEY_ARN('4444', 'eu-west-1')].map((KeyId) =>
        regionOf(mocks.kms.commandCalls(DescribeKeyCommand, { KeyId })[0]),
      ),
    );
    expect(regions).toEqual(['eu-west-2', 'eu-west-1']);
  });

  it('fails a disabled key, and a key pending deletion with or without its deletion date', async () => {
    mocks.kms
      .on(DescribeKeyCommand, { KeyId: KEY_ARN('1111') })
      .resolves({ KeyMetadata: { KeyState: 'Disabled' } as never });
    mocks.kms
      .on(DescribeKeyCommand, { KeyId: KEY_ARN('2222') })
      .resolves({ KeyMetadata: { KeyState: 'PendingDeletion' } as never });
    const [data, log] = await keyStates(testContext(), withoutBackup());
    expect(data).toEqual({
      name: 'key data key',
      status: 'fail',
      detail: `${KEY_ARN('1111')} is Disabled, expected Enabled: what it encrypts cannot be read`,
    });
    expect(log.detail).toBe(`${KEY_ARN('2222')} is PendingDeletion, expected Enabled: what it encrypts cannot be read`);
  });

  it('throws naming the key when DescribeKey returns no state, or the check role may not describe it', async () => {
    mocks.kms.on(DescribeKeyCommand, { KeyId: KEY_ARN('2222') }).resolves({});
    await expect(keyStates(testContext(), withoutBackup())).rejects.toThrow(
      `DescribeKey ${KEY_ARN('2222')} returned no key state`,
    );
    mocks.kms.on(DescribeKeyCommand, { KeyId: KEY_ARN('2222') }).rejects(awsError('AccessDeniedException', 400));
    await expect(keyStates(testContext(), withoutBackup())).rejects.toThrow(
      `DescribeKey ${KEY_ARN('2222')} failed: access denied`,
    );
  });

  it('sends each DescribeKey with the signal that cancels it when its attempt times out', async () => {
    await keyStates(testContext(), withBackup(), { backup: true });
    const calls = mocks.kms.commandCalls(DescribeKeyCommand);
    expect(calls).toHaveLength(4);
    for (const c of calls)
      expect(((c.args as unknown[])[1] as { abortSignal?: unknown } | undefined)?.abortSignal).toBeInstanceOf(
        AbortSignal,
      );
  });

  it('throws naming the output when the stage does not publish a key', async () => {
    const noLogKey = new StageOutputs([stack('Staging-Stateful')]);
    await expect(keyStates(testContext(), noLogKey)).rejects.toThrow(/LogKeyArn/);
  });
});
