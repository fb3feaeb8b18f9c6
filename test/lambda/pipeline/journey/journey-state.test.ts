import type { JourneyState, StepResult } from '../../../../lambda/pipeline/private/journey/journey-state';
import {
  decodeState,
  encodeState,
  failedStep,
  MAX_CONTINUATION_TOKEN_LENGTH,
  newJourneyState,
  nextStep,
  stepsOf,
} from '../../../../lambda/pipeline/private/journey/journey-state';

const pass = (name: StepResult['name'], detail = 'ok'): StepResult => ({ name, status: 'pass', durationMs: 1, detail });
const fail = (name: StepResult['name'], detail = 'broken'): StepResult => ({
  name,
  status: 'fail',
  durationMs: 1,
  detail,
});
const full = (...results: StepResult[]): JourneyState => ({ ...newJourneyState('run1', false, 1000), results });
const readOnly = (...results: StepResult[]): JourneyState => ({ ...newJourneyState('run1', true, 1000), results });

describe('The order of the journey steps', () => {
  it('starts a fresh state with nothing created', () => {
    expect(newJourneyState('lx2abc', true, 1234)).toEqual({
      run: 'lx2abc',
      readOnly: true,
      startedAt: 1234,
      results: [],
      users: [],
      quoteIds: [],
    });
  });

  it('runs sign-in, api, workflow and clean-up in turn, then nothing', () => {
    expect(stepsOf(full())).toEqual(['sign-in', 'api', 'workflow', 'clean-up']);
    expect(nextStep(full())).toBe('sign-in');
    expect(nextStep(full(pass('sign-in')))).toBe('api');
    expect(nextStep(full(pass('sign-in'), pass('api')))).toBe('workflow');
    expect(nextStep(full(pass('sign-in'), pass('api'), pass('workflow')))).toBe('clean-up');
    expect(nextStep(full(pass('sign-in'), pass('api'), pass('workflow'), pass('clean-up')))).toBeUndefined();
  });

  it.each([
    ['sign-in', [fail('sign-in')]],
    ['api', [pass('sign-in'), fail('api')]],
    ['workflow', [pass('sign-in'), pass('api'), fail('workflow')]],
  ] as const)('skips straight to clean-up after %s fails, and ends after it', (_step, results) => {
    expect(nextStep(full(...results))).toBe('clean-up');
    expect(nextStep(full(...results, pass('clean-up')))).toBeUndefined();
    expect(nextStep(full(...results, fail('clean-up')))).toBeUndefined();
  });

  it('runs only the public API step in the read-only journey', () => {
    expect(stepsOf(readOnly())).toEqual(['public-api']);
    expect(nextStep(readOnly())).toBe('public-api');
    expect(nextStep(readOnly(pass('public-api')))).toBeUndefined();
    expect(nextStep(readOnly(fail('public-api')))).toBeUndefined();
  });

  it('names the first failed step, or none', () => {
    expect(failedStep(full(pass('sign-in'), pass('api')))).toBeUndefined();
    expect(failedStep(full(pass('sign-in'), fail('api', 'first'), fail('clean-up', 'second')))).toEqual(
      fail('api', 'first'),
    );
  });
});

