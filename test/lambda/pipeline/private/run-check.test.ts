import { runCheck } from '../../../../lambda/pipeline/private/run-check';
import { summarize, toReport } from '../../../../lambda/pipeline/private/check-result';
import { fail, pass, warn } from '../../../../lambda/pipeline/private/check-context';
import type { LogLines } from '../../../support/check-test-context';
import { testContext } from '../../../support/check-test-context';

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

describe('Running the items of a check', () => {
  it('keeps every outcome of every item, an item that throws failing with its reason', async () => {
    const report = await runCheck('health', testContext(), {
      stacks: async () => pass('stacks', 'complete'),
      alarms: async () => [fail('alarms', 'api-5xx in ALARM'), warn('warning alarms', 'latency')],
      keys: async () => {
        throw Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });
      },
    });
    expect(report).toMatchObject({ check: 'health', stage: 'staging', passed: false });
    expect(report.outcomes).toEqual([
      { name: 'stacks', status: 'pass', detail: 'complete' },
      { name: 'alarms', status: 'fail', detail: 'api-5xx in ALARM' },
      { name: 'warning alarms', status: 'warn', detail: 'latency' },
      {
        name: 'keys',
        status: 'fail',
        detail: "access denied (AccessDeniedException: not allowed); check the stage's check role policy",
      },
    ]);
  });

  it('reports how long its items took, from start to end', async () => {
    const ctx = testContext();
    jest.spyOn(Date, 'now').mockReturnValueOnce(1_000).mockReturnValue(1_250);
    const report = await runCheck('health', ctx, { stacks: async () => pass('stacks', 'complete') });
    expect(report.durationMs).toBe(250);
  });

  it('logs each outcome at the level of its status, and why an item could not be evaluated', async () => {
    const lines: LogLines = [];
    await runCheck('dr', testContext({ lines }), {
      stacks: async () => pass('stacks', 'complete'),
      alarms: async () => warn('warning alarms', 'latency'),
      keys: async () => {
        throw new Error('boom');
      },
    });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'check item could not be evaluated',
        item: 'keys',
        reason: 'Error: boom',
      }),
      expect.objectContaining({
        level: 'info',
        message: 'check item',
        item: 'stacks',
        status: 'pass',
        detail: 'complete',
      }),
      expect.objectContaining({ level: 'warn', message: 'check item', item: 'warning alarms', status: 'warn' }),
      expect.objectContaining({
        level: 'error',
        message: 'check item',
        item: 'keys',
        status: 'fail',
        detail: 'Error: boom',
      }),
    ]);
  });
});
