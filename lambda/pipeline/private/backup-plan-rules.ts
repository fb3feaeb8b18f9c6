import type { BackupRule } from '@aws-sdk/client-backup';
import type { DrPolicy, IsolatedCopyPolicy } from '../../../contracts/check-parameters';
import type { CheckOutcome } from './check-result';
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

/**
 * Every rule of the plan also copies to the isolated vault, keeping the copy within the vault's retention bounds
 * (AWS Backup refuses a copy outside them) and warm (an air-gapped vault has no cold tier to move it to).
 */
export function evaluateIsolatedCopyRules(
  rules: readonly BackupRule[],
  isolatedVaultArn: string,
  isolated: IsolatedCopyPolicy,
): CheckOutcome {
  const name = 'isolated copy rule';
  if (!rules.length) return fail(name, 'the backup plan has no rule');
  const problems = rules.flatMap((r) => {
    const rule = r.RuleName ?? '?';
    const copies = (r.CopyActions ?? []).filter((c) => c.DestinationBackupVaultArn === isolatedVaultArn);
    if (!copies.length) return [`rule ${rule} does not copy to it`];
    return copies.flatMap((c) => {
      const keep = c.Lifecycle?.DeleteAfterDays;
      const out: string[] = [];
      if (keep === undefined) out.push(`rule ${rule} gives its copy no retention (it takes the source's lifecycle)`);
      else if (keep < isolated.minRetentionDays || keep > isolated.maxRetentionDays)
        out.push(
          `rule ${rule} keeps its copy ${keep} days, outside the vault's ${isolated.minRetentionDays} to ${isolated.maxRetentionDays}`,
        );
      if (c.Lifecycle?.MoveToColdStorageAfterDays)
        out.push(`rule ${rule} moves its copy to cold storage after ${c.Lifecycle.MoveToColdStorageAfterDays} days`);
      return out;
    });
  });
  if (problems.length) return fail(name, `isolated vault ${isolatedVaultArn}: ${problems.join('; ')}`);
  return pass(name, `rules ${rules.map((r) => r.RuleName ?? '?').join(', ')} copy to ${isolatedVaultArn}`);
}
