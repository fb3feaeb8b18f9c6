import type { JourneyContext } from './journey-context';
import type { JourneySessions } from './journey-session';
import type { JourneyStage } from './journey-stage';
import type { JourneyDraft } from './journey-state';

/** What a step works with during one invocation. */
export interface StepRun {
  readonly ctx: JourneyContext;
  readonly stage: JourneyStage;
  readonly sessions: JourneySessions;
  /** The journey's state; a step records what it creates here at once, so clean-up finds it after a failure. */
  readonly state: JourneyDraft;
  /** Epoch ms by which this invocation must hand over (the step returns `done: false` to continue in the next). */
  readonly deadlineAt: number;
}

/** A step that finished (`done`) with what it did, or that continues in the next invocation. A failure is thrown. */
export interface StepOutcome {
  readonly done: boolean;
  readonly detail: string;
}

/** One step of the journey. */
export type JourneyStep = (run: StepRun) => Promise<StepOutcome>;
