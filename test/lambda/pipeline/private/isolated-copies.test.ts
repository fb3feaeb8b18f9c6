import {
  DescribeBackupVaultCommand,
  GetBackupPlanCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
} from '@aws-sdk/client-backup';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { runDrReadinessCheck } from '../../../../lambda/pipeline/private/dr-readiness';
import { isolatedCopies, vaultOfArn } from '../../../../lambda/pipeline/private/isolated-copies';
import type { CheckReport } from '../../../../lambda/pipeline/private/check-result';
import { OUTPUTS } from '../../../../contracts/output-names';
import type { StageMocks } from '../../../../support/check-fixtures';
import {
  BUCKET,
  DR_POLICY,
  DR_VAULT_ARN,
  HOUR,
  ISOLATED_COPY,
  ISOLATED_VAULT_ARN,
  ISOLATED_VAULT_NAME,
  mockHealthyStage,
  NOW,
  STACK_OUTPUTS,
  TABLE_ARN,
  TABLES,
} from '../../../../support/check-fixtures';
import { testContext } from '../../../support/check-test-context';

// GIVEN a stage whose backup policy asks for an isolated copy (Prod's in cdk.json), checked by the DR check
const withIsolatedCopy = () => testContext({ params: { dr: { ...DR_POLICY, isolatedCopy: ISOLATED_COPY } } });
const failed = (r: CheckReport) => r.outcomes.filter((o) => o.status === 'fail');
const outcome = (r: CheckReport, name: string) => r.outcomes.find((o) => o.name === name);
/** An error as the AWS SDK throws it for an AWS Backup error answer (AWS Backup answers its errors with HTTP 400). */
const awsError = (name: string, status = 400) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });
const VAULT_ITEM = `isolated vault ${ISOLATED_VAULT_NAME}`;
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);
const copy = (hours: number) => ({
  Status: 'AVAILABLE' as const,
  CreationDate: ago(hours),
  BackupVaultName: ISOLATED_VAULT_NAME,
});
const daily = {
  RuleName: 'Daily',
  TargetBackupVaultName: 'vault',
  ScheduleExpression: 'cron(0 3 * * ? *)',
  Lifecycle: { DeleteAfterDays: 30 },
};
const weekly = {
  RuleName: 'Weekly',
  TargetBackupVaultName: 'vault',
  ScheduleExpression: 'cron(0 4 ? * SUN *)',
  Lifecycle: { DeleteAfterDays: 365, MoveToColdStorageAfterDays: 7 },
};
const toDr = (days: number) => ({ DestinationBackupVaultArn: DR_VAULT_ARN, Lifecycle: { DeleteAfterDays: days } });

let mocks: StageMocks;
beforeEach(() => {
  mocks = mockHealthyStage();
});
afterEach(() => mocks.restore());

