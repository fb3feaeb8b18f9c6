import type { BackupRule } from '@aws-sdk/client-backup';
import {
  copyTargets,
  evaluateIsolatedCopyRules,
  evaluatePlanRules,
  ruleFrequency,
} from '../../../../lambda/pipeline/private/backup-plan-rules';
import { DR_POLICY, ISOLATED_COPY, ISOLATED_VAULT_ARN } from '../../../../support/check-fixtures';

const rule = (name: string, schedule: string, lifecycle: BackupRule['Lifecycle'], copies = []): BackupRule => ({
  RuleName: name,
  TargetBackupVaultName: 'vault',
  ScheduleExpression: schedule,
  Lifecycle: lifecycle,
  CopyActions: copies,
});
const DAILY = rule('Daily', 'cron(0 3 * * ? *)', { DeleteAfterDays: 30 });
const WEEKLY = rule('Weekly', 'cron(0 4 ? * SUN *)', { DeleteAfterDays: 365, MoveToColdStorageAfterDays: 7 });

describe('Reading how often a backup rule runs', () => {
  it.each([
    ['cron(0 5 ? * * *)', 'daily'],
    ['cron(0 5 * * ? *)', 'daily'],
    ['cron(0 5 * * * *)', 'daily'],
    ['  cron(0 5 * * ? *)  ', 'daily'],
    ['cron(  0   5 * *  ? * )', 'daily'],
    ['cron(0 5 ? * SUN *)', 'weekly'],
    ['cron(0 5 ? * 1 *)', 'weekly'],
    ['cron(0 5 * * MON *)', 'weekly'],
    ['cron(0 5 1 * ? *)', 'monthly'],
    ['cron(0 5 15 * * *)', 'monthly'],
    // a day-of-week list or range runs more than once a week
    ['cron(0 5 ? * MON-FRI *)', 'other'],
    ['cron(0 5 ? * MON,THU *)', 'other'],
    // a day-of-month list, the last day (L) or a nearest weekday (15W) is not one monthly day
    ['cron(0 5 1,15 * ? *)', 'other'],
    ['cron(0 5 L * ? *)', 'other'],
    ['cron(0 5 15W * ? *)', 'other'],
    // a given month is yearly, not daily, weekly or monthly
    ['cron(0 5 * 1 ? *)', 'other'],
    ['cron(0 5 ? 1 SUN *)', 'other'],
    ['cron(0 5 1 1 ? *)', 'other'],
    // a day of month and a day of week together is no schedule AWS accepts
    ['cron(0 5 1 * SUN *)', 'other'],
    // too few fields: no day of week
    ['cron(0 5 * *)', 'other'],
    ['cron(0 5 1 *)', 'other'],
    ['cron()', 'other'],
    ['rate(1 day)', 'other'],
    ['xcron(0 5 * * ? *)', 'other'],
    ['cron(0 5 * * ? *) daily', 'other'],
    ['', 'other'],
  ])('reads %j as %s', (expression, frequency) => {
    expect(ruleFrequency(expression)).toBe(frequency);
  });

  it('reads a rule without a schedule as other', () => {
    expect(ruleFrequency(undefined)).toBe('other');
  });
});

