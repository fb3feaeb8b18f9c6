import { BackupClient, DescribeRestoreJobCommand, PutRestoreValidationResultCommand } from '@aws-sdk/client-backup';
import type { KeySchemaElement, ScanCommandInput, TableDescription } from '@aws-sdk/client-dynamodb';
import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { ENV_NAMES } from '../../../contracts/env-names';
import { RESTORE_TEST_TABLE_PREFIX } from '../../../contracts/resource-names';
import { createLogger } from '../../shared/logger';
import type { Environment } from '../shared/function-environment';

/** The part of the AWS Backup "Restore Job State Change" event this function reads. */
export interface RestoreJobStateChange {
  readonly restoreJobId?: string;
  readonly status?: string;
  readonly resourceType?: string;
}

/** Verdict sent to AWS Backup. */
export interface Verdict {
  readonly status: 'SUCCESSFUL' | 'FAILED';
  readonly message: string;
}

/** PutRestoreValidationResult accepts at most this many characters of message. */
const MAX_MESSAGE = 1000;
/** Time kept back from the Lambda timeout to report a verdict. */
const REPORT_RESERVE_MS = 20_000;

const backup = new BackupClient({});
const dynamodb = new DynamoDBClient({});

/** Checks the item-count tolerance (percent of the source's count) as read from the environment. */
export function tolerancePercent(raw: string | undefined): number {
  const n = Number(raw);
  if (raw === undefined || raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) {
    throw new Error(
      `${ENV_NAMES.itemCountTolerancePercent} = ${JSON.stringify(raw)} is not valid: expected a number from 0 to 100.`,
    );
  }
  return n;
}

/** Name of a DynamoDB table from its ARN (`arn:aws:dynamodb:<region>:<account>:table/<name>`). */
export function tableNameFromArn(arn: string): string {
  const match = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/([A-Za-z0-9_.-]{3,255})$/.exec(arn);
  if (!match) throw new Error(`"${arn}" is not a DynamoDB table ARN`);
  return match[1];
}

/** Key schema as a comparable string, e.g. `userId:HASH`. */
export function describeKeySchema(schema: readonly KeySchemaElement[] | undefined): string {
  return [...(schema ?? [])]
    .sort((a, b) => (a.KeyType ?? '').localeCompare(b.KeyType ?? ''))
    .map((k) => `${k.AttributeName}:${k.KeyType}`)
    .join(',');
}

