import { BackupClient, DescribeRestoreJobCommand, PutRestoreValidationResultCommand } from '@aws-sdk/client-backup';
import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException, ScanCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  describeKeySchema,
  createHandler,
  tableNameFromArn,
  tolerancePercent,
} from '../../../lambda/platform/restore-validation/index';

/** A cold start per call: the handler reads the environment as the test has set it. */
const handler = (...args: Parameters<ReturnType<typeof createHandler>>) => createHandler()(...args);

const backup = mockClient(BackupClient);
const dynamodb = mockClient(DynamoDBClient);

const JOB_ID = 'restore-job-0001';
const SOURCE_ARN = 'arn:aws:dynamodb:eu-west-2:111111111111:table/uk-home-improvement-prod-users';
const RESTORED_ARN = 'arn:aws:dynamodb:eu-west-2:111111111111:table/awsbackup-restore-test-1234';
const PLAN_ARN = 'arn:aws:backup:eu-west-2:111111111111:restore-testing-plan:uk_home_improvement_prod_tables-abc';
const USERS_KEYS = [{ AttributeName: 'userId', KeyType: 'HASH' as const }];

const event = (
  detail: Record<string, unknown> = { restoreJobId: JOB_ID, status: 'COMPLETED', resourceType: 'DynamoDB' },
) => ({ 'detail-type': 'Restore Job State Change', source: 'aws.backup', detail }) as any;
const context = { getRemainingTimeInMillis: () => 120_000 };

/** GIVEN a completed restore job of the users table whose restored copy holds `restoredItems` items. */
function givenRestore(
  opts: {
    restoredItems?: number;
    sourceItems?: number;
    restoredKeys?: typeof USERS_KEYS;
    restoredExists?: boolean;
  } = {},
) {
  backup.on(DescribeRestoreJobCommand, { RestoreJobId: JOB_ID }).resolves({
    RestoreJobId: JOB_ID,
    Status: 'COMPLETED',
    ResourceType: 'DynamoDB',
    CreatedResourceArn: RESTORED_ARN,
    SourceResourceArn: SOURCE_ARN,
    CreatedBy: { RestoreTestingPlanArn: PLAN_ARN },
  });
  backup.on(PutRestoreValidationResultCommand).resolves({});
  if (opts.restoredExists === false) {
    dynamodb
      .on(DescribeTableCommand, { TableName: 'awsbackup-restore-test-1234' })
      .rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }));
  } else {
    dynamodb
      .on(DescribeTableCommand, { TableName: 'awsbackup-restore-test-1234' })
      .resolves({ Table: { TableStatus: 'ACTIVE', KeySchema: opts.restoredKeys ?? USERS_KEYS, ItemCount: 0 } });
  }
  dynamodb
    .on(DescribeTableCommand, { TableName: 'uk-home-improvement-prod-users' })
    .resolves({ Table: { TableStatus: 'ACTIVE', KeySchema: USERS_KEYS, ItemCount: opts.sourceItems ?? 1000 } });
  const restored = opts.restoredItems ?? 1000;
  // two pages, so pagination is exercised
  dynamodb
    .on(ScanCommand, { TableName: 'awsbackup-restore-test-1234', ExclusiveStartKey: undefined })
    .resolves({ Count: Math.floor(restored / 2), LastEvaluatedKey: { userId: { S: 'half' } } });
  dynamodb
    .on(ScanCommand, { TableName: 'awsbackup-restore-test-1234', ExclusiveStartKey: { userId: { S: 'half' } } })
    .resolves({ Count: restored - Math.floor(restored / 2) });
}

function reported() {
  expect(backup).toHaveReceivedCommandTimes(PutRestoreValidationResultCommand, 1);
  return backup.commandCalls(PutRestoreValidationResultCommand)[0].args[0].input;
}

beforeEach(() => {
  backup.reset();
  dynamodb.reset();
  process.env.ITEM_COUNT_TOLERANCE_PERCENT = '10';
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  delete process.env.ITEM_COUNT_TOLERANCE_PERCENT;
});

