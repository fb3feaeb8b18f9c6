import {
  DescribeRegionSettingsCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByResourceCommand,
} from '@aws-sdk/client-backup';
import { drCopies, DYNAMODB_ADVANCED_HINT, newestWithinRpo } from '../../../../lambda/pipeline/private/dr-copies';
import type { StageMocks } from '../../../../support/check-fixtures';
import { BUCKET, DR_POLICY, HOUR, mockHealthyStage, NOW, TABLE_ARN, TABLES } from '../../../../support/check-fixtures';
import { testContext } from '../../../support/check-test-context';

const ago = (hours: number) => NOW.getTime() - hours * HOUR;
const DR_VAULT = 'uk-home-improvement-staging-dr-vault';
const TABLE = { label: `table ${TABLES[0]}`, arn: TABLE_ARN(TABLES[0]) };
const FILES = { label: `bucket ${BUCKET}`, arn: `arn:aws:s3:::${BUCKET}` };
/** The ListCopyJobs window of a check at NOW with the policy's 26 h RPO. */
const SINCE = '2026-05-31T10:00:00.000Z';
/** An error as the AWS SDK throws it when the check role may not call AWS Backup. */
const denied = () =>
  Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });

describe('Judging the newest recovery point against the RPO', () => {
  const judge = (times: number[], ageHours: number | undefined) =>
    newestWithinRpo('item', times, NOW, DR_POLICY, ageHours);

  it('passes a recovery point exactly as old as the RPO and fails one a minute older', () => {
    expect(judge([ago(26)], 500)).toEqual({ name: 'item', status: 'pass', detail: 'newest 26.0 h old (RPO 26 h)' });
    expect(judge([ago(26 + 1 / 60)], 500)).toEqual({
      name: 'item',
      status: 'fail',
      detail: 'newest recovery point is 26.0 h old, older than the RPO of 26 h',
    });
  });

  it('judges the newest of several recovery points, whatever their order', () => {
    expect(judge([ago(100), ago(2), ago(50)], 500).status).toBe('pass');
  });

  it('warns while a new stage is younger than the grace period, and fails from the grace period on', () => {
    expect(judge([], 47.9)).toEqual({
      name: 'item',
      status: 'warn',
      detail: 'no recovery point yet; stage is 47.9 h old, within the 48 h grace period for a new stage',
    });
    expect(judge([], 48)).toEqual({
      name: 'item',
      status: 'fail',
      detail: 'no available recovery point (stage is 48 h old)',
    });
  });

  it('fails when there is none and the stage age is unknown (no stack creation time)', () => {
    expect(judge([], undefined)).toEqual({ name: 'item', status: 'fail', detail: 'no available recovery point' });
  });

  it('names what it judges and whose age counts, and allows the extra hours it is given', () => {
    const allowance = { extra: { hours: 12, why: 'copy delay' }, ageOf: 'isolated vault' };
    const copy = (times: number[], ageHours: number) =>
      newestWithinRpo('item', times, NOW, DR_POLICY, ageHours, 'copy in v', allowance);
    expect(copy([ago(38)], 500).detail).toBe('newest 38.0 h old (RPO 26 h + 12 h copy delay)');
    expect(copy([ago(38.5)], 500).detail).toBe(
      'newest copy in v is 38.5 h old, older than the RPO of 26 h plus the 12 h copy delay',
    );
    expect(copy([], 5).detail).toBe(
      'no copy in v yet; isolated vault is 5.0 h old, within the 48 h grace period for a new isolated vault',
    );
    expect(copy([], 60).detail).toBe('no available copy in v (isolated vault is 60 h old)');
  });
});

