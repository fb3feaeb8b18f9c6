import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { JourneySessions } from '../../../../lambda/pipeline/private/journey/journey-session';
import { resolveJourneyStage } from '../../../../lambda/pipeline/private/journey/journey-stage';
import type { JourneyDraft } from '../../../../lambda/pipeline/private/journey/journey-state';
import { newJourneyState } from '../../../../lambda/pipeline/private/journey/journey-state';
import { signInStep } from '../../../../lambda/pipeline/private/journey/sign-in-step';
import { FakeJourneyStage } from './fake-journey-stage';

const OWNER = 'journey-run1-owner@synthetic.invalid';
const OTHER = 'journey-run1-other@synthetic.invalid';

let stage: FakeJourneyStage;
beforeEach(() => {
  stage = new FakeJourneyStage();
});
afterEach(() => stage.restore());

describe('Step 1, sign-in', () => {
  it('records a user the state already holds once, with the sub it was created with', async () => {
    const ctx = stage.context();
    const journeyStage = await resolveJourneyStage(ctx);
    const state: JourneyDraft = { ...newJourneyState('run1', false, stage.now), users: [{ email: OWNER }] };
    const outcome = await signInStep({
      ctx,
      stage: journeyStage,
      sessions: new JourneySessions(ctx, journeyStage),
      state,
      deadlineAt: stage.now + 3_600_000,
    });
    expect(state.users).toEqual([
      { email: OWNER, sub: stage.users.get(OWNER)!.sub },
      { email: OTHER, sub: stage.users.get(OTHER)!.sub },
    ]);
    expect(outcome.detail).toMatch(new RegExp(`^created ${OWNER} and ${OTHER} \\(group synthetic\\)`));
    expect(stage.cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(2);
  });
});
