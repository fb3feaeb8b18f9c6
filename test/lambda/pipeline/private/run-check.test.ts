import { runCheck } from '../../../../lambda/pipeline/private/run-check';
import { summarize, toReport } from '../../../../lambda/pipeline/private/check-result';
import { pass } from '../../../../lambda/pipeline/private/check-context';
import { testContext } from '../../../../support/check-fixtures';

describe('A check with nothing to show', () => {
  it('fails when it has no item at all, and says nothing was checked', async () => {
    const report = await runCheck('health', testContext(), {});
    expect(report.outcomes).toEqual([]);
    expect(report.passed).toBe(false);
    expect(summarize(report)).toBe('staging health check FAILED: nothing was checked.');
  });

  it('fails an item that returns no outcome, naming it', async () => {
    const report = await runCheck('dr', testContext(), {
      pitr: async () => [],
      keys: async () => pass('keys', 'all Enabled'),
    });
    expect(report.passed).toBe(false);
    expect(report.outcomes).toContainEqual({ name: 'pitr', status: 'fail', detail: 'nothing was evaluated' });
  });

  it('builds a failed report from an empty outcome list', () => {
    expect(toReport('health', 'dev', [], 5).passed).toBe(false);
  });

  it('passes a report whose every outcome passed or warned', () => {
    expect(toReport('health', 'dev', [pass('stacks', 'complete')], 5).passed).toBe(true);
  });
});