describe('Judging the backup plan rules against the policy', () => {
  it('passes a daily and a weekly rule with the policy retention and cold storage', () => {
    expect(evaluatePlanRules([DAILY, WEEKLY], DR_POLICY)).toEqual([
      { name: 'plan daily rule', status: 'pass', detail: 'daily, kept 30 days' },
      { name: 'plan weekly rule', status: 'pass', detail: 'weekly, kept 365 days, cold after 7' },
    ]);
  });

  it('fails both rules on an empty plan (a plan whose rules are gone)', () => {
    expect(evaluatePlanRules([], DR_POLICY)).toEqual([
      { name: 'plan daily rule', status: 'fail', detail: 'no daily rule in the backup plan' },
      { name: 'plan weekly rule', status: 'fail', detail: 'no weekly rule in the backup plan' },
    ]);
  });

  it('does not take a monthly rule for the weekly one', () => {
    const monthly = rule('Monthly', 'cron(0 4 1 * ? *)', { DeleteAfterDays: 365, MoveToColdStorageAfterDays: 7 });
    expect(evaluatePlanRules([DAILY, monthly], DR_POLICY)[1]).toEqual({
      name: 'plan weekly rule',
      status: 'fail',
      detail: 'no weekly rule in the backup plan',
    });
  });

  it('passes when one of several daily rules keeps the policy retention, and lists every retention when none does', () => {
    const short = rule('Short', 'cron(0 1 * * ? *)', { DeleteAfterDays: 7 });
    const unset = rule('Unset', 'cron(0 2 * * ? *)', undefined);
    expect(evaluatePlanRules([short, DAILY, WEEKLY], DR_POLICY)[0].status).toBe('pass');
    expect(evaluatePlanRules([short, unset, WEEKLY], DR_POLICY)[0]).toEqual({
      name: 'plan daily rule',
      status: 'fail',
      detail: 'retention 7/unset days, expected 30',
    });
  });

  it('fails a weekly rule whose retention or cold storage differs, saying what it found and what is expected', () => {
    const found = rule('W1', 'cron(0 4 ? * SUN *)', { DeleteAfterDays: 90, MoveToColdStorageAfterDays: 7 });
    const warm = rule('W2', 'cron(0 4 ? * SAT *)', { DeleteAfterDays: 365 });
    expect(evaluatePlanRules([DAILY, found, warm], DR_POLICY)[1]).toEqual({
      name: 'plan weekly rule',
      status: 'fail',
      detail: 'kept 90 days, cold after 7/kept 365 days, cold after never; expected kept 365 days, cold after 7',
    });
    const noLifecycle = rule('W3', 'cron(0 4 ? * SUN *)', undefined);
    expect(evaluatePlanRules([DAILY, noLifecycle], DR_POLICY)[1].detail).toBe(
      'kept unset days, cold after never; expected kept 365 days, cold after 7',
    );
  });

  it('passes when one of several weekly rules matches the policy, as with daily rules', () => {
    const short = rule('Short', 'cron(0 4 ? * SAT *)', { DeleteAfterDays: 35 });
    expect(evaluatePlanRules([DAILY, short, WEEKLY], DR_POLICY)[1]).toEqual({
      name: 'plan weekly rule',
      status: 'pass',
      detail: 'weekly, kept 365 days, cold after 7',
    });
  });

  it('with no cold storage in the policy (0), passes a warm weekly rule and fails one that moves to cold storage', () => {
    const policy = { ...DR_POLICY, weeklyColdStorageAfterDays: 0 };
    const warm = rule('Weekly', 'cron(0 4 ? * SUN *)', { DeleteAfterDays: 365 });
    const explicitZero = rule('Weekly', 'cron(0 4 ? * SUN *)', { DeleteAfterDays: 365, MoveToColdStorageAfterDays: 0 });
    expect(evaluatePlanRules([DAILY, warm], policy)[1]).toEqual({
      name: 'plan weekly rule',
      status: 'pass',
      detail: 'weekly, kept 365 days, cold after never',
    });
    expect(evaluatePlanRules([DAILY, explicitZero], policy)[1].status).toBe('pass');
    expect(evaluatePlanRules([DAILY, WEEKLY], policy)[1]).toEqual({
      name: 'plan weekly rule',
      status: 'fail',
      detail: 'kept 365 days, cold after 7; expected kept 365 days, cold after never',
    });
  });
});