describe('restore validation handler', () => {
  it('reports SUCCESSFUL when the restored table exists, keys match and the item count is within tolerance', async () => {
    givenRestore({ restoredItems: 960, sourceItems: 1000 });
    const verdict = await handler(event(), context);
    expect(verdict).toEqual(expect.objectContaining({ status: 'SUCCESSFUL' }));
    expect(reported()).toEqual(expect.objectContaining({ RestoreJobId: JOB_ID, ValidationStatus: 'SUCCESSFUL' }));
    expect(reported().ValidationStatusMessage).toContain('960 items');
    expect(dynamodb).toHaveReceivedCommandTimes(ScanCommand, 2);
  });

  it('reports FAILED when the item count differs from the source by more than the tolerance', async () => {
    givenRestore({ restoredItems: 850, sourceItems: 1000 });
    await handler(event(), context);
    expect(reported().ValidationStatus).toBe('FAILED');
    expect(reported().ValidationStatusMessage).toMatch(/holds 850 items.*about 1000/);
  });

  it('reports FAILED when the restored table is empty but the source is not, whatever the tolerance', async () => {
    process.env.ITEM_COUNT_TOLERANCE_PERCENT = '100';
    givenRestore({ restoredItems: 0, sourceItems: 5 });
    await handler(event(), context);
    expect(reported().ValidationStatus).toBe('FAILED');
  });

  it('reports FAILED when the key schema differs from the source', async () => {
    givenRestore({ restoredKeys: [{ AttributeName: 'id', KeyType: 'HASH' }] });
    await handler(event(), context);
    expect(reported().ValidationStatus).toBe('FAILED');
    expect(reported().ValidationStatusMessage).toContain('key schema');
    expect(dynamodb).toHaveReceivedCommandTimes(ScanCommand, 0);
  });

  it('reports FAILED when the restored table does not exist', async () => {
    givenRestore({ restoredExists: false });
    await handler(event(), context);
    expect(reported()).toEqual(
      expect.objectContaining({
        ValidationStatus: 'FAILED',
        ValidationStatusMessage: 'restored table awsbackup-restore-test-1234 does not exist',
      }),
    );
  });

  it('counts with Select COUNT on every page, the only Scan its role allows', async () => {
    givenRestore();
    await handler(event(), context);
    const scans = dynamodb.commandCalls(ScanCommand).map((c) => c.args[0].input);
    expect(scans).toHaveLength(2);
    for (const scan of scans) expect(scan).toEqual(expect.objectContaining({ Select: 'COUNT' }));
  });

  it('reports FAILED, and reads nothing, when the restored table is not named as AWS Backup names a restore test table', async () => {
    givenRestore();
    backup.on(DescribeRestoreJobCommand, { RestoreJobId: JOB_ID }).resolves({
      RestoreJobId: JOB_ID,
      Status: 'COMPLETED',
      ResourceType: 'DynamoDB',
      CreatedResourceArn: 'arn:aws:dynamodb:eu-west-2:111111111111:table/uk-home-improvement-prod-quotes',
      SourceResourceArn: SOURCE_ARN,
      CreatedBy: { RestoreTestingPlanArn: PLAN_ARN },
    });
    await handler(event(), context);
    expect(reported().ValidationStatus).toBe('FAILED');
    expect(reported().ValidationStatusMessage).toContain(
      'restored table uk-home-improvement-prod-quotes is not named awsbackup-restore-test-*',
    );
    expect(dynamodb).toHaveReceivedCommandTimes(DescribeTableCommand, 0);
    expect(dynamodb).toHaveReceivedCommandTimes(ScanCommand, 0);
  });

  it('reports FAILED when it cannot check because an AWS call fails', async () => {
    givenRestore();
    dynamodb.on(ScanCommand).rejects(new Error('AccessDeniedException: not authorized to perform dynamodb:Scan'));
    const verdict = await handler(event(), context);
    expect(verdict).toEqual(expect.objectContaining({ status: 'FAILED' }));
    expect(reported().ValidationStatusMessage).toMatch(/^could not check the restore: AccessDenied/);
  });

  it('reports FAILED when it cannot check because its configuration is invalid', async () => {
    givenRestore();
    process.env.ITEM_COUNT_TOLERANCE_PERCENT = 'lots';
    await handler(event(), context);
    expect(reported().ValidationStatusMessage).toMatch(/ITEM_COUNT_TOLERANCE_PERCENT = "lots" is not valid/);
  });

  it('reports FAILED when it runs out of time before counting finishes', async () => {
    givenRestore();
    await handler(event(), { getRemainingTimeInMillis: () => 1_000 });
    expect(reported().ValidationStatus).toBe('FAILED');
    expect(reported().ValidationStatusMessage).toContain('ran out of time');
  });

  it('reports FAILED when the restore job did not complete', async () => {
    givenRestore();
    backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: JOB_ID, Status: 'FAILED', ResourceType: 'DynamoDB' });
    await handler(event(), context);
    expect(reported().ValidationStatusMessage).toBe('restore job is FAILED, not COMPLETED');
  });

  it('leaves an operator restore (not started by a restore testing plan) alone', async () => {
    givenRestore();
    backup
      .on(DescribeRestoreJobCommand)
      .resolves({ RestoreJobId: JOB_ID, Status: 'COMPLETED', ResourceType: 'DynamoDB', CreatedBy: {} });
    expect(await handler(event(), context)).toBe('not-a-restore-test');
    expect(backup).toHaveReceivedCommandTimes(PutRestoreValidationResultCommand, 0);
  });

  it('throws, without reporting, when the event names no restore job', async () => {
    await expect(handler(event({ status: 'COMPLETED' }), context)).rejects.toThrow(/no detail.restoreJobId/);
    expect(backup).toHaveReceivedCommandTimes(PutRestoreValidationResultCommand, 0);
  });
});

describe('restore validation helpers', () => {
  it('reads a table name from its ARN and rejects anything else', () => {
    expect(tableNameFromArn(SOURCE_ARN)).toBe('uk-home-improvement-prod-users');
    expect(() => tableNameFromArn('arn:aws:s3:::bucket')).toThrow(/not a DynamoDB table ARN/);
  });

  it('compares key schemas independently of order', () => {
    expect(
      describeKeySchema([
        { AttributeName: 'sk', KeyType: 'RANGE' },
        { AttributeName: 'pk', KeyType: 'HASH' },
      ]),
    ).toBe('pk:HASH,sk:RANGE');
  });

  it('accepts tolerances from 0 to 100 only', () => {
    expect(tolerancePercent('0')).toBe(0);
    expect(() => tolerancePercent('101')).toThrow(/expected a number from 0 to 100/);
    expect(() => tolerancePercent(' ')).toThrow(/is not valid/);
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  backup.restore();
  dynamodb.restore();
});