describe('The continuation token', () => {
  const valid = {
    run: 'run1',
    readOnly: false,
    startedAt: 1000,
    results: [pass('sign-in'), fail('api')],
    current: { name: 'workflow', startedAt: 2000, spentMs: 30 },
    users: [
      { email: 'journey-run1-owner@synthetic.invalid', sub: 'sub-1' },
      { email: 'journey-run1-other@synthetic.invalid' },
    ],
    projectId: 'journey-p1',
    projectCreatedAt: 1500,
    quoteIds: ['journey-q1'],
  };

  it('reads back the state it wrote, whole', () => {
    const state = valid as unknown as JourneyState;
    expect(decodeState(encodeState(state))).toEqual(state);
    expect(decodeState(JSON.stringify(newJourneyState('run2', true, 5)))).toEqual(newJourneyState('run2', true, 5));
  });

  it('refuses a token that is not JSON', () => {
    expect(() => decodeState('run1')).toThrow('the continuation token is not JSON; it was not written by this journey');
  });

  it.each<[string, Record<string, unknown>]>([
    ['a run that is not a string', { run: 1 }],
    ['a readOnly that is not a boolean', { readOnly: 'false' }],
    ['a startedAt that is not a number', { startedAt: '1000' }],
    ['results that are not a list', { results: {} }],
    ['a result that is null', { results: [null] }],
    ['a result of an unknown step', { results: [{ ...pass('sign-in'), name: 'deploy' }] }],
    ['a result of an unknown status', { results: [{ ...pass('sign-in'), status: 'warn' }] }],
    ['a result without a duration', { results: [{ ...pass('sign-in'), durationMs: undefined }] }],
    ['a result whose detail is not text', { results: [{ ...pass('sign-in'), detail: 42 }] }],
    ['users that are not a list', { users: 'journey-run1-owner@synthetic.invalid' }],
    ['a user that is null', { users: [null] }],
    ['a user without an e-mail', { users: [{ sub: 'sub-1' }] }],
    ['a user whose sub is not text', { users: [{ email: 'journey-run1-owner@synthetic.invalid', sub: 7 }] }],
    ['a projectId that is not text', { projectId: 12 }],
    ['a projectCreatedAt that is not a number', { projectCreatedAt: 'yesterday' }],
    ['quoteIds that are not a list', { quoteIds: 'journey-q1' }],
    ['a quote id that is not text', { quoteIds: ['journey-q1', 2] }],
    ['a current step of an unknown name', { current: { name: 'deploy', startedAt: 2000, spentMs: 30 } }],
    ['a current step without a start', { current: { name: 'workflow', spentMs: 30 } }],
    ['a current step without its time spent', { current: { name: 'workflow', startedAt: 2000 } }],
  ])('refuses a state with %s', (_case, change) => {
    expect(() => decodeState(JSON.stringify({ ...valid, ...change }))).toThrow(
      'the continuation token is not a journey state of this version',
    );
  });

  it('refuses a time that JSON reads as infinite', () => {
    const token = JSON.stringify(valid).replace('"startedAt":1000', '"startedAt":1e400');
    expect(() => decodeState(token)).toThrow('the continuation token is not a journey state of this version');
  });

  it('accepts a state with no project, no current step and users without a sub', () => {
    const { current: _current, projectId: _projectId, projectCreatedAt: _created, ...rest } = valid;
    const token = JSON.stringify({ ...rest, users: [{ email: 'journey-run1-owner@synthetic.invalid' }] });
    expect(decodeState(token)).toMatchObject({
      run: 'run1',
      users: [{ email: 'journey-run1-owner@synthetic.invalid' }],
    });
  });

  describe('fitting CodePipeline limit of 2048 characters', () => {
    /** A state whose JSON, with every detail empty, is `base` characters long plus the details. */
    const state = (passDetail: string, failDetail: string, quoteIds: string[] = []): JourneyState => ({
      ...newJourneyState('run1', false, 0),
      results: [pass('sign-in', passDetail), pass('api', passDetail), fail('workflow', failDetail)],
      quoteIds,
    });
    const details = (token: string) => decodeState(token).results.map((r) => r.detail.length);

    it('keeps details of up to 300 characters when they fit', () => {
      expect(details(encodeState(state('p'.repeat(400), 'f'.repeat(400))))).toEqual([300, 300, 300]);
      expect(details(encodeState(state('p'.repeat(20), 'f'.repeat(20))))).toEqual([20, 20, 20]);
    });

    it('cuts the details of passed steps to 60 characters first, keeping the failure', () => {
      const padding = ['x'.repeat(1000)];
      expect(details(encodeState(state('p'.repeat(400), 'f'.repeat(400), padding)))).toEqual([60, 60, 300]);
    });

    it('then drops the details of passed steps, then cuts the failure to 60 characters, then drops it', () => {
      expect(details(encodeState(state('p'.repeat(400), 'f'.repeat(400), ['x'.repeat(1400)])))).toEqual([0, 0, 300]);
      expect(details(encodeState(state('p'.repeat(400), 'f'.repeat(400), ['x'.repeat(1600)])))).toEqual([0, 0, 60]);
      expect(details(encodeState(state('p'.repeat(400), 'f'.repeat(400), ['x'.repeat(1750)])))).toEqual([0, 0, 0]);
    });

    it('accepts a token of exactly 2048 characters and fails naming the limit when even empty details do not fit', () => {
      const bare = JSON.stringify(state('', '', ['']));
      const exact = encodeState(state('', '', ['x'.repeat(MAX_CONTINUATION_TOKEN_LENGTH - bare.length)]));
      expect(exact).toHaveLength(MAX_CONTINUATION_TOKEN_LENGTH);
      expect(() => encodeState(state('', '', ['x'.repeat(MAX_CONTINUATION_TOKEN_LENGTH - bare.length + 1)]))).toThrow(
        "the journey's state does not fit a 2048-character continuation token",
      );
    });
  });
});
