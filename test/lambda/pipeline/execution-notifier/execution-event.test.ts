import type {
  ExecutionEvent,
  MalformedEvent,
} from '../../../../lambda/pipeline/private/execution-notifier/execution-event';
import { parseExecutionEvent } from '../../../../lambda/pipeline/private/execution-notifier/execution-event';
import { executionEvent, FAILED_EXECUTION, PIPELINE, REGION } from './pipeline-fixture';

const accepted = (raw: unknown): ExecutionEvent => {
  const parsed = parseExecutionEvent(raw);
  if (!parsed.ok) throw new Error(`expected an accepted event, got: ${parsed.malformed.problem}`);
  return parsed.event;
};
const refused = (raw: unknown): MalformedEvent => {
  const parsed = parseExecutionEvent(raw);
  if (parsed.ok) throw new Error('expected a malformed event');
  return parsed.malformed;
};
const withDetail = (fields: Record<string, unknown>) => {
  const event = executionEvent('FAILED', FAILED_EXECUTION);
  return { ...event, detail: { ...(event.detail as Record<string, unknown>), ...fields } };
};

describe('parseExecutionEvent: an event it acts on', () => {
  it('takes the pipeline, execution, state, region, time, structure version and attempt from the documented fields', () => {
    expect(accepted(withDetail({ 'pipeline-execution-attempt': 2 }))).toEqual({
      pipeline: PIPELINE,
      executionId: FAILED_EXECUTION,
      state: 'FAILED',
      region: REGION,
      time: new Date('2026-12-01T17:05:00Z'),
      pipelineVersion: 7,
      trigger: undefined,
      attempt: 2,
    });
  });

  it.each(['FAILED', 'STOPPED', 'SUPERSEDED', 'CANCELED', 'SUCCEEDED'])('accepts the end state %s', (state) => {
    expect(accepted(executionEvent(state, FAILED_EXECUTION)).state).toBe(state);
  });

  it('reads a version and an attempt sent as digit strings, and leaves out what is not a whole number', () => {
    expect(accepted(withDetail({ version: '12', 'pipeline-execution-attempt': '3' }))).toMatchObject({
      pipelineVersion: 12,
      attempt: 3,
    });
    for (const odd of ['7a', 'a7', '1.5', '', ' 7', '7 ', '1e3', '0x10', 2.5, null, true]) {
      const event = accepted(withDetail({ version: odd, 'pipeline-execution-attempt': odd }));
      expect([odd, event.pipelineVersion, event.attempt]).toEqual([odd, undefined, undefined]);
    }
  });

  it('keeps the trigger type and detail of a rollback event, and no trigger when the field is not an object', () => {
    const rollback = accepted(
      withDetail({ 'execution-trigger': { 'trigger-type': 'AutomatedRollback', 'trigger-detail': FAILED_EXECUTION } }),
    );
    expect(rollback.trigger).toEqual({ type: 'AutomatedRollback', detail: FAILED_EXECUTION });
    expect(accepted(withDetail({ 'execution-trigger': { 'trigger-type': '  ' } })).trigger).toEqual({
      type: undefined,
      detail: undefined,
    });
    expect(accepted(withDetail({ 'execution-trigger': 'AutomatedRollback' })).trigger).toBeUndefined();
    expect(accepted(withDetail({ 'execution-trigger': ['AutomatedRollback'] })).trigger).toBeUndefined();
  });

  describe('an event without a usable time or region', () => {
    beforeEach(() => {
      jest.useFakeTimers({ now: new Date('2026-12-02T08:00:00Z') });
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    it('dates it when it is handled, and names the region as unknown', () => {
      for (const time of ['yesterday', 1764608700000, undefined]) {
        const raw = { ...executionEvent('FAILED', FAILED_EXECUTION), time, region: '' };
        expect(accepted(raw)).toMatchObject({ time: new Date('2026-12-02T08:00:00Z'), region: 'unknown-region' });
      }
    });
  });
});

describe('parseExecutionEvent: an event it cannot act on', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'FAILED'],
    ['an array', [executionEvent('FAILED', FAILED_EXECUTION)]],
  ])('refuses %s as not a JSON object', (_name, raw) => {
    expect(refused(raw)).toEqual({ problem: 'the event is not a JSON object', held: JSON.stringify(raw) });
  });

  it('quotes what it held even when that is not JSON', () => {
    expect(refused(undefined).held).toBe('undefined');
    expect(refused(BigInt(7)).held).toBe('7');
  });

  it('names the region of an event of another type, and the type it had', () => {
    expect(refused({ 'detail-type': 'CodePipeline Stage Execution State Change', region: REGION })).toMatchObject({
      problem:
        'detail-type is "CodePipeline Stage Execution State Change", not "CodePipeline Pipeline Execution State Change"',
      region: REGION,
    });
    expect(refused({ region: REGION }).problem).toBe(
      'detail-type is undefined, not "CodePipeline Pipeline Execution State Change"',
    );
  });

  it('refuses a detail that is not an object', () => {
    expect(refused({ ...executionEvent('FAILED', FAILED_EXECUTION), detail: ['FAILED'] })).toMatchObject({
      problem: 'the event has no detail object',
      region: REGION,
    });
  });

  it('names each missing or blank field and keeps what the event did name, to link the execution', () => {
    expect(refused(withDetail({ state: ' ' }))).toMatchObject({
      problem: 'the event has no detail.state',
      region: REGION,
      pipeline: PIPELINE,
      executionId: FAILED_EXECUTION,
    });
    expect(refused(withDetail({ pipeline: '', 'execution-id': 42, state: undefined })).problem).toBe(
      'the event has no detail.pipeline, detail.execution-id, detail.state',
    );
    expect(refused(withDetail({ state: 'STARTED' }))).toMatchObject({
      problem: 'state "STARTED" is not one the notifier handles (FAILED, STOPPED, SUPERSEDED, CANCELED, SUCCEEDED)',
      pipeline: PIPELINE,
      executionId: FAILED_EXECUTION,
      region: REGION,
    });
  });

  it('quotes an event of up to 2000 characters whole and cuts a longer one, saying how long it was', () => {
    const base = JSON.stringify({ 'detail-type': 'x', pad: '' }).length;
    const sized = (length: number) => ({ 'detail-type': 'x', pad: 'p'.repeat(length - base) });
    expect(refused(sized(2000)).held).toBe(JSON.stringify(sized(2000)));
    const long = JSON.stringify(sized(2001));
    expect(refused(sized(2001)).held).toBe(`${long.slice(0, 2000)}... (2001 characters)`);
  });
});
