import { changeReviewTime, DEFAULT_CHANGE_REVIEW_ASSUMPTIONS } from '../../bench/change-review-time';

describe('changeReviewTime', () => {
  it('is CodeBuild provisioning plus the run, with drift detection rounded up to the poll interval', () => {
    // 5 s + 0.3 s x 60 resources = 23 s, seen at the next 5 s poll: 25 s.
    const t = changeReviewTime([60]);
    expect(t.driftSeconds).toBe(25);
    expect(t.totalSeconds).toBe(75 + 10 + 2 + 1 + 25 + 1 + 5);
    expect(t.totalMinutes).toBe(Math.round((t.totalSeconds / 60) * 100) / 100);
  });

  it('counts the slowest stack only: stacks are reviewed in parallel', () => {
    expect(changeReviewTime([10, 200, 40]).driftSeconds).toBe(changeReviewTime([200]).driftSeconds);
    expect(changeReviewTime([200]).totalSeconds).toBeGreaterThan(changeReviewTime([20]).totalSeconds);
  });

  it('has no drift time for stacks never deployed (first run)', () => {
    expect(changeReviewTime([0, 0]).driftSeconds).toBe(0);
    expect(changeReviewTime([0, 0]).totalSeconds).toBeGreaterThanOrEqual(
      DEFAULT_CHANGE_REVIEW_ASSUMPTIONS.provisioningSeconds,
    );
  });

  it('follows other assumptions, such as a slower provisioning', () => {
    expect(changeReviewTime([60], { ...DEFAULT_CHANGE_REVIEW_ASSUMPTIONS, provisioningSeconds: 90 }).totalSeconds).toBe(
      changeReviewTime([60]).totalSeconds + 15,
    );
  });

  it('rejects a count that is not a whole number', () => {
    expect(() => changeReviewTime([1.5])).toThrow('resource count 1.5 is not a whole number of at least 0');
  });
});
