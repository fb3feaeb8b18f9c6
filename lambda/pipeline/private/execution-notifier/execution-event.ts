import type { NotifiedExecutionState } from '../../../../contracts/pipeline-execution-events';
import {
  NOTIFIED_EXECUTION_STATES,
  PIPELINE_EXECUTION_STATE_CHANGE,
} from '../../../../contracts/pipeline-execution-events';

/**
 * What the notifier takes from a "CodePipeline Pipeline Execution State Change" event. The fields and
 * their names follow the documented samples: `detail.pipeline`, `detail.execution-id`, `detail.state`,
 * `detail.version` (the pipeline structure version) and, on newer events, `detail.execution-trigger`
 * and `detail.pipeline-execution-attempt`.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html
 */
export interface ExecutionEvent {
  readonly pipeline: string;
  readonly executionId: string;
  readonly state: NotifiedExecutionState;
  /** Region the event came from (the pipeline's). */
  readonly region: string;
  /** When the state changed (the event's `time`). */
  readonly time: Date;
  /** Pipeline structure version the execution ran with. */
  readonly pipelineVersion?: number;
  /** How the execution started, as the event tells it (`trigger-type`, `trigger-detail`). */
  readonly trigger?: { readonly type?: string; readonly detail?: string };
  /** Attempt of this execution (a retried stage makes a new attempt). */
  readonly attempt?: number;
}

/** An event the notifier cannot act on, and what it held. */
export interface MalformedEvent {
  readonly problem: string;
  /** The event as received, as JSON, cut to a readable length. */
  readonly held: string;
  readonly region?: string;
  readonly pipeline?: string;
  readonly executionId?: string;
}

/** What {@link parseExecutionEvent} makes of an event. */
export type ParsedEvent =
  { readonly ok: true; readonly event: ExecutionEvent } | { readonly ok: false; readonly malformed: MalformedEvent };

/** Longest excerpt of a malformed event quoted in its message. */
const MAX_HELD = 2000;

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
const wholeNumber = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
};

function held(raw: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(raw) ?? String(raw);
  } catch {
    json = String(raw);
  }
  return json.length <= MAX_HELD ? json : `${json.slice(0, MAX_HELD)}... (${json.length} characters)`;
}

/**
 * Validates an event before anything is read for it. Anything that is not a pipeline-level state change
 * of a notified state, with a pipeline name and an execution id, comes back as malformed, naming what is
 * missing or unexpected; it never throws.
 */
export function parseExecutionEvent(raw: unknown): ParsedEvent {
  const malformed = (problem: string, known: Partial<MalformedEvent> = {}): ParsedEvent => ({
    ok: false,
    malformed: { problem, held: held(raw), ...known },
  });
  if (!isObject(raw)) return malformed('the event is not a JSON object');
  const region = text(raw.region);
  const detailType = raw['detail-type'];
  if (detailType !== PIPELINE_EXECUTION_STATE_CHANGE) {
    return malformed(`detail-type is ${JSON.stringify(detailType)}, not "${PIPELINE_EXECUTION_STATE_CHANGE}"`, {
      region,
    });
  }
  const detail = raw.detail;
  if (!isObject(detail)) return malformed('the event has no detail object', { region });
  const pipeline = text(detail.pipeline);
  const executionId = text(detail['execution-id']);
  const known = { region, pipeline, executionId };
  const missing = [
    ...(pipeline ? [] : ['detail.pipeline']),
    ...(executionId ? [] : ['detail.execution-id']),
    ...(text(detail.state) ? [] : ['detail.state']),
  ];
  if (missing.length) return malformed(`the event has no ${missing.join(', ')}`, known);
  const state = detail.state as string;
  if (!(NOTIFIED_EXECUTION_STATES as readonly string[]).includes(state)) {
    return malformed(
      `state ${JSON.stringify(state)} is not one the notifier handles (${NOTIFIED_EXECUTION_STATES.join(', ')})`,
      known,
    );
  }
  const time = new Date(typeof raw.time === 'string' ? raw.time : NaN);
  const trigger = isObject(detail['execution-trigger']) ? detail['execution-trigger'] : undefined;
  return {
    ok: true,
    event: {
      pipeline: pipeline!,
      executionId: executionId!,
      state: state as NotifiedExecutionState,
      region: region ?? 'unknown-region',
      time: Number.isNaN(time.getTime()) ? new Date() : time,
      pipelineVersion: wholeNumber(detail.version),
      trigger: trigger ? { type: text(trigger['trigger-type']), detail: text(trigger['trigger-detail']) } : undefined,
      attempt: wholeNumber(detail['pipeline-execution-attempt']),
    },
  };
}
