import type { BackupRule } from '@aws-sdk/client-backup';
import type { DrPolicy } from '../../../contracts/check-parameters';
import { CheckOutcome } from './check-result';
import { fail, pass } from './check-context';

/** How often a rule runs, read from its `cron(min hour day-of-month month day-of-week year)` expression. */
export type RuleFrequency = 'daily' | 'weekly' | 'monthly' | 'other';

/** Reads the frequency of a backup rule's schedule expression. */
export function ruleFrequency(expression: string | undefined): RuleFrequency {
  const m = /^cron\((.+)\)$/.exec(expression?.trim() ?? '');
  if (!m) return 'other';
  const [, , dom, month, dow] = m[1].trim().split(/\s+/);
  const any = (f: string | undefined) => f === '*' || f === '?';
  if (any(month) && any(dom) && any(dow)) return 'daily';
  if (any(month) && any(dom) && dow !== undefined && /^[A-Za-z0-9]+$/.test(dow)) return 'weekly';
  if (any(month) && dom !== undefined && /^\d+$/.test(dom) && any(dow)) return 'monthly';
  return 'other';
}

/** The plan has a daily and a weekly rule whose retention (and cold storage) match the policy. */
export function evaluatePlanRules(rules: readonly BackupRule[], policy: DrPolicy): CheckOutcome[] {
  const byFrequency = (f: RuleFrequency) => rules.filter((r) => ruleFrequency(r.ScheduleExpression) === f);
  const out: CheckOutcome[] = [];
  const daily = byFrequency('daily');
  if (!daily.length) out.push(fail('plan daily rule', 'no daily rule in the backup plan'));
  else if (!daily.some((r) => r.Lifecycle?.DeleteAfterDays === policy.dailyRetentionDays)) {
    out.push(
      fail(
        'plan daily rule',
        `retention ${daily.map((r) => r.Lifecycle?.DeleteAfterDays ?? 'unset').join('/')} days, expected ${policy.dailyRetentionDays}`,
      ),
    );
  } else out.push(pass('plan daily rule', `daily, kept ${policy.dailyRetentionDays} days`));

  const weekly = byFrequency('weekly');
  const cold = policy.weeklyColdStorageAfterDays || undefined;
  const matches = (r: BackupRule) =>
    r.Lifecycle?.DeleteAfterDays === policy.weeklyRetentionDays &&
    (r.Lifecycle?.MoveToColdStorageAfterDays || undefined) === cold;
  if (!weekly.length) out.push(fail('plan weekly rule', 'no weekly rule in the backup plan'));
  else if (!weekly.some(matches)) {
    const found = weekly
      .map(
        (r) =>
          `kept ${r.Lifecycle?.DeleteAfterDays ?? 'unset'} days, cold after ${r.Lifecycle?.MoveToColdStorageAfterDays ?? 'never'}`,
      )
      .join('/');
    out.push(
      fail(
        'plan weekly rule',
        `${found}; expected kept ${policy.weeklyRetentionDays} days, cold after ${cold ?? 'never'}`,
      ),
    );
  } else
    out.push(
      pass('plan weekly rule', `weekly, kept ${policy.weeklyRetentionDays} days, cold after ${cold ?? 'never'}`),
    );
  return out;
}

/** Every copy action of the plan's rules, with the rule it belongs to. */
export function copyTargets(rules: readonly BackupRule[]): { rule: string; vaultArn: string }[] {
  return rules.flatMap((r) =>
    (r.CopyActions ?? []).map((c) => ({ rule: r.RuleName ?? '?', vaultArn: c.DestinationBackupVaultArn ?? '' })),
  );
}
