import type { CheckOutcome } from '../../../../lambda/pipeline/private/check-result';
import { MAX_SUMMARY_LENGTH, summarize, toReport, truncate } from '../../../../lambda/pipeline/private/check-result';
import { fail, pass, warn } from '../../../../lambda/pipeline/private/check-context';

const report = (outcomes: CheckOutcome[]) => toReport('dr', 'prod', outcomes, 12);

describe('The verdict of a check', () => {
  it('fails when any one outcome failed, whatever the others say', () => {
    expect(report([pass('stacks', 'complete'), fail('pitr t-users', 'DISABLED'), warn('alarms', 'x')]).passed).toBe(
      false,
    );
    expect(report([fail('pitr t-users', 'DISABLED')]).passed).toBe(false);
  });

  it('passes when every outcome passed or only warned', () => {
    expect(report([pass('stacks', 'complete'), warn('alarms without data', 'api-5xx')]).passed).toBe(true);
    expect(report([warn('alarms without data', 'api-5xx')]).passed).toBe(true);
  });

  it('keeps what it was given', () => {
    const outcomes = [pass('stacks', 'complete')];
    expect(report(outcomes)).toEqual({ check: 'dr', stage: 'prod', outcomes, passed: true, durationMs: 12 });
  });
});

describe('The summary sent to CodePipeline', () => {
  it('counts the items of a passed check', () => {
    expect(summarize(report([pass('stacks', 'complete'), pass('keys', 'Enabled')]))).toBe(
      'prod dr check passed (2 items).',
    );
  });

  it('counts the warnings of a passed check', () => {
    expect(summarize(report([pass('stacks', 'complete'), warn('a', 'x'), warn('b', 'y')]))).toBe(
      'prod dr check passed (3 items, 2 warnings).',
    );
  });

  it('lists only the failed items, with their details, and points to the logs', () => {
    expect(
      summarize(
        report([
          pass('stacks', 'complete'),
          fail('pitr t-users', 'DISABLED'),
          warn('alarms', 'noisy'),
          fail('vault', 'not locked'),
        ]),
      ),
    ).toBe(
      "prod dr check FAILED (2/4): pitr t-users: DISABLED; vault: not locked. Details in the check function's logs.",
    );
  });

  it('stays within what CodePipeline shows, marking the cut', () => {
    const many = Array.from({ length: 40 }, (_, i) => fail(`table t-${i}`, 'is UPDATING, expected ACTIVE'));
    const summary = summarize(report(many));
    expect(summary).toHaveLength(MAX_SUMMARY_LENGTH);
    expect(summary.startsWith('prod dr check FAILED (40/40): table t-0: is UPDATING')).toBe(true);
    expect(summary.endsWith('…')).toBe(true);
  });
});

describe('Cutting a message to a length', () => {
  it('keeps a text of exactly the length, and cuts one character longer', () => {
    expect(truncate('abcde', 5)).toBe('abcde');
    expect(truncate('abcdef', 5)).toBe('abcd…');
    expect(truncate('abcd', 5)).toBe('abcd');
  });

  it('cuts at 480 characters by default', () => {
    expect(truncate('x'.repeat(480))).toBe('x'.repeat(480));
    expect(truncate('x'.repeat(481))).toBe(`${'x'.repeat(479)}…`);
  });
});
