import type { KMSClient } from '@aws-sdk/client-kms';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { OUTPUTS } from '../../../contracts/output-names';
import { CheckFailure } from './aws-call';
import type { CheckOutcome } from './check-result';
import type { CheckContext } from './check-context';
import { call, fail, pass } from './check-context';
import type { StageOutputs } from './stage-stacks';

/** A key the stage's data depends on, by the output that publishes its ARN. */
interface StageKey {
  readonly label: string;
  readonly output: string;
}

const DATA_AND_LOG_KEYS: readonly StageKey[] = [
  { label: 'data key', output: OUTPUTS.dataKeyArn },
  { label: 'log key', output: OUTPUTS.logKeyArn },
];
const BACKUP_KEYS: readonly StageKey[] = [
  { label: 'backup vault key', output: OUTPUTS.backupVaultKeyArn },
  { label: 'DR vault key', output: OUTPUTS.drBackupVaultKeyArn },
];

async function keyState(ctx: CheckContext, client: KMSClient, key: StageKey, arn: string): Promise<CheckOutcome> {
  const name = `key ${key.label}`;
  const out = await call(ctx, `DescribeKey ${arn}`, (abortSignal) =>
    client.send(new DescribeKeyCommand({ KeyId: arn }), { abortSignal }),
  );
  const meta = out.KeyMetadata;
  if (!meta?.KeyState) throw new CheckFailure(`DescribeKey ${arn} returned no key state`);
  if (meta.KeyState === 'Enabled') return pass(name, `${arn} Enabled`);
  const when =
    meta.KeyState === 'PendingDeletion' && meta.DeletionDate ? `, deleted on ${meta.DeletionDate.toISOString()}` : '';
  return fail(name, `${arn} is ${meta.KeyState}${when}, expected Enabled: what it encrypts cannot be read`);
}

/**
 * Every key the stage's data, backups and logs depend on is Enabled (a disabled key, or one pending
 * deletion, fails naming the key and its state; GetKeyRotationStatus alone keeps answering "on" for
 * a disabled key). The backup keys are checked when `backup` is true, or (health check) when the stage
 * publishes the Backup stack's outputs.
 */
export async function keyStates(
  ctx: CheckContext,
  outputs: StageOutputs,
  options: { backup?: boolean } = {},
): Promise<CheckOutcome[]> {
  const backup = options.backup ?? outputs.find(OUTPUTS.backupVaultName) !== undefined;
  const keys = [...DATA_AND_LOG_KEYS, ...(backup ? BACKUP_KEYS : [])];
  return Promise.all(
    keys.map((k) => {
      const arn = outputs.require(k.output);
      // A key is called in its own region, read from its ARN (arn:aws:kms:<region>:...).
      const region = arn.split(':')[3];
      return keyState(
        ctx,
        region && region !== ctx.params.region ? ctx.clients.kmsIn(region) : ctx.clients.kms,
        k,
        arn,
      );
    }),
  );
}