describe('The DR check of an isolated copy', () => {
  it('passes when every rule copies to a locked air-gapped vault that holds a fresh copy of every resource', async () => {
    const report = await runDrReadinessCheck(withIsolatedCopy());
    expect(failed(report)).toEqual([]);
    expect(outcome(report, 'isolated copy rule')).toEqual({
      name: 'isolated copy rule',
      status: 'pass',
      detail: `rules Daily, Weekly copy to ${ISOLATED_VAULT_ARN}`,
    });
    expect(outcome(report, VAULT_ITEM)?.status).toBe('pass');
    for (const label of [...TABLES.map((t) => `table ${t}`), `bucket ${BUCKET}`])
      expect(outcome(report, `isolated copy ${label}`)?.status).toBe('pass');
    // each resource's copies are listed in the isolated vault, in the DR region
    const calls = mocks.backup.commandCalls(ListRecoveryPointsByBackupVaultCommand);
    expect(calls.map((c) => c.args[0].input.ByResourceArn).sort()).toEqual(
      [...TABLES.map(TABLE_ARN), `arn:aws:s3:::${BUCKET}`].sort(),
    );
    expect(new Set(calls.map((c) => c.args[0].input.BackupVaultName))).toEqual(new Set([ISOLATED_VAULT_NAME]));
    expect(await (calls[0].thisValue as { config: { region: () => Promise<string> } }).config.region()).toBe(
      'eu-west-1',
    );
  });

  it('checks nothing of an isolated copy where the policy asks for none', async () => {
    const report = await runDrReadinessCheck(testContext());
    expect(report.outcomes.filter((o) => o.name.startsWith('isolated'))).toEqual([]);
    expect(mocks.backup.commandCalls(ListRecoveryPointsByBackupVaultCommand)).toHaveLength(0);
  });

  describe('fails, with the reason, when', () => {
    it('the isolated vault does not exist (ResourceNotFoundException), without listing copies in it', async () => {
      mocks.backup
        .on(DescribeBackupVaultCommand, { BackupVaultName: ISOLATED_VAULT_NAME })
        .rejects(awsError('ResourceNotFoundException'));
      const report = await runDrReadinessCheck(withIsolatedCopy());
      expect(failed(report)).toEqual([
        {
          name: VAULT_ITEM,
          status: 'fail',
          detail:
            "no isolated copy can be checked: it does not exist in eu-west-1; the plan's isolated copies have nowhere to go",
        },
      ]);
      expect(mocks.backup.commandCalls(ListRecoveryPointsByBackupVaultCommand)).toHaveLength(0);
    });

    it('AWS Backup refuses to describe the isolated vault (as it may for a vault that does not exist)', async () => {
      mocks.backup
        .on(DescribeBackupVaultCommand, { BackupVaultName: ISOLATED_VAULT_NAME })
        .rejects(awsError('AccessDeniedException', 403));
      const [item] = failed(await runDrReadinessCheck(withIsolatedCopy()));
      expect(item.name).toBe(VAULT_ITEM);
      expect(item.detail).toContain(
        'no isolated copy can be checked: AWS Backup refused to describe it in eu-west-1 (access denied (AccessDeniedException',
      );
      expect(item.detail).toContain('either it is missing or the check role may not read it');
    });

    it('the DR vault stack has no isolated vault output (deployed without the isolated copy)', async () => {
      const { [OUTPUTS.isolatedBackupVaultArn]: _, ...withoutIt } = STACK_OUTPUTS['Staging-DrVault'];
      mocks.cfn.on(DescribeStacksCommand, { StackName: 'Staging-DrVault' }).resolves({
        Stacks: [
          {
            StackName: 'Staging-DrVault',
            StackStatus: 'UPDATE_COMPLETE',
            CreationTime: ago(400 * 24),
            Outputs: Object.entries(withoutIt).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
          },
        ],
      });
      const report = await runDrReadinessCheck(withIsolatedCopy());
      expect(failed(report).map((o) => [o.name, o.detail])).toEqual([
        ['isolated copy rule', expect.stringContaining(`output ${OUTPUTS.isolatedBackupVaultArn} not found`)],
        ['isolated copies', expect.stringContaining(`output ${OUTPUTS.isolatedBackupVaultArn} not found`)],
      ]);
    });

    it("a resource's newest isolated copy is older than the RPO plus the copy delay, naming a failed copy job", async () => {
      mocks.backup.setIsolatedCopies([copy(40), copy(200)], `arn:aws:s3:::${BUCKET}`);
      mocks.backup.on(ListCopyJobsCommand, { ByDestinationVaultArn: ISOLATED_VAULT_ARN }).resolves({
        CopyJobs: [
          { ResourceArn: `arn:aws:s3:::${BUCKET}`, State: 'FAILED', StatusMessage: 'Insufficient privileges' },
        ],
      });
      const report = await runDrReadinessCheck(withIsolatedCopy());
      expect(failed(report)).toEqual([
        {
          name: `isolated copy bucket ${BUCKET}`,
          status: 'fail',
          detail:
            `newest copy in ${ISOLATED_VAULT_NAME} (eu-west-1) is 40.0 h old, older than the RPO of 26 h plus the 12 h copy delay; ` +
            'a copy job into it failed since 2026-05-30T22:00:00.000Z: Insufficient privileges',
        },
      ]);
      expect(
        mocks.backup.commandCalls(ListCopyJobsCommand, { ByDestinationVaultArn: ISOLATED_VAULT_ARN }),
      ).toHaveLength(1);
    });

    it('a resource has no copy in the isolated vault past the grace period', async () => {
      mocks.backup.setIsolatedCopies([], TABLE_ARN(TABLES[2]));
      expect(failed(await runDrReadinessCheck(withIsolatedCopy()))).toEqual([
        {
          name: `isolated copy table ${TABLES[2]}`,
          status: 'fail',
          detail: `no available copy in ${ISOLATED_VAULT_NAME} (eu-west-1) (stage is 9600 h old)`,
        },
      ]);
    });

    it('the vault of that name is a standard vault, not a logically air-gapped one, and is not locked', async () => {
      mocks.backup.on(DescribeBackupVaultCommand, { BackupVaultName: ISOLATED_VAULT_NAME }).resolves({
        BackupVaultName: ISOLATED_VAULT_NAME,
        VaultType: 'BACKUP_VAULT',
        CreationDate: ago(400 * 24),
        Locked: false,
      });
      expect(failed(await runDrReadinessCheck(withIsolatedCopy()))).toEqual([
        {
          name: VAULT_ITEM,
          status: 'fail',
          detail:
            'it is a BACKUP_VAULT vault, not a logically air-gapped one, so its copies are within reach of the account, it is not locked, ' +
            'minimum retention unset days, expected 30, maximum retention unset days, expected 365',
        },
      ]);
    });

    it("the vault's retention bounds are not the configured ones", async () => {
      mocks.backup.on(DescribeBackupVaultCommand, { BackupVaultName: ISOLATED_VAULT_NAME }).resolves({
        VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
        VaultState: 'AVAILABLE',
        CreationDate: ago(400 * 24),
        Locked: true,
        MinRetentionDays: 7,
        MaxRetentionDays: 365,
      });
      expect(failed(await runDrReadinessCheck(withIsolatedCopy()))).toEqual([
        expect.objectContaining({ name: VAULT_ITEM, detail: 'minimum retention 7 days, expected 30' }),
      ]);
    });

    it('a rule does not copy to the isolated vault, and another moves its copy to cold storage', async () => {
      mocks.backup.on(GetBackupPlanCommand).resolves({
        BackupPlan: {
          BackupPlanName: 'p',
          Rules: [
            {
              ...daily,
              CopyActions: [
                toDr(30),
                {
                  DestinationBackupVaultArn: ISOLATED_VAULT_ARN,
                  Lifecycle: { DeleteAfterDays: 30, MoveToColdStorageAfterDays: 7 },
                },
              ],
            },
            { ...weekly, CopyActions: [toDr(365)] },
          ],
        },
      });
      expect(failed(await runDrReadinessCheck(withIsolatedCopy()))).toEqual([
        {
          name: 'isolated copy rule',
          status: 'fail',
          detail: `isolated vault ${ISOLATED_VAULT_ARN}: rule Daily moves its copy to cold storage after 7 days; rule Weekly does not copy to it`,
        },
      ]);
    });

    it("a rule keeps its isolated copy outside the vault's retention bounds", async () => {
      mocks.backup.on(GetBackupPlanCommand).resolves({
        BackupPlan: {
          BackupPlanName: 'p',
          Rules: [
            { ...daily, CopyActions: [toDr(30), { DestinationBackupVaultArn: ISOLATED_VAULT_ARN }] },
            {
              ...weekly,
              CopyActions: [{ DestinationBackupVaultArn: ISOLATED_VAULT_ARN, Lifecycle: { DeleteAfterDays: 400 } }],
            },
          ],
        },
      });
      expect(failed(await runDrReadinessCheck(withIsolatedCopy()))[0].detail).toBe(
        `isolated vault ${ISOLATED_VAULT_ARN}: rule Daily gives its copy no retention (it takes the source's lifecycle); ` +
          "rule Weekly keeps its copy 400 days, outside the vault's 30 to 365",
      );
    });

    it('the check role may not list the recovery points of the isolated vault', async () => {
      mocks.backup.on(ListRecoveryPointsByBackupVaultCommand).rejects(awsError('AccessDeniedException', 403));
      const report = await runDrReadinessCheck(withIsolatedCopy());
      expect(failed(report)).toHaveLength(TABLES.length + 1);
      expect(
        failed(report).every((o) => o.name.startsWith('isolated copy ') && o.detail.includes('access denied')),
      ).toBe(true);
      expect(outcome(report, `isolated copy bucket ${BUCKET}`)?.detail).toContain(
        `ListRecoveryPointsByBackupVault ${ISOLATED_VAULT_NAME} bucket ${BUCKET} failed: access denied`,
      );
    });
  });

  it('passes a copy older than the RPO but within the copy delay after it', async () => {
    mocks.backup.setIsolatedCopies([copy(37)], `arn:aws:s3:::${BUCKET}`);
    const report = await runDrReadinessCheck(withIsolatedCopy());
    expect(outcome(report, `isolated copy bucket ${BUCKET}`)).toEqual({
      name: `isolated copy bucket ${BUCKET}`,
      status: 'pass',
      detail: 'newest 37.0 h old (RPO 26 h + 12 h copy delay)',
    });
  });

  describe('in the grace period', () => {
    it('reports an empty account on the first run (no recovery point anywhere yet) as inside it, and passes', async () => {
      // GIVEN a stage first deployed 10 hours ago, its isolated vault created then, nothing backed up yet
      mocks.restore();
      mocks = mockHealthyStage(10);
      mocks.backup.setRecoveryPoints('primary', []);
      mocks.backup.setRecoveryPoints('dr', []);
      mocks.backup.setIsolatedCopies([]);
      mocks.backup.on(DescribeBackupVaultCommand, { BackupVaultName: ISOLATED_VAULT_NAME }).resolves({
        VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
        VaultState: 'AVAILABLE',
        CreationDate: ago(10),
        NumberOfRecoveryPoints: 0,
        Locked: true,
        LockDate: ago(10),
        MinRetentionDays: 30,
        MaxRetentionDays: 365,
      });
      const report = await runDrReadinessCheck(withIsolatedCopy());
      expect(report.passed).toBe(true);
      expect(outcome(report, `isolated copy table ${TABLES[0]}`)).toEqual({
        name: `isolated copy table ${TABLES[0]}`,
        status: 'warn',
        detail: `no copy in ${ISOLATED_VAULT_NAME} (eu-west-1) yet; stage is 10.0 h old, within the 48 h grace period for a new stage`,
      });
    });

    it('gives an isolated vault added to a running stage the grace period from its own creation', async () => {
      mocks.backup.setIsolatedCopies([]);
      const vaultCreated = (hours: number) =>
        mocks.backup.on(DescribeBackupVaultCommand, { BackupVaultName: ISOLATED_VAULT_NAME }).resolves({
          VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
          VaultState: 'AVAILABLE',
          CreationDate: ago(hours),
          Locked: true,
          MinRetentionDays: 30,
          MaxRetentionDays: 365,
        });
      vaultCreated(5);
      const young = await runDrReadinessCheck(withIsolatedCopy());
      expect(young.passed).toBe(true);
      expect(outcome(young, `isolated copy bucket ${BUCKET}`)?.detail).toContain('isolated vault is 5.0 h old');

      vaultCreated(60);
      const old = await runDrReadinessCheck(withIsolatedCopy());
      expect(failed(old).map((o) => o.detail)).toEqual(
        Array(TABLES.length + 1).fill(
          `no available copy in ${ISOLATED_VAULT_NAME} (eu-west-1) (isolated vault is 60 h old)`,
        ),
      );
    });
  });
});