async function describeTable(name: string): Promise<TableDescription | undefined> {
  try {
    return (await dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (e) {
    if (e instanceof ResourceNotFoundException) return undefined;
    throw e;
  }
}

/** Exact item count by a paginated COUNT scan; gives up (throws) when `deadline` passes. */
async function countItems(name: string, deadline: number): Promise<number> {
  let count = 0;
  let startKey: ScanCommandInput['ExclusiveStartKey'];
  do {
    if (Date.now() > deadline) throw new Error(`ran out of time counting the items of ${name} (${count} so far)`);
    const page = await dynamodb.send(
      new ScanCommand({ TableName: name, Select: 'COUNT', ExclusiveStartKey: startKey }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

/**
 * Checks one completed restore job of a DynamoDB table: the restored table exists and is ACTIVE,
 * its key schema equals the source's, and its exact item count is within `tolerance` percent of
 * the source's count (DescribeTable's ItemCount, which DynamoDB refreshes about every 6 hours;
 * the source has also changed since the recovery point, hence a tolerance).
 */
export async function validateRestore(
  restoreJobId: string,
  tolerance: number,
  deadline: number,
): Promise<Verdict | 'not-a-restore-test'> {
  const job = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId: restoreJobId }));
  // An operator's own restore (runbook) is not a restore test and takes no validation result.
  if (job.CreatedBy !== undefined && !job.CreatedBy.RestoreTestingPlanArn) return 'not-a-restore-test';
  if (job.Status !== 'COMPLETED')
    return { status: 'FAILED', message: `restore job is ${job.Status ?? 'in an unknown state'}, not COMPLETED` };
  if (job.ResourceType !== 'DynamoDB')
    return {
      status: 'FAILED',
      message: `restore job restored ${job.ResourceType ?? 'an unknown resource type'}; this validator checks DynamoDB only`,
    };
  if (!job.CreatedResourceArn || !job.SourceResourceArn) {
    return { status: 'FAILED', message: 'restore job does not name its created or source resource' };
  }
  const restoredName = tableNameFromArn(job.CreatedResourceArn);
  // The function's role may count only the tables a restore test creates; any other table is refused here,
  // with the reason, rather than by an AccessDenied from DynamoDB.
  if (!restoredName.startsWith(RESTORE_TEST_TABLE_PREFIX))
    return {
      status: 'FAILED',
      message: `restored table ${restoredName} is not named ${RESTORE_TEST_TABLE_PREFIX}*, as AWS Backup names a restore test's table; this function counts only those`,
    };
  const sourceName = tableNameFromArn(job.SourceResourceArn);

  const restored = await describeTable(restoredName);
  if (!restored) return { status: 'FAILED', message: `restored table ${restoredName} does not exist` };
  if (restored.TableStatus !== 'ACTIVE')
    return { status: 'FAILED', message: `restored table ${restoredName} is ${restored.TableStatus}, not ACTIVE` };
  const source = await describeTable(sourceName);
  if (!source)
    return {
      status: 'FAILED',
      message: `source table ${sourceName} does not exist, so the restore cannot be compared`,
    };

  const restoredKeys = describeKeySchema(restored.KeySchema);
  const sourceKeys = describeKeySchema(source.KeySchema);
  if (restoredKeys !== sourceKeys) {
    return {
      status: 'FAILED',
      message: `key schema of ${restoredName} (${restoredKeys}) differs from ${sourceName} (${sourceKeys})`,
    };
  }

  const restoredCount = await countItems(restoredName, deadline);
  const sourceCount = source.ItemCount;
  if (sourceCount === undefined)
    return { status: 'FAILED', message: `source table ${sourceName} reports no item count` };
  const allowed = Math.floor((sourceCount * tolerance) / 100);
  if (Math.abs(restoredCount - sourceCount) > allowed || (restoredCount === 0 && sourceCount > 0)) {
    return {
      status: 'FAILED',
      message: `${restoredName} holds ${restoredCount} items; ${sourceName} holds about ${sourceCount} (allowed difference ${allowed}, ${tolerance}%)`,
    };
  }
  return {
    status: 'SUCCESSFUL',
    message: `${restoredName} is ACTIVE, keys ${restoredKeys} match ${sourceName}, ${restoredCount} items vs about ${sourceCount}`,
  };
}

/**
 * Handles an AWS Backup "Restore Job State Change" event and always reports a verdict with
 * PutRestoreValidationResult: anything that stops the check (bad config, API errors, timeout) is FAILED.
 * Restore jobs that no restore testing plan started (an operator's restore) are logged and left alone.
 */
export function createHandler(env: Environment = process.env) {
  const log = createLogger({ check: 'restore-validation', stage: env[ENV_NAMES.restoreValidationStage] ?? 'unknown' });
  // Read and checked once; an invalid tolerance fails every restore test with its reason.
  let tolerance: number | Error;
  try {
    tolerance = tolerancePercent(env[ENV_NAMES.itemCountTolerancePercent]);
  } catch (e) {
    tolerance = e as Error;
  }
  return async (
    event: EventBridgeEvent<'Restore Job State Change', RestoreJobStateChange>,
    context?: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<Verdict | 'not-a-restore-test'> => {
    const restoreJobId = event?.detail?.restoreJobId;
    if (typeof restoreJobId !== 'string' || restoreJobId === '') {
      // Nothing to report against: fail loudly so the invocation shows as an error.
      log.error('event has no detail.restoreJobId; cannot report a validation result', { event });
      throw new Error('Restore validation: event has no detail.restoreJobId');
    }
    const remaining = context?.getRemainingTimeInMillis?.() ?? 300_000;
    const deadline = Date.now() + remaining - REPORT_RESERVE_MS;

    let verdict: Verdict;
    try {
      if (tolerance instanceof Error) throw tolerance;
      const result = await validateRestore(restoreJobId, tolerance, deadline);
      if (result === 'not-a-restore-test') {
        log.info('restore job was not started by a restore testing plan; nothing to validate', { restoreJobId });
        return result;
      }
      verdict = result;
    } catch (e) {
      verdict = {
        status: 'FAILED',
        message: `could not check the restore: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
    const message =
      verdict.message.length > MAX_MESSAGE ? `${verdict.message.slice(0, MAX_MESSAGE - 3)}...` : verdict.message;
    log[verdict.status === 'SUCCESSFUL' ? 'info' : 'error']('restore validated', {
      restoreJobId,
      status: verdict.status,
      message,
    });
    await backup.send(
      new PutRestoreValidationResultCommand({
        RestoreJobId: restoreJobId,
        ValidationStatus: verdict.status,
        ValidationStatusMessage: message,
      }),
    );
    return { status: verdict.status, message };
  };
}

/** Lambda entry point; the environment is read at cold start. */
export const handler = createHandler();
