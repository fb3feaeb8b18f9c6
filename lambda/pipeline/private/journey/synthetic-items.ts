import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SYNTHETIC } from '../../../../contracts/synthetic-data';
import { call } from '../check-context';
import type { JourneyContext } from './journey-context';
import { requireSyntheticKey } from './synthetic-guard';

/** A table and the name of its partition key. */
export interface KeyedTable {
  readonly tableName: string;
  readonly partitionKey: string;
}

/** A synthetic item as stored (strongly consistent read), or undefined when there is none. */
export async function readSyntheticItem(
  ctx: JourneyContext,
  table: KeyedTable,
  key: string,
): Promise<Record<string, AttributeValue> | undefined> {
  requireSyntheticKey(key);
  const out = await call(ctx, `GetItem ${table.tableName} ${key}`, (abortSignal) =>
    ctx.clients.dynamoDb.send(
      new GetItemCommand({
        TableName: table.tableName,
        Key: { [table.partitionKey]: { S: key } },
        ConsistentRead: true,
      }),
      { abortSignal },
    ),
  );
  return out.Item;
}

/**
 * Deletes a synthetic item: only when it is absent or carries the synthetic attribute, so even a key that
 * looks synthetic cannot remove an item the platform did not mark.
 */
export async function deleteSyntheticItem(ctx: JourneyContext, table: KeyedTable, key: string): Promise<void> {
  requireSyntheticKey(key);
  await call(ctx, `DeleteItem ${table.tableName} ${key}`, (abortSignal) =>
    ctx.clients.dynamoDb.send(
      new DeleteItemCommand({
        TableName: table.tableName,
        Key: { [table.partitionKey]: { S: key } },
        ConditionExpression: 'attribute_not_exists(#key) OR #synthetic = :true',
        ExpressionAttributeNames: { '#key': table.partitionKey, '#synthetic': SYNTHETIC.attribute },
        ExpressionAttributeValues: { ':true': { BOOL: true } },
      }),
      { abortSignal },
    ),
  );
}