describe('Reading an isolated vault ARN', () => {
  it('reads the region and the name, colons in the name kept', () => {
    expect(vaultOfArn(ISOLATED_VAULT_ARN)).toEqual({ region: 'eu-west-1', name: ISOLATED_VAULT_NAME });
    expect(vaultOfArn('arn:aws:backup:eu-west-1:222222222222:backup-vault:a:b')).toEqual({
      region: 'eu-west-1',
      name: 'a:b',
    });
  });

  it.each([
    'arn:aws:s3:eu-west-1:222222222222:backup-vault:v',
    'arn:aws:backup:eu-west-1:222222222222:recovery-point:v',
    'arn:aws:backup::222222222222:backup-vault:v',
    'arn:aws:backup:eu-west-1:222222222222:backup-vault:',
    'not-an-arn',
  ])('refuses %s, naming the output', (arn) => {
    expect(() => vaultOfArn(arn)).toThrow(`${OUTPUTS.isolatedBackupVaultArn} ${arn} is not a backup vault ARN`);
  });
});

describe('The isolated copies, judged directly', () => {
  /** The check of a stage `stageAgeHours` old (undefined: its age is unknown). */
  const checkAt = (stageAgeHours: number | undefined, vaultArn = ISOLATED_VAULT_ARN) =>
    isolatedCopies(
      testContext(),
      [{ label: `bucket ${BUCKET}`, arn: `arn:aws:s3:::${BUCKET}` }],
      vaultArn,
      { ...DR_POLICY, isolatedCopy: ISOLATED_COPY },
      ISOLATED_COPY,
      stageAgeHours,
    );
  const check = (vaultArn = ISOLATED_VAULT_ARN) => checkAt(9600, vaultArn);
  const vault = (answer: object) =>
    mocks.backup.on(DescribeBackupVaultCommand, { BackupVaultName: ISOLATED_VAULT_NAME }).resolves({
      VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
      Locked: true,
      MinRetentionDays: 30,
      MaxRetentionDays: 365,
      ...answer,
    });

  it('fails a vault outside the DR region without calling AWS', async () => {
    const elsewhere = `arn:aws:backup:eu-west-2:222222222222:backup-vault:${ISOLATED_VAULT_NAME}`;
    expect(await check(elsewhere)).toEqual([
      { name: VAULT_ITEM, status: 'fail', detail: `${elsewhere} is in eu-west-2, expected the DR region eu-west-1` },
    ]);
    expect(mocks.backup.commandCalls(DescribeBackupVaultCommand)).toHaveLength(0);
  });

  it('passes a locked vault naming since when it is locked', async () => {
    expect((await check())[0]).toEqual({
      name: VAULT_ITEM,
      status: 'pass',
      detail: `logically air-gapped, locked since ${ago(400 * 24).toISOString()}, retention 30 to 365 days`,
    });
  });

  it('passes a locked vault without a lock date, and one whose state AWS does not report', async () => {
    vault({ CreationDate: ago(9000) });
    expect((await check())[0]).toEqual({
      name: VAULT_ITEM,
      status: 'pass',
      detail: 'logically air-gapped, locked, retention 30 to 365 days',
    });
  });

  it('warns while a young vault is still CREATING and fails one that stays so past the grace period', async () => {
    vault({ VaultState: 'CREATING', CreationDate: ago(2) });
    expect((await check())[0]).toEqual({
      name: VAULT_ITEM,
      status: 'warn',
      detail: 'vault state CREATING, expected AVAILABLE (isolated vault is 2.0 h old)',
    });
    vault({ VaultState: 'CREATING', CreationDate: ago(48) });
    expect((await check())[0]).toEqual({
      name: VAULT_ITEM,
      status: 'fail',
      detail: 'vault state CREATING, expected AVAILABLE',
    });
  });

  it('counts the grace period from the stage when it is younger than the vault or the vault has no date, else from the vault', async () => {
    mocks.backup.setIsolatedCopies([]);
    vault({ CreationDate: ago(100) });
    expect((await checkAt(3))[1].detail).toBe(
      `no copy in ${ISOLATED_VAULT_NAME} (eu-west-1) yet; stage is 3.0 h old, within the 48 h grace period for a new stage`,
    );
    vault({});
    expect((await checkAt(3))[1].status).toBe('warn');
    vault({ CreationDate: ago(4) });
    expect((await checkAt(undefined))[1].detail).toContain('isolated vault is 4.0 h old');
  });

  it('fails a vault whose creation FAILED, and one with the wrong maximum retention', async () => {
    vault({ VaultState: 'FAILED', CreationDate: ago(1), MaxRetentionDays: 100 });
    expect((await check())[0]).toEqual({
      name: VAULT_ITEM,
      status: 'fail',
      detail: 'maximum retention 100 days, expected 365, its creation FAILED',
    });
    vault({ VaultType: undefined, Locked: undefined, CreationDate: ago(9000) });
    expect((await check())[0].detail).toBe(
      'it is a standard (no VaultType reported) vault, not a logically air-gapped one, so its copies are within reach of the account, it is not locked',
    );
  });

  it('reads every page of copies, and fails the resource rather than judge part of them past 10 pages', async () => {
    mocks.backup
      .on(ListRecoveryPointsByBackupVaultCommand)
      .resolvesOnce({ RecoveryPoints: [copy(100)], NextToken: 'page-2' })
      .resolvesOnce({ RecoveryPoints: [copy(5)] });
    expect((await check())[1].status).toBe('pass');
    expect(mocks.backup.commandCalls(ListRecoveryPointsByBackupVaultCommand)[1].args[0].input).toEqual({
      BackupVaultName: ISOLATED_VAULT_NAME,
      ByResourceArn: `arn:aws:s3:::${BUCKET}`,
      MaxResults: 1000,
      NextToken: 'page-2',
    });
    mocks.backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [copy(1)], NextToken: 'more' });
    mocks.backup.resetHistory();
    expect((await check())[1]).toEqual({
      name: `isolated copy bucket ${BUCKET}`,
      status: 'fail',
      detail: `ListRecoveryPointsByBackupVault ${ISOLATED_VAULT_NAME} bucket ${BUCKET}: more than 10 pages of recovery points, not all read`,
    });
    expect(mocks.backup.commandCalls(ListRecoveryPointsByBackupVaultCommand)).toHaveLength(10);
  });

  it('says when the failed copy jobs cannot be read, and names the newest failed job of the resource', async () => {
    mocks.backup.setIsolatedCopies([copy(60)]);
    mocks.backup.on(ListCopyJobsCommand).rejects(awsError('AccessDeniedException', 403));
    expect((await check())[1].detail).toContain(
      `; could not read the failed copy jobs (ListCopyJobs into ${ISOLATED_VAULT_ARN} failed: access denied`,
    );
    mocks.backup.on(ListCopyJobsCommand).resolves({
      CopyJobs: [
        { State: 'FAILED', StatusMessage: 'no resource' },
        { ResourceArn: `arn:aws:s3:::${BUCKET}`, State: 'FAILED' },
        { ResourceArn: `arn:aws:s3:::${BUCKET}`, State: 'FAILED', StatusMessage: 'older failure' },
      ],
    });
    expect((await check())[1].detail).toBe(
      `newest copy in ${ISOLATED_VAULT_NAME} (eu-west-1) is 60.0 h old, older than the RPO of 26 h plus the 12 h copy delay; ` +
        'a copy job into it failed since 2026-05-30T22:00:00.000Z: no message',
    );
    expect(mocks.backup.commandCalls(ListCopyJobsCommand).at(-1)?.args[0].input).toEqual({
      ByState: 'FAILED',
      ByDestinationVaultArn: ISOLATED_VAULT_ARN,
      ByCreatedAfter: new Date('2026-05-30T22:00:00.000Z'),
      MaxResults: 100,
    });
  });

  it('counts only usable copies with a creation date', async () => {
    mocks.backup.setIsolatedCopies([
      { Status: 'PARTIAL', CreationDate: ago(1) },
      { Status: 'EXPIRED', CreationDate: ago(1) },
      { Status: 'AVAILABLE' },
      { Status: 'COMPLETED', CreationDate: ago(40) },
    ]);
    expect((await check())[1]).toEqual({
      name: `isolated copy bucket ${BUCKET}`,
      status: 'fail',
      detail: `newest copy in ${ISOLATED_VAULT_NAME} (eu-west-1) is 40.0 h old, older than the RPO of 26 h plus the 12 h copy delay`,
    });
  });

  it('passes a fresh copy as it is, without reading the failed copy jobs, though an earlier one failed', async () => {
    mocks.backup.on(ListCopyJobsCommand).resolves({
      CopyJobs: [{ ResourceArn: `arn:aws:s3:::${BUCKET}`, State: 'FAILED', StatusMessage: 'Insufficient privileges' }],
    });
    expect((await check())[1]).toEqual({
      name: `isolated copy bucket ${BUCKET}`,
      status: 'pass',
      detail: 'newest 3.0 h old (RPO 26 h + 12 h copy delay)',
    });
    expect(mocks.backup.commandCalls(ListCopyJobsCommand)).toHaveLength(0);
  });

  it('gives each AWS call the signal that cancels it when its attempt times out', async () => {
    mocks.backup.setIsolatedCopies([copy(60)]);
    await check();
    // sinon records the options too, though the typings list the command only
    const calls: { args: unknown[] }[] = mocks.backup.calls();
    expect(calls.map((c) => c.args[0])).toEqual([
      expect.any(DescribeBackupVaultCommand),
      expect.any(ListRecoveryPointsByBackupVaultCommand),
      expect.any(ListCopyJobsCommand),
    ]);
    for (const c of calls) expect(c.args[1]).toEqual({ abortSignal: expect.any(AbortSignal) });
  });

  it('throws on any other error describing the vault, naming the call', async () => {
    mocks.backup
      .on(DescribeBackupVaultCommand, { BackupVaultName: ISOLATED_VAULT_NAME })
      .rejects(awsError('InvalidParameterValueException', 400));
    await expect(check()).rejects.toThrow(
      `DescribeBackupVault ${ISOLATED_VAULT_NAME} (eu-west-1) failed: InvalidParameterValueException`,
    );
  });
});