describe('The copies in the DR region', () => {
  let mocks: StageMocks;
  beforeEach(() => {
    mocks = mockHealthyStage();
  });
  afterEach(() => mocks.restore());
  const check = (resources = [TABLE, FILES], stageAgeHours: number | undefined = 500) =>
    drCopies(testContext(), resources, DR_VAULT, DR_POLICY, stageAgeHours);

  it('passes fresh copies, and says no copy job failed in the RPO window', async () => {
    expect(await check()).toEqual([
      { name: `dr copy table ${TABLES[0]}`, status: 'pass', detail: 'newest 1.0 h old (RPO 26 h)' },
      { name: `dr copy bucket ${BUCKET}`, status: 'pass', detail: 'newest 1.0 h old (RPO 26 h)' },
      { name: 'copy jobs', status: 'pass', detail: `no copy job failed since ${SINCE}` },
    ]);
  });

  it('counts only usable copies with a creation date in the DR vault', async () => {
    mocks.backup.setRecoveryPoints(
      'dr',
      [
        { Status: 'PARTIAL', CreationDate: new Date(ago(1)), BackupVaultName: DR_VAULT },
        { Status: 'EXPIRED', CreationDate: new Date(ago(1)), BackupVaultName: DR_VAULT },
        { Status: 'AVAILABLE', BackupVaultName: DR_VAULT },
        { Status: 'COMPLETED', CreationDate: new Date(ago(30)), BackupVaultName: DR_VAULT },
      ],
      FILES.arn,
    );
    const [, files] = await check();
    expect(files).toEqual({
      name: `dr copy bucket ${BUCKET}`,
      status: 'fail',
      detail: `newest copy in ${DR_VAULT} (eu-west-1) is 30.0 h old, older than the RPO of 26 h`,
    });
  });

  it('on a first run (no copy anywhere yet) warns inside the grace period with the advanced-DynamoDB hint on tables only', async () => {
    mocks.backup.setRecoveryPoints('dr', []);
    mocks.backup.on(DescribeRegionSettingsCommand).resolves({ ResourceTypeManagementPreference: {} });
    const [table, files, jobs] = await check([TABLE, FILES], 10);
    expect(table).toEqual({
      name: `dr copy table ${TABLES[0]}`,
      status: 'warn',
      detail:
        `no copy in ${DR_VAULT} (eu-west-1) yet; stage is 10.0 h old, within the 48 h grace period for a new stage; ` +
        DYNAMODB_ADVANCED_HINT,
    });
    expect(files.detail).toBe(
      `no copy in ${DR_VAULT} (eu-west-1) yet; stage is 10.0 h old, within the 48 h grace period for a new stage`,
    );
    expect(jobs.status).toBe('pass');
  });

  it('reads the region settings once however many tables lack a copy, and adds no hint when the feature is on', async () => {
    mocks.backup.setRecoveryPoints('dr', []);
    const tables = TABLES.map((t) => ({ label: `table ${t}`, arn: TABLE_ARN(t) }));
    const outcomes = await check(tables);
    expect(outcomes.slice(0, TABLES.length).map((o) => o.detail)).toEqual(
      Array(TABLES.length).fill(`no available copy in ${DR_VAULT} (eu-west-1) (stage is 500 h old)`),
    );
    expect(mocks.backup.commandCalls(DescribeRegionSettingsCommand)).toHaveLength(1);
  });

  it('reads every page of failed copy jobs in the RPO window, and names a job without a message', async () => {
    mocks.backup.setRecoveryPoints('dr', [], FILES.arn);
    mocks.backup
      .on(ListCopyJobsCommand)
      .resolvesOnce({ CopyJobs: [{ ResourceArn: TABLE.arn, State: 'FAILED' }], NextToken: 'page-2' })
      .resolvesOnce({ CopyJobs: [{ ResourceArn: FILES.arn, State: 'FAILED' }] });
    const [table, files, jobs] = await check();
    expect(files.detail).toBe(
      `no available copy in ${DR_VAULT} (eu-west-1) (stage is 500 h old); 1 copy job(s) failed since ${SINCE}, last: no message`,
    );
    expect(table.status).toBe('pass');
    expect(jobs).toEqual({
      name: 'copy jobs',
      status: 'warn',
      detail: `failed since ${SINCE} (newer copies exist): table ${TABLES[0]}: no message`,
    });
    const inputs = mocks.backup.commandCalls(ListCopyJobsCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([
      { ByState: 'FAILED', ByCreatedAfter: new Date(SINCE), NextToken: undefined, MaxResults: 100 },
      { ByState: 'FAILED', ByCreatedAfter: new Date(SINCE), NextToken: 'page-2', MaxResults: 100 },
    ]);
  });

  it('stops after 10 pages of failed copy jobs', async () => {
    mocks.backup.on(ListCopyJobsCommand).resolves({ CopyJobs: [], NextToken: 'more' });
    await check();
    expect(mocks.backup.commandCalls(ListCopyJobsCommand)).toHaveLength(10);
  });

  it('reports no copy-jobs line when the only failed jobs are of resources already failing', async () => {
    mocks.backup.setRecoveryPoints('dr', [], FILES.arn);
    mocks.backup.on(ListCopyJobsCommand).resolves({
      CopyJobs: [{ ResourceArn: FILES.arn, State: 'FAILED', StatusMessage: 'Access denied to the destination key' }],
    });
    const outcomes = await check();
    expect(outcomes.map((o) => o.name)).toEqual([`dr copy table ${TABLES[0]}`, `dr copy bucket ${BUCKET}`]);
    expect(outcomes[1].detail).toContain('last: Access denied to the destination key');
  });

  it('throws naming the DR-region call when the check role may not list recovery points there', async () => {
    mocks.backup.on(ListRecoveryPointsByResourceCommand).rejects(denied());
    await expect(check([FILES])).rejects.toThrow(
      `ListRecoveryPointsByResource bucket ${BUCKET} (DR region) failed: access denied`,
    );
  });

  it('throws naming ListCopyJobs when the check role may not list the copy jobs', async () => {
    mocks.backup.on(ListCopyJobsCommand).rejects(denied());
    await expect(check()).rejects.toThrow('ListCopyJobs failed: access denied');
  });

  it('keeps fresh copies clean passes, and names the failed job of each in one warning', async () => {
    mocks.backup.on(ListCopyJobsCommand).resolves({
      CopyJobs: [
        { ResourceArn: TABLE.arn, State: 'FAILED', StatusMessage: 'Insufficient privileges' },
        { ResourceArn: FILES.arn, State: 'FAILED', StatusMessage: 'Access denied to the destination key' },
      ],
    });
    expect(await check()).toEqual([
      { name: `dr copy table ${TABLES[0]}`, status: 'pass', detail: 'newest 1.0 h old (RPO 26 h)' },
      { name: `dr copy bucket ${BUCKET}`, status: 'pass', detail: 'newest 1.0 h old (RPO 26 h)' },
      {
        name: 'copy jobs',
        status: 'warn',
        detail:
          `failed since ${SINCE} (newer copies exist): table ${TABLES[0]}: Insufficient privileges; ` +
          `bucket ${BUCKET}: Access denied to the destination key`,
      },
    ]);
    expect(mocks.backup.commandCalls(DescribeRegionSettingsCommand)).toHaveLength(0);
  });

  it("adds both the table's failed copy job and the advanced-DynamoDB hint to its failure", async () => {
    mocks.backup.setRecoveryPoints('dr', [], TABLE.arn);
    mocks.backup.on(ListCopyJobsCommand).resolves({
      CopyJobs: [{ ResourceArn: TABLE.arn, State: 'FAILED', StatusMessage: 'Insufficient privileges' }],
    });
    mocks.backup.on(DescribeRegionSettingsCommand).resolves({ ResourceTypeManagementPreference: { DynamoDB: false } });
    expect((await check([TABLE]))[0].detail).toBe(
      `no available copy in ${DR_VAULT} (eu-west-1) (stage is 500 h old); ` +
        `1 copy job(s) failed since ${SINCE}, last: Insufficient privileges; ${DYNAMODB_ADVANCED_HINT}`,
    );
  });

  it('gives the hint when the region settings do not report full management, and says when they cannot be read', async () => {
    mocks.backup.setRecoveryPoints('dr', [], TABLE.arn);
    // DescribeRegionSettings answered only ResourceTypeOptInPreference before full AWS Backup management came
    // (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeRegionSettings.html, earlier versions).
    mocks.backup.on(DescribeRegionSettingsCommand).resolves({ ResourceTypeOptInPreference: { DynamoDB: true } });
    expect((await check([TABLE]))[0].detail).toContain(`; ${DYNAMODB_ADVANCED_HINT}`);
    mocks.backup.on(DescribeRegionSettingsCommand).rejects(denied());
    expect((await check([TABLE]))[0].detail).toContain(
      "; could not read the region settings to tell whether AWS Backup's advanced features for DynamoDB are on " +
        '(DescribeRegionSettings failed: access denied',
    );
  });

  it('gives each AWS call the signal that cancels it when its attempt times out', async () => {
    mocks.backup.setRecoveryPoints('dr', [], TABLE.arn);
    await check();
    // sinon records the options too, though the typings list the command only
    const calls: { args: unknown[] }[] = mocks.backup.calls();
    expect(calls.map((c) => c.args[0])).toEqual([
      expect.any(ListCopyJobsCommand),
      expect.any(ListRecoveryPointsByResourceCommand),
      expect.any(ListRecoveryPointsByResourceCommand),
      expect.any(DescribeRegionSettingsCommand),
    ]);
    for (const c of calls) expect(c.args[1]).toEqual({ abortSignal: expect.any(AbortSignal) });
  });
});
