import { CheckFailure } from '../aws-call';

/** Name of one step of the journey, in run order. */
export type JourneyStepName = 'sign-in' | 'api' | 'workflow' | 'clean-up' | 'public-api';

/** The steps of the full journey, in order; clean-up always runs last, also after a failed step. */
export const FULL_JOURNEY: readonly JourneyStepName[] = ['sign-in', 'api', 'workflow', 'clean-up'];
/** The read-only journey: unauthenticated calls to the public API only. */
export const READ_ONLY_JOURNEY: readonly JourneyStepName[] = ['public-api'];

/** What one finished step reports. */
export interface StepResult {
  readonly name: JourneyStepName;
  readonly status: 'pass' | 'fail';
  /** Milliseconds the step took, over every invocation it ran in. */
  readonly durationMs: number;
  /** What it did (pass), or what it expected and got (fail). */
  readonly detail: string;
}

/** One synthetic user the journey created (or was about to create). */
export interface JourneyUser {
  /** Sign-in e-mail, the pool's username attribute. */
  readonly email: string;
  /** Cognito `sub`, once known. */
  readonly sub?: string;
}

/**
 * Everything the journey must remember between two invocations of its function: the pipeline action
 * carries it as the continuation token (no password or token: each invocation signs in afresh).
 */
export interface JourneyState {
  /** Short id of this run, in every synthetic name it creates. */
  readonly run: string;
  readonly readOnly: boolean;
  /** Epoch ms the journey started. */
  readonly startedAt: number;
  /** Steps finished so far. */
  readonly results: readonly StepResult[];
  /** The step under way across invocations (the workflow wait), with the ms it has taken so far. */
  readonly current?: { readonly name: JourneyStepName; readonly startedAt: number; readonly spentMs: number };
  /** Users created: the project's owner first, then the other user. */
  readonly users: readonly JourneyUser[];
  readonly projectId?: string;
  /** Epoch ms just before the project was created: the workflow's run started after it. */
  readonly projectCreatedAt?: number;
  readonly quoteIds: readonly string[];
}

/** The state as one invocation changes it. */
export type JourneyDraft = { -readonly [K in keyof JourneyState]: JourneyState[K] };

/** CodePipeline accepts a continuation token of at most this many characters (PutJobSuccessResult). */
export const MAX_CONTINUATION_TOKEN_LENGTH = 2048;
const MAX_DETAIL = 300;

/** A fresh journey state. */
export function newJourneyState(run: string, readOnly: boolean, now: number): JourneyState {
  return { run, readOnly, startedAt: now, results: [], users: [], quoteIds: [] };
}

/** The steps of this journey, in order. */
export function stepsOf(state: JourneyState): readonly JourneyStepName[] {
  return state.readOnly ? READ_ONLY_JOURNEY : FULL_JOURNEY;
}

/** The step to run next, or undefined when the journey has finished. A failure skips straight to clean-up. */
export function nextStep(state: JourneyState): JourneyStepName | undefined {
  const steps = stepsOf(state);
  const done = new Set(state.results.map((r) => r.name));
  const failed = state.results.some((r) => r.status === 'fail');
  return steps.find((s) => !done.has(s) && (!failed || s === 'clean-up'));
}

/** The step that failed first, if any. */
export function failedStep(state: JourneyState): StepResult | undefined {
  return state.results.find((r) => r.status === 'fail');
}

/**
 * The continuation token: the state as JSON, each step's detail cut to 300 characters. Details of passed
 * steps are cut first, then failed ones, until it fits CodePipeline's limit.
 */
export function encodeState(state: JourneyState): string {
  const cut = (passed: number, failed: number): JourneyState => ({
    ...state,
    results: state.results.map((r) => ({ ...r, detail: r.detail.slice(0, r.status === 'pass' ? passed : failed) })),
  });
  for (const candidate of [
    cut(MAX_DETAIL, MAX_DETAIL),
    cut(60, MAX_DETAIL),
    cut(0, MAX_DETAIL),
    cut(0, 60),
    cut(0, 0),
  ]) {
    const text = JSON.stringify(candidate);
    if (text.length <= MAX_CONTINUATION_TOKEN_LENGTH) return text;
  }
  throw new CheckFailure(
    `the journey's state does not fit a ${MAX_CONTINUATION_TOKEN_LENGTH}-character continuation token`,
  );
}

const STEP_NAMES = new Set<string>([...FULL_JOURNEY, ...READ_ONLY_JOURNEY]);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Reads a continuation token back; @throws CheckFailure when it is not a journey state. */
export function decodeState(token: string): JourneyState {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(token);
  } catch {
    throw new CheckFailure('the continuation token is not JSON; it was not written by this journey');
  }
  const results = raw.results;
  const users = raw.users;
  const current = raw.current as Record<string, unknown> | undefined;
  const valid =
    isString(raw.run) &&
    typeof raw.readOnly === 'boolean' &&
    isNumber(raw.startedAt) &&
    Array.isArray(results) &&
    results.every(
      (r) =>
        r &&
        STEP_NAMES.has(r.name) &&
        (r.status === 'pass' || r.status === 'fail') &&
        isNumber(r.durationMs) &&
        isString(r.detail),
    ) &&
    Array.isArray(users) &&
    users.every((u) => u && isString(u.email) && (u.sub === undefined || isString(u.sub))) &&
    (raw.projectId === undefined || isString(raw.projectId)) &&
    (raw.projectCreatedAt === undefined || isNumber(raw.projectCreatedAt)) &&
    Array.isArray(raw.quoteIds) &&
    raw.quoteIds.every(isString) &&
    (current === undefined ||
      (STEP_NAMES.has(current.name as string) && isNumber(current.startedAt) && isNumber(current.spentMs)));
  if (!valid) throw new CheckFailure('the continuation token is not a journey state of this version');
  return raw as unknown as JourneyState;
}
