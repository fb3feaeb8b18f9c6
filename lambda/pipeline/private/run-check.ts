import { describeError } from './aws-call';
import type { CheckOutcome, CheckReport } from './check-result';
import { toReport } from './check-result';
import type { CheckContext, CheckItem } from './check-context';
import { fail } from './check-context';

/**
 * Runs the named items in parallel. An item that throws becomes a failed outcome carrying
 * the reason: a check that cannot be evaluated never passes.
 */
export async function runCheck(
  check: string,
  ctx: CheckContext,
  items: Readonly<Record<string, CheckItem>>,
): Promise<CheckReport> {
  const started = Date.now();
  const results = await Promise.all(
    Object.entries(items).map(async ([name, item]): Promise<CheckOutcome[]> => {
      try {
        const out = await item();
        const list = Array.isArray(out) ? out : [out];
        return list.length ? list : [fail(name, 'nothing was evaluated')];
      } catch (error) {
        ctx.log.warn('check item could not be evaluated', { item: name, reason: describeError(error) });
        return [fail(name, describeError(error))];
      }
    }),
  );
  const report = toReport(check, ctx.params.stage, results.flat(), Date.now() - started);
  for (const o of report.outcomes)
    ctx.log[o.status === 'fail' ? 'error' : o.status === 'warn' ? 'warn' : 'info']('check item', {
      item: o.name,
      status: o.status,
      detail: o.detail,
    });
  return report;
}
