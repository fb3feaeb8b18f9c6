import { describeError } from '../aws-call';
import { apiStep } from './api-step';
import { cleanUpStep } from './clean-up-step';
import type { JourneyContext } from './journey-context';
import { JourneySessions } from './journey-session';
import type { JourneyStage } from './journey-stage';
import { resolveJourneyStage, resolveReadOnlyStage } from './journey-stage';
import type { JourneyDraft, JourneyStepName, StepResult } from './journey-state';
import { nextStep } from './journey-state';
import type { StepOutcome, StepRun } from './journey-step';
import { publicApiStep } from './public-api-step';
import { signInStep } from './sign-in-step';
import { workflowStep } from './workflow-step';

/** Time an invocation must have left to start a step; clean-up gets more, so it is not cut short. */
export const STEP_START_RESERVE_MS = 20_000;
export const CLEAN_UP_START_RESERVE_MS = 60_000;

/**
 * Runs the journey's next steps in this invocation, recording each result in `state`, until the journey has
 * finished or `deadlineAt` (epoch ms) comes too close to start the next step; the caller then carries
 * `state` to the next invocation. A failed step is recorded with its reason and the clean-up runs next.
 */
export async function runJourneySlice(ctx: JourneyContext, state: JourneyDraft, deadlineAt: number): Promise<void> {
  let stage: JourneyStage | undefined;
  let sessions: JourneySessions | undefined;
  for (let name = nextStep(state); name; name = nextStep(state)) {
    const reserve = name === 'clean-up' ? CLEAN_UP_START_RESERVE_MS : STEP_START_RESERVE_MS;
    if (ctx.clock() + reserve > deadlineAt) return;
    const started = ctx.clock();
    const prior = state.current?.name === name ? state.current : undefined;
    let outcome: StepOutcome | undefined;
    let failure: string | undefined;
    try {
      if (name === 'public-api') {
        outcome = await publicApiStep(ctx, await resolveReadOnlyStage(ctx), state.run);
      } else if (name === 'clean-up' && createdNothing(state)) {
        // A journey that failed before creating anything (a stage whose stacks are not there yet) has nothing
        // to remove, and reading the stage again would only repeat the first step's failure.
        outcome = { done: true, detail: 'removed nothing (nothing was created)' };
      } else {
        stage ??= await resolveJourneyStage(ctx);
        sessions ??= new JourneySessions(ctx, stage);
        const run: StepRun = { ctx, stage, sessions, state, deadlineAt };
        outcome = await runStep(name, run, prior?.startedAt ?? started);
      }
    } catch (error) {
      failure = describeError(error);
    }
    const durationMs = (prior?.spentMs ?? 0) + (ctx.clock() - started);
    if (outcome && !outcome.done) {
      state.current = { name, startedAt: prior?.startedAt ?? started, spentMs: durationMs };
      ctx.log.info('journey step continues in the next invocation', { step: name, durationMs, detail: outcome.detail });
      return;
    }
    const result: StepResult = failure
      ? { name, status: 'fail', durationMs, detail: failure }
      : { name, status: 'pass', durationMs, detail: outcome!.detail };
    state.results = [...state.results, result];
    state.current = undefined;
    ctx.log[result.status === 'fail' ? 'error' : 'info']('journey step', { ...result });
  }
}

/** Whether the journey has not yet created (or started to create) any user, project or quote. */
function createdNothing(state: JourneyDraft): boolean {
  return state.users.length === 0 && state.projectId === undefined && state.quoteIds.length === 0;
}

function runStep(name: Exclude<JourneyStepName, 'public-api'>, run: StepRun, startedAt: number): Promise<StepOutcome> {
  switch (name) {
    case 'sign-in':
      return signInStep(run);
    case 'api':
      return apiStep(run);
    case 'workflow':
      return workflowStep(run, startedAt);
    case 'clean-up':
      return cleanUpStep(run);
  }
}