describe('Listing the copy actions of a plan', () => {
  it('lists every copy action with its rule, naming a nameless rule and target as AWS left them', () => {
    const rules = [
      { ...DAILY, CopyActions: [{ DestinationBackupVaultArn: 'arn:a' }, { DestinationBackupVaultArn: 'arn:b' }] },
      { ...WEEKLY, RuleName: undefined, CopyActions: [{}] },
      { ...DAILY, RuleName: 'NoCopies', CopyActions: undefined },
    ] as BackupRule[];
    expect(copyTargets(rules)).toEqual([
      { rule: 'Daily', vaultArn: 'arn:a' },
      { rule: 'Daily', vaultArn: 'arn:b' },
      { rule: '?', vaultArn: '' },
    ]);
  });
});

describe('Judging the copies to the isolated vault', () => {
  const toIsolated = (deleteAfterDays?: number, coldAfterDays?: number) => ({
    DestinationBackupVaultArn: ISOLATED_VAULT_ARN,
    Lifecycle: { DeleteAfterDays: deleteAfterDays, MoveToColdStorageAfterDays: coldAfterDays },
  });
  const withCopies = (r: BackupRule, ...copies: object[]) => ({ ...r, CopyActions: copies }) as BackupRule;
  const judge = (...rules: BackupRule[]) => evaluateIsolatedCopyRules(rules, ISOLATED_VAULT_ARN, ISOLATED_COPY);

  it('fails a plan with no rule', () => {
    expect(judge()).toEqual({ name: 'isolated copy rule', status: 'fail', detail: 'the backup plan has no rule' });
  });

  it("accepts a copy kept exactly the vault's minimum or maximum retention, and fails one a day outside either", () => {
    expect(judge(withCopies(DAILY, toIsolated(30)), withCopies(WEEKLY, toIsolated(365)))).toEqual({
      name: 'isolated copy rule',
      status: 'pass',
      detail: `rules Daily, Weekly copy to ${ISOLATED_VAULT_ARN}`,
    });
    expect(judge(withCopies(DAILY, toIsolated(29)), withCopies(WEEKLY, toIsolated(366)))).toEqual({
      name: 'isolated copy rule',
      status: 'fail',
      detail:
        `isolated vault ${ISOLATED_VAULT_ARN}: rule Daily keeps its copy 29 days, outside the vault's 30 to 365; ` +
        "rule Weekly keeps its copy 366 days, outside the vault's 30 to 365",
    });
  });

  it('fails a copy that moves to cold storage, and names a nameless rule as ?', () => {
    const nameless = { ...withCopies(WEEKLY, toIsolated(365, 90)), RuleName: undefined } as BackupRule;
    expect(judge(withCopies(DAILY, toIsolated(30)), nameless).detail).toBe(
      `isolated vault ${ISOLATED_VAULT_ARN}: rule ? moves its copy to cold storage after 90 days`,
    );
    expect(judge({ ...withCopies(DAILY, toIsolated(30)), RuleName: undefined }).detail).toBe(
      `rules ? copy to ${ISOLATED_VAULT_ARN}`,
    );
  });

  it('fails a rule that copies only elsewhere, or has no copy action at all', () => {
    expect(
      judge(withCopies(DAILY, { DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:1:backup-vault:dr' }), {
        ...WEEKLY,
        CopyActions: undefined,
      }).detail,
    ).toBe(`isolated vault ${ISOLATED_VAULT_ARN}: rule Daily does not copy to it; rule Weekly does not copy to it`);
  });

  it('judges every copy action into the isolated vault of a rule, not only the first', () => {
    expect(judge(withCopies(DAILY, toIsolated(30), toIsolated(30, 7))).detail).toBe(
      `isolated vault ${ISOLATED_VAULT_ARN}: rule Daily moves its copy to cold storage after 7 days`,
    );
  });

  it('fails a copy without a lifecycle (it would take the source rule lifecycle)', () => {
    expect(judge(withCopies(DAILY, { DestinationBackupVaultArn: ISOLATED_VAULT_ARN })).detail).toBe(
      `isolated vault ${ISOLATED_VAULT_ARN}: rule Daily gives its copy no retention (it takes the source's lifecycle)`,
    );
  });
});
