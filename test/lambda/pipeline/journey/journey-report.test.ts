import {
  formatJourney,
  journeyFinished,
  journeyPassed,
  journeyProgress,
  summarizeJourney,
} from '../../../../lambda/pipeline/private/journey/journey-report';
import type { JourneyState, StepResult } from '../../../../lambda/pipeline/private/journey/journey-state';
import { newJourneyState } from '../../../../lambda/pipeline/private/journey/journey-state';

const step = (name: StepResult['name'], status: StepResult['status'], durationMs: number, detail: string) => ({
  name,
  status,
  durationMs,
  detail,
});
const full = (...results: StepResult[]): JourneyState => ({ ...newJourneyState('run1', false, 0), results });
const passedJourney = full(
  step('sign-in', 'pass', 1234, 'created two users'),
  step('api', 'pass', 860, 'owner created journey-p1'),
  step('workflow', 'pass', 61_050, 'quoted'),
  step('clean-up', 'pass', 2000, 'removed everything'),
);

describe('The journey verdict', () => {
  it('passes only a finished journey with every step passed', () => {
    expect(journeyFinished(passedJourney)).toBe(true);
    expect(journeyPassed(passedJourney)).toBe(true);
  });

  it('does not pass a journey that has not finished, even with no failure so far', () => {
    const unfinished = full(step('sign-in', 'pass', 1, 'ok'), step('api', 'pass', 1, 'ok'));
    expect(journeyFinished(unfinished)).toBe(false);
    expect(journeyPassed(unfinished)).toBe(false);
    expect(journeyFinished(full())).toBe(false);
    expect(journeyPassed(full())).toBe(false);
  });

  it('fails a finished journey whose step failed, even when the clean-up passed', () => {
    const failed = full(
      step('sign-in', 'pass', 1, 'ok'),
      step('api', 'fail', 1, 'got 500'),
      step('clean-up', 'pass', 1, 'ok'),
    );
    expect(journeyFinished(failed)).toBe(true);
    expect(journeyPassed(failed)).toBe(false);
  });

  it('fails a finished journey whose clean-up failed', () => {
    const failed = full(
      step('sign-in', 'pass', 1, 'ok'),
      step('api', 'pass', 1, 'ok'),
      step('workflow', 'pass', 1, 'ok'),
      step('clean-up', 'fail', 1, 'left user x'),
    );
    expect(journeyPassed(failed)).toBe(false);
  });
});

describe('The action message', () => {
  it('lists each step with its time in seconds when the journey passed', () => {
    expect(summarizeJourney('staging', passedJourney)).toBe(
      'staging journey passed: sign-in 1.2 s, api 0.9 s, workflow 61.0 s, clean-up 2.0 s.',
    );
    const readOnly = { ...newJourneyState('run1', true, 0), results: [step('public-api', 'pass', 300, 'ok')] };
    expect(summarizeJourney('prod', readOnly)).toBe('prod read-only journey passed: public-api 0.3 s.');
  });

  it('names the failed step and its reason first, then how the clean-up went, then where the details are', () => {
    const cleaned = full(
      step('sign-in', 'pass', 1, 'ok'),
      step('api', 'fail', 1, 'GET projects: got 500'),
      step('clean-up', 'pass', 1, 'removed'),
    );
    expect(summarizeJourney('staging', cleaned)).toBe(
      "staging journey FAILED at step api: GET projects: got 500. Clean-up passed. Details in the journey function's logs.",
    );
    const leftover = full(
      step('sign-in', 'pass', 1, 'ok'),
      step('api', 'fail', 1, 'GET projects: got 500'),
      step('clean-up', 'fail', 1, 'expected nothing left, got user journey-run1-owner@synthetic.invalid'),
    );
    expect(summarizeJourney('staging', leftover, 'the table above')).toBe(
      'staging journey FAILED at step api: GET projects: got 500. Clean-up FAILED: expected nothing left, got user journey-run1-owner@synthetic.invalid. Details in the table above.',
    );
  });

  it('says nothing more of the clean-up when the clean-up itself failed or has not run', () => {
    const cleanUpFailed = full(
      step('sign-in', 'pass', 1, 'ok'),
      step('api', 'pass', 1, 'ok'),
      step('workflow', 'pass', 1, 'ok'),
      step('clean-up', 'fail', 1, 'left project journey-p1'),
    );
    expect(summarizeJourney('staging', cleanUpFailed)).toBe(
      "staging journey FAILED at step clean-up: left project journey-p1. Details in the journey function's logs.",
    );
    const notYet = full(step('sign-in', 'fail', 1, 'AdminCreateUser failed'));
    expect(summarizeJourney('staging', notYet)).toBe(
      "staging journey FAILED at step sign-in: AdminCreateUser failed. Details in the journey function's logs.",
    );
  });

  it('keeps the message within 480 characters', () => {
    const long = full(step('sign-in', 'fail', 1, 'x'.repeat(1000)), step('clean-up', 'pass', 1, 'ok'));
    const message = summarizeJourney('staging', long);
    expect(message).toHaveLength(480);
    expect(message).toMatch(/^staging journey FAILED at step sign-in: x+…$/);
  });

  it('reports progress with the steps done and the step under way', () => {
    const waiting: JourneyState = {
      ...full(step('sign-in', 'pass', 1, 'ok'), step('api', 'pass', 1, 'ok')),
      current: { name: 'workflow', startedAt: 0, spentMs: 10 },
    };
    expect(journeyProgress('staging', waiting)).toBe('staging journey in progress: 2/4 steps done, now workflow.');
    expect(journeyProgress('staging', full(step('sign-in', 'pass', 1, 'ok')))).toBe(
      'staging journey in progress: 1/4 steps done, now api.',
    );
    expect(journeyProgress('staging', passedJourney)).toBe('staging journey in progress: 4/4 steps done, now done.');
  });
});

describe('The operator table', () => {
  it('aligns status, step, time and detail in columns, then prints the message', () => {
    const failed = full(
      step('sign-in', 'pass', 1234, 'created'),
      step('api', 'fail', 10_500, 'got 500'),
      step('clean-up', 'pass', 900, 'removed'),
    );
    expect(formatJourney('staging', failed).split('\n')).toEqual([
      'STATUS  STEP        TIME  DETAIL',
      'PASS    sign-in    1.2 s  created',
      'FAIL    api       10.5 s  got 500',
      'PASS    clean-up   0.9 s  removed',
      '',
      'staging journey FAILED at step api: got 500. Clean-up passed. Details in the table above and --verbose.',
    ]);
  });
});
